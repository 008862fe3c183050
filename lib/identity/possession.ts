// Proof of possession: before a registered certificate (or signer identity) lets packages
// through, the account signs a one-time challenge with the private key and uploads it back.
//
// A challenge is a short text naming the account, what is being proven, a random nonce and an
// expiry (CHALLENGE_LIFETIME_MS); it is bound to the account and the registration in the
// database too. The author signs it with the tool they sign packages with:
//   - `dotnet nuget sign` over a tiny challenge package the gallery builds (challenge.txt
//     inside), uploading the signed .nupkg; or
//   - `openssl cms -sign -binary` over the text, uploading the signature. We document the
//     detached form (-outform DER, without -nodetach), and also accept an attached signature
//     whose content is the challenge text, since that is a one-flag difference people make.
// The signature is checked by the engine (lib/signing/possession.ts: the key and the signed
// bytes, not trust), then the signed text must be this challenge, and the signer must be the
// registered certificate (or match the identity). Each refusal has its own code and sentence.
import { randomBytes } from "node:crypto";
import { strToU8, zipSync } from "fflate";
import { displayFingerprint } from "@/lib/certificates/fingerprint";
import { certificateDetails } from "@/lib/certificates/registry";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import { verifyCmsPossession, verifyPackagePossession, type PossessionSignature } from "@/lib/signing/possession";
import { bufferSource } from "@/lib/zip/source";
import { identityLabel, identityMatches, normalizeFingerprint } from "@/lib/validation/rules/signer-rules";
import { identityRule } from "@/lib/validation/rules/stored-identity";
import { formatDistinguishedName } from "@/lib/signing/distinguished-name";

export const CHALLENGE_LIFETIME_MS = 60 * 60_000;
/**
 * How long a challenge is kept after it expires (answered or not): long enough that a late or
 * replayed upload still hears "expired" or "already answered" rather than "no such challenge".
 */
export const CHALLENGE_RETENTION_MS = 24 * 60 * 60_000;
/** The challenge text is a few hundred bytes; anything larger in its place is not one. */
const MAX_CHALLENGE_TEXT_BYTES = 4096;
/** A signed challenge package or a CMS signature with its chain and a timestamp is 5-20 KB; it comes base64 in a JSON body (64 KiB). */
export const MAX_CHALLENGE_ANSWER_BYTES = 48 * 1024;
export const CHALLENGE_PACKAGE_ID = "Signet.PossessionChallenge";
export const CHALLENGE_ENTRY = "challenge.txt";
const HEADING = "Signet proof of possession";

export type ChallengeTarget = { registrationId: string } | { identityId: string };

export interface IssuedChallenge {
  id: string;
  expiresAt: Date;
  /** The exact bytes to sign (UTF-8). */
  text: string;
  /** The file name of the challenge package (challengePackage), for the page's `dotnet nuget sign` command. */
  packageFileName: string;
}

interface ChallengeRow {
  id: string;
  userId: string;
  nonce: string;
  expiresAt: Date;
  answeredAt: Date | null;
  user: { username: string };
  registration: {
    id: string;
    certificate: { id: string; sha256Fingerprint: string; der: Uint8Array | null; subject: string | null };
  } | null;
  identity: {
    id: string;
    kind: "ISSUER_SUBJECT" | "TRUSTED_SIGNING_EKU";
    caFingerprint: string;
    subjectFields: string;
    identityOid: string | null;
  } | null;
}

const CHALLENGE_SELECT = {
  id: true,
  userId: true,
  nonce: true,
  expiresAt: true,
  answeredAt: true,
  user: { select: { username: true } },
  registration: {
    select: { id: true, certificate: { select: { id: true, sha256Fingerprint: true, der: true, subject: true } } },
  },
  identity: { select: { id: true, kind: true, caFingerprint: true, subjectFields: true, identityOid: true } },
} as const;

