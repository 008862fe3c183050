// POST { challengeId, response, name }: registers the passkey the browser created for the options
// from ./options; answers with recovery codes when it is the account's first second factor.
import { afterPasskeyAdded, hasSecondFactor } from "@/lib/auth/second-factor";
import { requireApiUser, requireApiUserWithSecondFactor } from "@/lib/web/session";
import { registerPasskey, relyingPartyFor } from "@/lib/auth/webauthn";
import { getDb, services } from "@/lib/services";
import { readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const POST = withErrorHandling(async (request: Request) => {
  const db = getDb();
  const signedIn = await requireApiUser(request);
  const user = (await hasSecondFactor(db, signedIn.id)) ? await requireApiUserWithSecondFactor(request) : signedIn;
  const body = await readJsonBody(request, 'The request body must be JSON: { "challengeId", "response", "name" }.');
  const passkey = await registerPasskey(
    db,
    services.passkeyChallenges,
    user,
    relyingPartyFor(request.headers, request.url),
    body,
  );
  return Response.json(
    { passkey, ...(await afterPasskeyAdded(db, user)) },
    { status: 201, headers: { "Cache-Control": "no-store" } },
  );
});
