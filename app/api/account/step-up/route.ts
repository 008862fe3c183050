// POST { code } or { passkey: { challengeId, response } }: the signed-in user proves a second
// factor again, which lets this session do sensitive things for the next 15 minutes. Wrong
// codes count against the sign-in throttle like wrong passwords.
import { z } from "zod";
import { markSecondFactorProved, useSecondFactorCode } from "@/lib/auth/second-factor";
import { requireApiUser } from "@/lib/web/session";
import { accountKey } from "@/lib/auth/throttle";
import { clientAddress } from "@/lib/http/client-address";
import { relyingPartyFor, verifyPasskey } from "@/lib/auth/webauthn";
import { getDb, services } from "@/lib/services";
import { readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";
import { IssueError } from "@/lib/issues";

export const dynamic = "force-dynamic";

const Proof = z.union([z.strictObject({ code: z.string().max(100) }), z.strictObject({ passkey: z.unknown() })]);

export const POST = withErrorHandling(async (request: Request) => {
  const user = await requireApiUser(request);
  const proof = Proof.parse(
    await readJsonBody(
      request,
      'The request body must be JSON: { "code": "123456" } or { "passkey": { "challengeId", "response" } }.',
    ),
  );
  const db = getDb();
  const throttle = services.signInThrottle;
  const address = clientAddress(request.headers);
  const decision = throttle.checkSignIn(address, accountKey(user.email));
  if (!decision.allowed)
    throw new IssueError(
      "SIGN_IN_THROTTLED",
      `Too many wrong codes. Try again in ${decision.retryAfterSeconds} seconds.`,
    );
  const proved =
    "code" in proof
      ? (await useSecondFactorCode(db, user.id, proof.code)) !== null
      : await verifyPasskey(
          db,
          services.passkeyChallenges,
          user.id,
          relyingPartyFor(request.headers, request.url),
          proof.passkey,
        );
  if (!proved) {
    throttle.recordFailure(address, accountKey(user.email));
    throw new IssueError(
      "SECOND_FACTOR_INVALID",
      "That code or passkey did not work. Codes can be used once; wait for the next one from your app.",
    );
  }
  throttle.recordSuccess(accountKey(user.email));
  await markSecondFactorProved(db, user.sessionId);
  return Response.json({ message: "Confirmed. You can go ahead for the next 15 minutes." });
});