function subjectLine(row: Pick<ChallengeRow, "registration" | "identity">): string {
  if (row.registration) return `Certificate SHA-256: ${row.registration.certificate.sha256Fingerprint}`;
  if (row.identity) return `Signer identity: ${identityLabel(identityRule(row.identity))}`;
  return "Certificate SHA-256: (removed)";
}

/** The text the author signs; every line is checked when it comes back. */
export function challengeText(
  row: Pick<ChallengeRow, "id" | "nonce" | "expiresAt" | "user" | "registration" | "identity">,
): string {
  return [
    HEADING,
    `Account: ${row.user.username}`,
    subjectLine(row),
    `Challenge: ${row.id}`,
    `Nonce: ${row.nonce}`,
    `Expires: ${row.expiresAt.toISOString()}`,
    "",
  ].join("\n");
}

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}

/** Issues a challenge for one of the user's registrations; earlier unanswered ones keep working until they expire. */
export async function issueChallenge(
  db: Db,
  userId: string,
  target: ChallengeTarget,
  now = new Date(),
): Promise<IssuedChallenge> {
  const owned =
    "registrationId" in target
      ? await db.registeredCertificate.findFirst({ where: { id: target.registrationId, userId }, select: { id: true } })
      : await db.signerIdentity.findFirst({ where: { id: target.identityId, userId }, select: { id: true } });
  if (!owned) {
    throw new IssueError(
      "registrationId" in target ? "CERTIFICATE_NOT_FOUND" : "SIGNER_IDENTITY_NOT_FOUND",
      "registrationId" in target
        ? "No such certificate is registered on your account."
        : "No such signer identity is registered on your account.",
    );
  }
  const row = await db.possessionChallenge.create({
    data: {
      id: randomToken(16),
      userId,
      nonce: randomToken(32),
      createdAt: now,
      expiresAt: new Date(now.getTime() + CHALLENGE_LIFETIME_MS),
      ...target,
    },
    select: CHALLENGE_SELECT,
  });
  return {
    id: row.id,
    expiresAt: row.expiresAt,
    text: challengeText(row),
    packageFileName: challengePackageFileName(row.id),
  };
}

/** The challenge of the user (for downloads); another account's challenge is not found. */
async function ownChallenge(db: Db, userId: string, challengeId: string): Promise<ChallengeRow> {
  const row = await db.possessionChallenge.findUnique({ where: { id: challengeId }, select: CHALLENGE_SELECT });
  if (!row || row.userId !== userId)
    throw new IssueError(
      "CHALLENGE_NOT_FOUND",
      "There is no such challenge for your account; ask for a new one on the Certificates page.",
    );
  return row;
}

export async function readChallengeText(db: Db, userId: string, challengeId: string): Promise<string> {
  return challengeText(await ownChallenge(db, userId, challengeId));
}

