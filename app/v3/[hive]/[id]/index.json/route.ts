// RegistrationsBaseUrl: a package's registration index, every version with its metadata (or,
// from 128 versions on, links to pages of them). [hive] is registration, registration-gz-semver1
// or registration-gz-semver2.
import { readRegistrationIndex } from "@/lib/feed/registration";
import { feedRequest, registrationHiveOr404, serveFeedDocument } from "@/lib/feed/serve-document";
import { withErrorHandling } from "@/lib/http/errors";
import { IssueError } from "@/lib/issues";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(
  async (request: Request, context: { params: Promise<{ hive: string; id: string }> }) => {
    const { hive: name, id } = await context.params;
    const hive = registrationHiveOr404(name);
    const served = feedRequest(request);
    return serveFeedDocument(
      served,
      (urls) => readRegistrationIndex(served.db, urls, hive, id),
      () => new IssueError("PACKAGE_NOT_FOUND", `There is no package with ID '${id}'.`),
    );
  },
);
