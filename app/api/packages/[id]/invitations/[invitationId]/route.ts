// Withdrawing a co-owner invitation that is still waiting: an owner (or admin) with a recent second factor.
import { requireApiUserWithSecondFactor } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { cancelInvitation } from "@/lib/owners/owners";

export const dynamic = "force-dynamic";

export const DELETE = withErrorHandling(
  async (request: Request, context: { params: Promise<{ id: string; invitationId: string }> }) => {
    const user = await requireApiUserWithSecondFactor(request);
    const { id, invitationId } = await context.params;
    return Response.json(await cancelInvitation(getDb(), id, user, invitationId));
  },
);
