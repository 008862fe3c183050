// The nuget.config of a version's dependency graph for a policy (?mode=, Secure by default), as a file to download.
import { z } from "zod";
import { galleryFeedFor } from "@/app/_components/feed-source";
import { getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { IssueError } from "@/lib/issues";
import { loadGraphView } from "@/lib/packages/dependency-graph";

export const dynamic = "force-dynamic";

const query = z.object({
  framework: z.string().max(100).optional(),
  mode: z.enum(["developer", "default", "secure"]).default("secure"),
});

export const GET = withErrorHandling(
  async (request: Request, context: { params: Promise<{ id: string; version: string }> }) => {
    const { id, version } = await context.params;
    const { framework, mode } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
    const view = await loadGraphView(getDb(), await galleryFeedFor(request), id, version, framework);
    if (!view)
      throw new IssueError("PACKAGE_NOT_FOUND", `A package with ID '${id}' and version '${version}' does not exist.`);
    return new Response(view.nugetConfigs[mode], {
      headers: {
        "Content-Type": "application/xml; charset=utf-8",
        "Content-Disposition": 'attachment; filename="nuget.config"',
        "Cache-Control": "no-cache",
      },
    });
  },
);
