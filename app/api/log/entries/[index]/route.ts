// One publication log entry with its inclusion proof under the current signed checkpoint.
import { z } from "zod";
import { gallerySigner, getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { entryWithProof } from "@/lib/tlog/serve";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({
  index: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,9})$/, "The entry index is a whole number from 0.")
    .transform(Number),
});

export const GET = withErrorHandling(async (_request: Request, context: { params: Promise<{ index: string }> }) => {
  const { index } = paramsSchema.parse(await context.params);
  return Response.json(await entryWithProof(getDb(), gallerySigner(), index));
});
