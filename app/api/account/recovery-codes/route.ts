// POST: ten new recovery codes for the signed-in user (after a recent second factor); the
// earlier ones stop working. The codes are in this answer only.
import { regenerateRecoveryCodes } from "@/lib/auth/second-factor";
import { requireApiUserWithSecondFactor } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const POST = withErrorHandling(async (request: Request) => {
  const user = await requireApiUserWithSecondFactor(request);
  return Response.json(
    { recoveryCodes: await regenerateRecoveryCodes(getDb(), user) },
    { status: 201, headers: { "Cache-Control": "no-store" } },
  );
});
