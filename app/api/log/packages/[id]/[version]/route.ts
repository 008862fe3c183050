// A package version's publication log entries (its publication, then any repository signing,
// unlisting or relisting), each with its inclusion proof under the current signed checkpoint.
import { gallerySigner, getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { versionEntriesWithProofs } from "@/lib/tlog/serve";
import { normalizeVersion, parseVersion } from "@/lib/versioning/version";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(
  async (_request: Request, context: { params: Promise<{ id: string; version: string }> }) => {
    const { id, version } = await context.params;
    return Response.json(
      await versionEntriesWithProofs(getDb(), gallerySigner(), id, normalizeVersion(parseVersion(version))),
    );
  },
);
