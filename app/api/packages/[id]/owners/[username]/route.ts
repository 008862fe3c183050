// Removing an owner, or leaving a package (removing oneself): an owner (or admin) with a recent
// second factor; the last owner cannot go.
import { requireApiUserWithSecondFactor } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { removeOwner } from "@/lib/owners/owners";

export const dynamic = "force-dynamic";

export const DELETE = withErrorHandling(
  async (request: Request, context: { params: Promise<{ id: string; username: string }> }) => {
    const user = await requireApiUserWithSecondFactor(request);
    const { id, username } = await context.params;
    return Response.json(await removeOwner(getDb(), id, user, username));
  },
);
