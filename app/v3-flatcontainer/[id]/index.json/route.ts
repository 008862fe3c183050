// A package's listed versions for restore: { "versions": [...] } in lower case, oldest first.
import { getDb } from "@/lib/db";
import { listFeedVersions } from "@/lib/feed/flat-container";
import { withErrorHandling } from "@/lib/http/errors";
import { IssueError } from "@/lib/issues";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = await context.params;
  const versions = await listFeedVersions(getDb(), id.toLowerCase());
  // NuGet clients read a 404 as "no such package" and go on to their other sources.
  if (versions.length === 0) throw new IssueError("PACKAGE_NOT_FOUND", `There is no package with ID '${id}'.`);
  return Response.json({ versions }, { headers: { "Cache-Control": "no-cache" } });
});
