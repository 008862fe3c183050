// An RFC 9162 consistency proof between two sizes of the publication log:
// /api/log/consistency?from=<size>[&to=<size>] (to defaults to the current checkpoint's size).
import { z } from "zod";
import { gallerySigner, getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { consistencyWithCheckpoint } from "@/lib/tlog/serve";

export const dynamic = "force-dynamic";

const treeSize = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,9})$/, "A tree size is a whole number from 0.")
  .transform(Number);
const querySchema = z.object({ from: treeSize, to: treeSize.optional() });

export const GET = withErrorHandling(async (request: Request) => {
  const query = new URL(request.url).searchParams;
  const { from, to } = querySchema.parse({ from: query.get("from") ?? undefined, to: query.get("to") ?? undefined });
  return Response.json(await consistencyWithCheckpoint(getDb(), gallerySigner(), from, to));
});
