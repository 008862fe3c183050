// The invitee's answer to a co-owner invitation: accept (becoming an owner) or decline. Only the
// invitee, with a recent second factor; someone else's invitation answers like a missing one.
import { z } from "zod";
import { requireApiUserWithSecondFactor } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";
import { answerInvitation } from "@/lib/owners/owners";

export const dynamic = "force-dynamic";

const Answer = z.strictObject({ accept: z.boolean() });

export const POST = withErrorHandling(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUserWithSecondFactor(request);
  const { id } = await context.params;
  const { accept } = Answer.parse(
    await readJsonBody(request, 'The request body must be JSON: { "accept": true } or { "accept": false }.'),
  );
  return Response.json(await answerInvitation(getDb(), user, id, accept));
});
