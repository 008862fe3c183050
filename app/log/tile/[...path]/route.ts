// The publication log's Merkle tree hashes and entries in the C2SP tlog-tiles layout:
// <gallery>/log/tile/<L>/<N>[.p/<W>] and <gallery>/log/tile/entries/<N>[.p/<W>].
import { getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { readTile } from "@/lib/tlog/serve";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (_request: Request, context: { params: Promise<{ path: string[] }> }) => {
  const { path } = await context.params;
  const tile = await readTile(getDb(), path);
  return new Response(tile, {
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(tile.length),
      // A tile of a given width never changes: the hashes and entries in it are final.
      "Cache-Control": "public, max-age=31536000, immutable",
    },
  });
});
