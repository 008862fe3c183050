// Removes one of the signed-in user's signer identities.
import { requireApiUserWithSecondFactor } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { removeSignerIdentity } from "@/lib/identity/identity-registry";

export const dynamic = "force-dynamic";

export const DELETE = withErrorHandling(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUserWithSecondFactor(request);
  const { id } = await context.params;
  await removeSignerIdentity(getDb(), user.id, id);
  return new Response(null, { status: 204 });
});
