// DELETE: removes one of the signed-in user's passkeys (after a recent second factor).
import { removeSecondFactor } from "@/lib/auth/second-factor";
import { requireApiUserWithSecondFactor } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const DELETE = withErrorHandling(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUserWithSecondFactor(request);
  const { id } = await context.params;
  await removeSecondFactor(getDb(), user, { kind: "passkey", id });
  return new Response(null, { status: 204 });
});
