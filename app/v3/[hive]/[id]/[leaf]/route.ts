// RegistrationsBaseUrl: one version's registration leaf, {version}.json.
import { readRegistrationLeaf } from "@/lib/feed/registration";
import { feedRequest, jsonDocumentName, registrationHiveOr404, serveFeedDocument } from "@/lib/feed/serve-document";
import { withErrorHandling } from "@/lib/http/errors";
import { IssueError } from "@/lib/issues";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(
  async (request: Request, context: { params: Promise<{ hive: string; id: string; leaf: string }> }) => {
    const { hive: name, id, leaf } = await context.params;
    const hive = registrationHiveOr404(name);
    const version = jsonDocumentName(leaf);
    const served = feedRequest(request);
    return serveFeedDocument(
      served,
      (urls) => readRegistrationLeaf(served.db, urls, hive, id, version),
      () => new IssueError("PACKAGE_NOT_FOUND", `A package with ID '${id}' and version '${version}' does not exist.`),
    );
  },
);
