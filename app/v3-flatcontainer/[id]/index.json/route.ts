// A package's versions for restore: { "versions": [...] } in lower case, oldest first, unlisted
// ones included (lib/feed/flat-container.ts says why).
import { listFeedVersions } from "@/lib/feed/flat-container";
import { feedRequest, serveFeedDocument } from "@/lib/feed/serve-document";
import { withErrorHandling } from "@/lib/http/errors";
import { IssueError } from "@/lib/issues";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = await context.params;
  const served = feedRequest(request);
  // NuGet clients read a 404 as "no such package" and go on to their other sources.
  return serveFeedDocument(
    served,
    () => listFeedVersions(served.db, id.toLowerCase()),
    () => new IssueError("PACKAGE_NOT_FOUND", `There is no package with ID '${id}'.`),
  );
});
