// POST: options for signing in with a passkey as the second step after the password. Nobody is
// signed in yet, so the browser is offered any passkey it holds for this site; the credentials
// provider checks that the one used belongs to the account whose password was given.
import { passkeyAuthenticationOptions, relyingPartyFor } from "@/lib/auth/webauthn";
import { getDb, services } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { assertSameOriginMutation } from "@/lib/http/same-origin";

export const dynamic = "force-dynamic";

export const POST = withErrorHandling(async (request: Request) => {
  assertSameOriginMutation(request);
  return Response.json(
    await passkeyAuthenticationOptions(
      getDb(),
      services.passkeyChallenges,
      relyingPartyFor(request.headers, request.url),
      null,
    ),
    { headers: { "Cache-Control": "no-store" } },
  );
});
