// RegistrationsBaseUrl: one page of a package's registration, for packages with 128 versions or
// more, named by its lowest and highest version.
import { readRegistrationPage } from "@/lib/feed/registration";
import { feedRequest, jsonDocumentName, registrationHiveOr404, serveFeedDocument } from "@/lib/feed/serve-document";
import { withErrorHandling } from "@/lib/http/errors";
import { IssueError } from "@/lib/issues";

export const dynamic = "force-dynamic";

type Params = { hive: string; id: string; lower: string; upper: string };

export const GET = withErrorHandling(async (request: Request, context: { params: Promise<Params> }) => {
  const { hive: name, id, lower, upper } = await context.params;
  const hive = registrationHiveOr404(name);
  const upperVersion = jsonDocumentName(upper);
  const served = feedRequest(request);
  return serveFeedDocument(
    served,
    (urls) => readRegistrationPage(served.db, urls, hive, id, lower, upperVersion),
    () => new IssueError("NOT_FOUND", `'${id}' has no registration page from ${lower} to ${upperVersion}.`),
  );
});