function nuspec(version: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>${CHALLENGE_PACKAGE_ID}</id>
    <version>${version}</version>
    <authors>Signet</authors>
    <description>A one-time proof-of-possession challenge from a Signet gallery. Sign it with dotnet nuget sign and upload the signed file on the Certificates page; never publish it.</description>
  </metadata>
</package>
`;
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" /><Default Extension="nuspec" ContentType="application/octet" /><Default Extension="txt" ContentType="application/octet" /></Types>`;
const RELATIONSHIPS = `<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/${CHALLENGE_PACKAGE_ID}.nuspec" Id="R1" /></Relationships>`;

/** A prerelease label unique to the challenge, so the file names of two challenges differ. */
function challengePackageVersion(challengeId: string): string {
  return `1.0.0-challenge.${Buffer.from(challengeId, "base64url").toString("hex").slice(0, 12)}`;
}

function challengePackageFileName(challengeId: string): string {
  return `${CHALLENGE_PACKAGE_ID}.${challengePackageVersion(challengeId)}.nupkg`;
}

/** The challenge as a tiny unsigned package for `dotnet nuget sign` (its file name, and bytes). */
export async function challengePackage(
  db: Db,
  userId: string,
  challengeId: string,
): Promise<{ fileName: string; bytes: Uint8Array }> {
  const row = await ownChallenge(db, userId, challengeId);
  const version = challengePackageVersion(row.id);
  const bytes = zipSync(
    {
      "_rels/.rels": strToU8(RELATIONSHIPS),
      [`${CHALLENGE_PACKAGE_ID}.nuspec`]: strToU8(nuspec(version)),
      [CHALLENGE_ENTRY]: strToU8(challengeText(row)),
      "[Content_Types].xml": strToU8(CONTENT_TYPES),
    },
    { level: 6, mtime: new Date("2000-01-01T00:00:00Z") },
  );
  return { fileName: challengePackageFileName(row.id), bytes };
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The "Key: value" lines of a signed text that looks like a challenge, or null. */
function challengeFields(content: Uint8Array): Map<string, string> | null {
  if (content.byteLength > MAX_CHALLENGE_TEXT_BYTES) return null;
  const lines = new TextDecoder().decode(content).replace(/\r\n/g, "\n").split("\n");
  if (lines[0] !== HEADING) return null;
  const fields = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const separator = line.indexOf(": ");
    if (separator > 0) fields.set(line.slice(0, separator), line.slice(separator + 2));
  }
  return fields;
}

async function verifyAnswer(row: ChallengeRow, answer: Uint8Array): Promise<PossessionSignature> {
  try {
    if (isZip(answer))
      return await verifyPackagePossession(bufferSource(answer), CHALLENGE_ENTRY, MAX_CHALLENGE_TEXT_BYTES);
    const registered = row.registration?.certificate.der ? [row.registration.certificate.der] : [];
    return await verifyCmsPossession(answer, new TextEncoder().encode(challengeText(row)), registered);
  } catch (failure) {
    if (failure instanceof IssueError) throw failure;
    if (failure instanceof RangeError)
      throw new IssueError("POSSESSION_SIGNATURE_INVALID", `The uploaded file cannot be read: ${failure.message}`);
    throw failure;
  }
}

function checkSignedText(row: ChallengeRow, signed: PossessionSignature): void {
  const expected = challengeText(row);
  if (new TextDecoder().decode(signed.content) === expected) return;
  const fields = challengeFields(signed.content);
  if (fields && fields.get("Account") !== row.user.username) {
    throw new IssueError(
      "CHALLENGE_OTHER_ACCOUNT",
      `The signed challenge was issued to the account '${fields.get("Account") ?? "?"}', not to '${row.user.username}'. Sign the challenge your own Certificates page gives you.`,
    );
  }
  if (fields && fields.get("Challenge") !== row.id) {
    throw new IssueError(
      "CHALLENGE_MISMATCH",
      `The signed file answers another challenge (${fields.get("Challenge") ?? "?"}), not this one; sign the challenge you are uploading it for.`,
    );
  }
  throw new IssueError(
    "CHALLENGE_CONTENT_MISMATCH",
    "What was signed is not this challenge's text; sign the downloaded challenge file exactly as it is (openssl cms -sign -binary).",
  );
}

function checkSigner(row: ChallengeRow, signed: PossessionSignature): void {
  const signer = signed.signer;
  if (row.registration) {
    const registered = row.registration.certificate.sha256Fingerprint;
    if (normalizeFingerprint(signer.sha256Fingerprint) === registered) return;
    throw new IssueError(
      "CHALLENGE_WRONG_SIGNER",
      `The challenge was signed with the certificate '${formatDistinguishedName(signer.subject)}' (${displayFingerprint(signer.sha256Fingerprint)}), not with the registered certificate ${displayFingerprint(registered)}. Sign it with the private key of the registered certificate.`,
    );
  }
  if (row.identity) {
    const rule = identityRule(row.identity);
    // The CA must be one of the carried certificates that verifiably issued the signer (trust is the package verifier's question).
    if (identityMatches(rule, { caFingerprints: signed.issuerFingerprints, identity: signed.signerIdentity })) return;
    throw new IssueError(
      "CHALLENGE_WRONG_SIGNER",
      `The challenge was signed with the certificate '${formatDistinguishedName(signer.subject)}', which does not match the signer identity ${identityLabel(rule)}. Sign it with a current certificate of that identity, with its issuing CA certificate included.`,
    );
  }
  throw new IssueError("CHALLENGE_NOT_FOUND", "The certificate this challenge was for is no longer registered.");
}

/**
 * Checks an uploaded answer and, when it proves possession, marks the registration proven (and
 * a fingerprint-only certificate learns its details). Refusals: CHALLENGE_NOT_FOUND,
 * CHALLENGE_OTHER_ACCOUNT, CHALLENGE_ALREADY_ANSWERED, CHALLENGE_EXPIRED,
 * POSSESSION_SIGNATURE_INVALID, CHALLENGE_MISMATCH, CHALLENGE_CONTENT_MISMATCH, CHALLENGE_WRONG_SIGNER.
 */
export async function answerChallenge(
  db: Db,
  userId: string,
  challengeId: string,
  answer: Uint8Array,
  now = new Date(),
): Promise<{ proven: "certificate" | "identity"; id: string }> {
  const row = await db.possessionChallenge.findUnique({ where: { id: challengeId }, select: CHALLENGE_SELECT });
  if (!row)
    throw new IssueError(
      "CHALLENGE_NOT_FOUND",
      "There is no such challenge; ask for a new one on the Certificates page.",
    );
  if (row.userId !== userId) {
    throw new IssueError(
      "CHALLENGE_OTHER_ACCOUNT",
      `This challenge was issued to the account '${row.user.username}', not to yours. Sign the challenge your own Certificates page gives you.`,
    );
  }
  if (row.answeredAt) {
    throw new IssueError(
      "CHALLENGE_ALREADY_ANSWERED",
      `This challenge was already answered at ${row.answeredAt.toISOString()}; a challenge proves possession once. Ask for a new one.`,
    );
  }
  if (row.expiresAt.getTime() <= now.getTime()) {
    throw new IssueError(
      "CHALLENGE_EXPIRED",
      `This challenge expired at ${row.expiresAt.toISOString()} (challenges last ${CHALLENGE_LIFETIME_MS / 60_000} minutes); ask for a new one and sign it.`,
    );
  }
  const signed = await verifyAnswer(row, answer);
  checkSignedText(row, signed);
  checkSigner(row, signed);
  return db.$transaction(async (tx) => {
    // Conditional: of two uploads racing for one challenge, only one proves anything.
    const used = await tx.possessionChallenge.updateMany({
      where: { id: row.id, answeredAt: null },
      data: { answeredAt: now },
    });
    if (used.count !== 1)
      throw new IssueError(
        "CHALLENGE_ALREADY_ANSWERED",
        "This challenge was already answered; a challenge proves possession once. Ask for a new one.",
      );
    const proof = { provenBy: "CHALLENGE" as const, provenAt: now };
    if (row.registration) {
      await tx.registeredCertificate.update({ where: { id: row.registration.id }, data: proof });
      if (!row.registration.certificate.subject) {
        await tx.certificate.update({
          where: { id: row.registration.certificate.id },
          data: { ...certificateDetails(signed.signer), der: new Uint8Array(signed.signerDer) },
        });
      }
      return { proven: "certificate" as const, id: row.registration.id };
    }
    const identity = row.identity as NonNullable<ChallengeRow["identity"]>;
    await tx.signerIdentity.update({ where: { id: identity.id }, data: proof });
    return { proven: "identity" as const, id: identity.id };
  });
}

/** Deletes challenges that expired more than CHALLENGE_RETENTION_MS ago, answered or not; returns how many. */
export async function purgeStaleChallenges(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.possessionChallenge.deleteMany({
    where: { expiresAt: { lt: new Date(now.getTime() - CHALLENGE_RETENTION_MS) } },
  });
  return count;
}
