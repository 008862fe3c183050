// The signed-in user's signer identities (for short-lived certificates): GET lists them with the
// concrete certificates seen under each; POST registers one, awaiting proof of possession:
// { "kind": "TRUSTED_SIGNING_EKU", "caFingerprint": "<sha-256>", "identityOid": "1.3.6.1.4.1.311.97.…" }
// or { "kind": "ISSUER_SUBJECT", "caFingerprint": "<sha-256>", "subjectFields": [{ "type": "O", "value": "Contoso Ltd" }] }.
import { z } from "zod";
import { requireApiUser, requireApiUserWithSecondFactor } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";
import { listSignerIdentities, registerSignerIdentity } from "@/lib/identity/identity-registry";

export const dynamic = "force-dynamic";

const IdentityRequest = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("TRUSTED_SIGNING_EKU"),
    caFingerprint: z.string().max(200),
    identityOid: z.string().max(200),
  }),
  z.strictObject({
    kind: z.literal("ISSUER_SUBJECT"),
    caFingerprint: z.string().max(200),
    subjectFields: z.array(z.strictObject({ type: z.string().max(64), value: z.string().max(1024) })).max(16),
  }),
]);

export const GET = withErrorHandling(async (request: Request) => {
  const user = await requireApiUser(request);
  return Response.json(
    { identities: await listSignerIdentities(getDb(), user.id) },
    { headers: { "Cache-Control": "no-store" } },
  );
});

export const POST = withErrorHandling(async (request: Request) => {
  const user = await requireApiUserWithSecondFactor(request);
  const body = IdentityRequest.parse(
    await readJsonBody(
      request,
      'The request body must be JSON: { "kind": "TRUSTED_SIGNING_EKU" | "ISSUER_SUBJECT", "caFingerprint": "<sha-256 hex>", then "identityOid" or "subjectFields" }.',
    ),
  );
  return Response.json({ identity: await registerSignerIdentity(getDb(), user.id, body) }, { status: 201 });
});
