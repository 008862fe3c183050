// GET /api/packages/{id}/{version}/trust?framework=net8.0: the dependency graph trust view as
// JSON (lib/packages/dependency-graph.ts): every package with its signing facts and verdicts,
// the graph's verdict under each consumer policy, the suggested trusted signers and nuget.config.
import { z } from "zod";
import { galleryFeedFor } from "@/app/_components/feed-source";
import { getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { IssueError } from "@/lib/issues";
import { loadGraphView } from "@/lib/packages/dependency-graph";

export const dynamic = "force-dynamic";

const query = z.object({ framework: z.string().max(100).optional() });

export const GET = withErrorHandling(
  async (request: Request, context: { params: Promise<{ id: string; version: string }> }) => {
    const { id, version } = await context.params;
    const { framework } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
    const view = await loadGraphView(getDb(), await galleryFeedFor(request), id, version, framework);
    if (!view)
      throw new IssueError("PACKAGE_NOT_FOUND", `A package with ID '${id}' and version '${version}' does not exist.`);
    return Response.json(view, { headers: { "Cache-Control": "no-cache" } });
  },
);
