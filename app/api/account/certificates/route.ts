// The signed-in user's certificates, for scripts and tests. POST takes either the certificate
// file's bytes in base64 ({ "file": "…" }, DER or PEM) or a SHA-256 fingerprint alone.
import { z } from "zod";
import { requireApiUser, requireApiUserWithSecondFactor } from "@/lib/web/session";
import { listRegisteredCertificates, registerCertificateFile, registerFingerprint } from "@/lib/certificates/registry";
import { galleryTrustStore, getDb } from "@/lib/services";
import { readJsonBody } from "@/lib/http/body";
import { issuesRefusal, withErrorHandling } from "@/lib/http/errors";
import { error, IssueError } from "@/lib/issues";

export const dynamic = "force-dynamic";

// Generous bound on the JSON field only; the 10,000-byte file limit is checked on the decoded bytes.
const MAX_BASE64_LENGTH = 1_000_000;

const RegistrationRequest = z.union([
  z.strictObject({ file: z.base64().max(MAX_BASE64_LENGTH) }),
  z.strictObject({ fingerprint: z.string().max(200) }),
]);

/** Admins may name another account with ?username=; everyone else sees only their own. */
async function accountToList(request: Request): Promise<string> {
  const user = await requireApiUser(request);
  const username = new URL(request.url).searchParams.get("username");
  if (!username || username === user.username) return user.id;
  if (user.role !== "ADMIN")
    throw new IssueError("FORBIDDEN", "You can only see the certificates registered on your own account.");
  const account = await getDb().user.findUnique({ where: { username }, select: { id: true } });
  if (!account) throw new IssueError("USER_NOT_FOUND", `There is no account named '${username}'.`);
  return account.id;
}

export const GET = withErrorHandling(async (request: Request) => {
  const certificates = await listRegisteredCertificates(getDb(), await accountToList(request));
  return Response.json({ certificates }, { headers: { "Cache-Control": "no-store" } });
});

export const POST = withErrorHandling(async (request: Request) => {
  const user = await requireApiUserWithSecondFactor(request);
  const body = RegistrationRequest.parse(
    await readJsonBody(
      request,
      'The request body must be JSON: { "file": "<base64>" } or { "fingerprint": "<sha-256 hex>" }.',
    ),
  );
  if ("fingerprint" in body) {
    return Response.json(
      { certificate: await registerFingerprint(getDb(), user.id, body.fingerprint) },
      { status: 201 },
    );
  }
  const result = await registerCertificateFile(
    getDb(),
    user.id,
    new Uint8Array(Buffer.from(body.file, "base64")),
    galleryTrustStore().codeSigningRoots,
  );
  if (!result.registered)
    return issuesRefusal(result.issues, error("CERTIFICATE_REJECTED", "The certificate cannot be registered."));
  return Response.json({ certificate: result.certificate, trust: result.trust }, { status: 201 });
});
