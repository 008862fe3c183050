// Inviting a co-owner by username: an owner (or admin) with a second factor proved in the last
// 15 minutes, as nuget.org asks for owner changes. The invitee answers on their account page.
import { z } from "zod";
import { requireApiUserWithSecondFactor } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";
import { inviteOwner } from "@/lib/owners/owners";

export const dynamic = "force-dynamic";

const InviteRequest = z.strictObject({ username: z.string().trim().min(1, "Give the username to invite.").max(100) });

export const POST = withErrorHandling(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUserWithSecondFactor(request);
  const { id } = await context.params;
  const { username } = InviteRequest.parse(
    await readJsonBody(request, 'The request body must be JSON: { "username": "…" }.'),
  );
  return Response.json(await inviteOwner(getDb(), id, user, username), { status: 201 });
});
