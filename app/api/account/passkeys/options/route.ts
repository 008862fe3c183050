// POST: options for registering a passkey (WebAuthn). Adding one to an account that already has
// a second factor needs that factor recently, so a stolen session cannot add its own.
import { hasSecondFactor } from "@/lib/auth/second-factor";
import { requireApiUser, requireApiUserWithSecondFactor } from "@/lib/web/session";
import { passkeyRegistrationOptions, relyingPartyFor } from "@/lib/auth/webauthn";
import { getDb, services } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const POST = withErrorHandling(async (request: Request) => {
  const db = getDb();
  const signedIn = await requireApiUser(request);
  const user = (await hasSecondFactor(db, signedIn.id)) ? await requireApiUserWithSecondFactor(request) : signedIn;
  return Response.json(
    await passkeyRegistrationOptions(
      db,
      services.passkeyChallenges,
      user,
      relyingPartyFor(request.headers, request.url),
    ),
    { headers: { "Cache-Control": "no-store" } },
  );
});
