// POST: options for proving one of the signed-in user's passkeys, to confirm a sensitive action.
import { requireApiUser } from "@/lib/web/session";
import { passkeyAuthenticationOptions, relyingPartyFor } from "@/lib/auth/webauthn";
import { getDb, services } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const POST = withErrorHandling(async (request: Request) => {
  const user = await requireApiUser(request);
  return Response.json(
    await passkeyAuthenticationOptions(
      getDb(),
      services.passkeyChallenges,
      relyingPartyFor(request.headers, request.url),
      user.id,
    ),
    { headers: { "Cache-Control": "no-store" } },
  );
});
