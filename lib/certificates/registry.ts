// Certificates registered on accounts: list, register (file or fingerprint), remove, and fill in
// the details of fingerprint-only entries once a signed package shows what the certificate is.
// Every function takes the acting user's id, so one account never reaches another's entries.

import type { Db } from "@/lib/db";
import { IssueError, type Issue } from "@/lib/issues";
import type { PossessionProofName } from "@/lib/validation/rules/signer-rules";
import { chainTrust, type ChainTrust } from "@/lib/signing/chain-trust";
import { enqueueOutbox } from "@/lib/outbox/outbox";
import { pemBody, pemCertificateBlocks } from "@/lib/signing/certificates";
import type { CertificateSummary, SignatureReport } from "@/lib/signing";
import { displayFingerprint, parseFingerprint } from "./fingerprint";
import { inspectCertificateFile } from "./inspect";
import { certificateStatus, type CertificateStatus } from "./status";
import { formatDistinguishedName } from "@/lib/signing/distinguished-name";

export interface RegisteredCertificate {
  /** The registration (account ↔ certificate link) id; what removal takes and challenges name. */
  id: string;
  sha256Fingerprint: string;
  subject: string | null;
  issuer: string | null;
  notBefore: string | null;
  notAfter: string | null;
  status: CertificateStatus;
  registeredAt: string;
  /** How and when this account proved it holds the key; null while awaiting proof. */
  provenBy: PossessionProofName | null;
  provenAt: string | null;
  /** For a fingerprint registration: NuGet's certificate checks from the first package that showed it (null until then). */
  firstSeenIssues: Issue[] | null;
  /** How many other accounts registered the same certificate (each proves possession on its own). */
  otherRegistrations: number;
}

export type RegistrationResult =
  { registered: true; certificate: RegisteredCertificate; trust: ChainTrust } | { registered: false; issues: Issue[] };

const CERTIFICATE_FIELDS = {
  sha256Fingerprint: true,
  subject: true,
  issuer: true,
  notBefore: true,
  notAfter: true,
  firstSeenIssues: true,
  _count: { select: { registrations: true } },
} as const;
const REGISTRATION_FIELDS = {
  id: true,
  createdAt: true,
  provenBy: true,
  provenAt: true,
  certificate: { select: CERTIFICATE_FIELDS },
} as const;

interface RegistrationRow {
  id: string;
  createdAt: Date;
  provenBy: PossessionProofName | null;
  provenAt: Date | null;
  certificate: {
    sha256Fingerprint: string;
    subject: string | null;
    issuer: string | null;
    notBefore: Date | null;
    notAfter: Date | null;
    firstSeenIssues: string | null;
    _count: { registrations: number };
  };
}

function storedIssues(text: string | null): Issue[] | null {
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as Issue[]) : null;
  } catch {
    return null;
  }
}

function toRegisteredCertificate(row: RegistrationRow, now: Date): RegisteredCertificate {
  const { certificate } = row;
  return {
    id: row.id,
    sha256Fingerprint: certificate.sha256Fingerprint,
    subject: certificate.subject,
    issuer: certificate.issuer,
    notBefore: certificate.notBefore?.toISOString() ?? null,
    notAfter: certificate.notAfter?.toISOString() ?? null,
    status: certificateStatus(certificate.notAfter, row.provenBy !== null, now),
    registeredAt: row.createdAt.toISOString(),
    provenBy: row.provenBy,
    provenAt: row.provenAt?.toISOString() ?? null,
    firstSeenIssues: storedIssues(certificate.firstSeenIssues),
    otherRegistrations: certificate._count.registrations - 1,
  };
}

/** The user's registered certificates, oldest registration first. */
export async function listRegisteredCertificates(
  db: Db,
  userId: string,
  now = new Date(),
): Promise<RegisteredCertificate[]> {
  const rows = await db.registeredCertificate.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: REGISTRATION_FIELDS,
  });
  return rows.map((row) => toRegisteredCertificate(row, now));
}

function alreadyRegistered(): IssueError {
  return new IssueError("CERTIFICATE_REGISTRATION_EXISTS", "This certificate is already registered on your account.");
}

/**
 * Links the certificate row to the user; refuses a second link to the same account. The unique
 * (user, certificate) index decides, so two simultaneous requests cannot both succeed.
 */
async function linkCertificate(
  db: Db,
  userId: string,
  certificateId: string,
  now: Date,
): Promise<RegisteredCertificate> {
  try {
    const row = await db.registeredCertificate.create({
      data: { userId, certificateId },
      select: REGISTRATION_FIELDS,
    });
    return toRegisteredCertificate(row, now);
  } catch (caught) {
    const existing = await db.registeredCertificate.findUnique({
      where: { userId_certificateId: { userId, certificateId } },
      select: { id: true },
    });
    if (existing) throw alreadyRegistered();
    throw caught;
  }
}

/** The Certificate columns a certificate summary fills in (everything but the fingerprint and DER). */
export function certificateDetails(summary: CertificateSummary) {
  return {
    sha1Fingerprint: summary.sha1Fingerprint,
    subject: summary.subject,
    issuer: summary.issuer,
    serialNumber: summary.serialNumber,
    notBefore: new Date(summary.notBefore),
    notAfter: new Date(summary.notAfter),
  };
}

