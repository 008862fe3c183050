// Removes one of the signed-in user's certificate registrations.
import { requireApiUserWithSecondFactor } from "@/lib/web/session";
import { removeRegisteredCertificate } from "@/lib/certificates/registry";
import { getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const DELETE = withErrorHandling(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUserWithSecondFactor(request);
  const { id } = await context.params;
  await removeRegisteredCertificate(getDb(), user.id, id);
  return new Response(null, { status: 204 });
});