/** The certificates after the first in a PEM bundle: intermediates the author gave for the chain check. */
function bundledIntermediates(bytes: Uint8Array): Uint8Array[] {
  const text = new TextDecoder("latin1").decode(bytes);
  if (!text.includes("-----BEGIN CERTIFICATE-----")) return [];
  return pemCertificateBlocks(text)
    .slice(1)
    .flatMap((block) => {
      try {
        return [pemBody(block)];
      } catch {
        return [];
      }
    });
}

/**
 * Registers a certificate file (DER, PEM, or a PEM bundle whose first certificate is the
 * signing certificate and the rest its intermediates) after every check in
 * `inspectCertificateFile`, and says whether it chains to a root the gallery trusts. The
 * registration awaits proof of possession. Throws CERTIFICATE_REGISTRATION_EXISTS (409) for a
 * repeat; returns the issues when checks fail.
 */
export async function registerCertificateFile(
  db: Db,
  userId: string,
  bytes: Uint8Array,
  /** The gallery's code-signing roots, which say whether the certificate chains to a trusted root. */
  codeSigningRoots: readonly Uint8Array[],
  now = new Date(),
): Promise<RegistrationResult> {
  const inspection = await inspectCertificateFile(bytes, now);
  if (!inspection.summary || !inspection.der || inspection.issues.length > 0)
    return { registered: false, issues: inspection.issues };
  const details = { ...certificateDetails(inspection.summary), der: new Uint8Array(inspection.der) };
  // A fingerprint-only row for the same certificate gains its details here too.
  const certificate = await db.certificate.upsert({
    where: { sha256Fingerprint: inspection.summary.sha256Fingerprint },
    create: { sha256Fingerprint: inspection.summary.sha256Fingerprint, ...details },
    update: details,
    select: { id: true },
  });
  const trust = await chainTrust(inspection.der, bundledIntermediates(bytes), codeSigningRoots);
  return { registered: true, certificate: await linkCertificate(db, userId, certificate.id, now), trust };
}

/** Registers by SHA-256 fingerprint alone; details stay pending until a signed package arrives. */
export async function registerFingerprint(
  db: Db,
  userId: string,
  fingerprintText: string,
  now = new Date(),
): Promise<RegisteredCertificate> {
  const sha256Fingerprint = parseFingerprint(fingerprintText);
  const certificate = await db.certificate.upsert({
    where: { sha256Fingerprint },
    create: { sha256Fingerprint },
    update: {},
    select: { id: true },
  });
  return linkCertificate(db, userId, certificate.id, now);
}

/**
 * Removes one of the user's registrations. Someone else's registration is reported as not
 * found, so ids of other accounts' entries reveal nothing. The certificate row stays: signed
 * versions still point at it.
 */
export async function removeRegisteredCertificate(db: Db, userId: string, registrationId: string): Promise<void> {
  const { count } = await db.registeredCertificate.deleteMany({ where: { id: registrationId, userId } });
  if (count === 0) throw new IssueError("CERTIFICATE_NOT_FOUND", "No such certificate is registered on your account.");
}

/** The engine's codes for what is wrong with a signing certificate itself (usage, key, algorithm, validity, chain). */
const CERTIFICATE_RULE_CODES = new Set(["NU3012", "NU3013", "NU3014", "NU3015", "NU3017", "NU3018", "NU3037"]);

/**
 * Called when a signed package arrives: a certificate registered by fingerprint alone gets its
 * subject, issuer and validity from the package's signer, and the same checks a certificate
 * file gets at registration (NuGet's rules, as the engine judged the signer), and every account
 * that registered it is told what was found (outbox and certificates page). Returns whether a
 * row was filled in; rows that already have details are left as they are.
 */
export async function fillPendingCertificateDetails(
  db: Db,
  summary: CertificateSummary,
  report: SignatureReport,
  packageLabel: string,
): Promise<boolean> {
  const sha256Fingerprint = summary.sha256Fingerprint.toLowerCase();
  const checks = report.issues.filter((issue) => issue.level === "error" && CERTIFICATE_RULE_CODES.has(issue.code));
  const { count } = await db.certificate.updateMany({
    where: { sha256Fingerprint, subject: null },
    data: { ...certificateDetails(summary), firstSeenIssues: JSON.stringify(checks) },
  });
  if (count === 0) return false;
  const registrations = await db.registeredCertificate.findMany({
    where: { certificate: { sha256Fingerprint } },
    select: { userId: true },
  });
  const verdict =
    checks.length === 0
      ? "It passes NuGet's certificate checks (code-signing usage, RSA key of at least 2048 bits, SHA-2 signature, validity, trusted chain)."
      : `It fails these checks, so packages signed with it are refused: ${checks.map((issue) => `${issue.code} ${issue.message}`).join(" ")}`;
  await enqueueOutbox(
    db,
    registrations.map((registration) => ({
      userId: registration.userId,
      kind: "certificate.first-seen" as const,
      subject: `Certificate ${displayFingerprint(sha256Fingerprint).slice(0, 23)}… seen in a package`,
      body: `The certificate you registered by fingerprint ${displayFingerprint(sha256Fingerprint)} signed ${packageLabel}. It is ${formatDistinguishedName(summary.subject)}, issued by ${formatDistinguishedName(summary.issuer)}, valid ${summary.notBefore.slice(0, 10)} to ${summary.notAfter.slice(0, 10)}. ${verdict}`,
    })),
  );
  return true;
}
