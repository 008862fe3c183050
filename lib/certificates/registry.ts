// Certificates registered on accounts: list, register (file or fingerprint), remove, and fill in
// the details of fingerprint-only entries once a signed package shows what the certificate is.
// Every function takes the acting user's id, so one account never reaches another's entries.

import type { Db } from "@/lib/db";
import { IssueError, type Issue } from "@/lib/issues";
import type { CertificateSummary } from "@/lib/signing";
import { parseFingerprint } from "./fingerprint";
import { inspectCertificateFile } from "./inspect";
import { certificateStatus, type CertificateStatus } from "./status";

export interface RegisteredCertificate {
  /** The registration (account ↔ certificate link) id; what removal takes. */
  id: string;
  sha256Fingerprint: string;
  subject: string | null;
  issuer: string | null;
  notBefore: string | null;
  notAfter: string | null;
  status: CertificateStatus;
  registeredAt: string;
}

export type RegistrationResult = { registered: true; certificate: RegisteredCertificate } | { registered: false; issues: Issue[] };

const CERTIFICATE_FIELDS = { sha256Fingerprint: true, subject: true, issuer: true, notBefore: true, notAfter: true } as const;

interface RegistrationRow {
  id: string;
  createdAt: Date;
  certificate: { sha256Fingerprint: string; subject: string | null; issuer: string | null; notBefore: Date | null; notAfter: Date | null };
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
    status: certificateStatus(certificate.notAfter, now),
    registeredAt: row.createdAt.toISOString(),
  };
}

/** The user's registered certificates, oldest registration first. */
export async function listRegisteredCertificates(db: Db, userId: string, now = new Date()): Promise<RegisteredCertificate[]> {
  const rows = await db.registeredCertificate.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { id: true, createdAt: true, certificate: { select: CERTIFICATE_FIELDS } },
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
async function linkCertificate(db: Db, userId: string, certificateId: string, now: Date): Promise<RegisteredCertificate> {
  try {
    const row = await db.registeredCertificate.create({
      data: { userId, certificateId },
      select: { id: true, createdAt: true, certificate: { select: CERTIFICATE_FIELDS } },
    });
    return toRegisteredCertificate(row, now);
  } catch (caught) {
    const existing = await db.registeredCertificate.findUnique({ where: { userId_certificateId: { userId, certificateId } }, select: { id: true } });
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

/**
 * Registers a certificate file (DER or PEM) after every check in `inspectCertificateFile`.
 * Throws CERTIFICATE_REGISTRATION_EXISTS (409) for a repeat; returns the issues when checks fail.
 */
export async function registerCertificateFile(db: Db, userId: string, bytes: Uint8Array, now = new Date()): Promise<RegistrationResult> {
  const inspection = await inspectCertificateFile(bytes, now);
  if (!inspection.summary || !inspection.der || inspection.issues.length > 0) return { registered: false, issues: inspection.issues };
  const details = { ...certificateDetails(inspection.summary), der: new Uint8Array(inspection.der) };
  // A fingerprint-only row for the same certificate gains its details here too.
  const certificate = await db.certificate.upsert({
    where: { sha256Fingerprint: inspection.summary.sha256Fingerprint },
    create: { sha256Fingerprint: inspection.summary.sha256Fingerprint, ...details },
    update: details,
    select: { id: true },
  });
  return { registered: true, certificate: await linkCertificate(db, userId, certificate.id, now) };
}

/** Registers by SHA-256 fingerprint alone; details stay pending until a signed package arrives. */
export async function registerFingerprint(db: Db, userId: string, fingerprintText: string, now = new Date()): Promise<RegisteredCertificate> {
  const sha256Fingerprint = parseFingerprint(fingerprintText);
  const certificate = await db.certificate.upsert({ where: { sha256Fingerprint }, create: { sha256Fingerprint }, update: {}, select: { id: true } });
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

/**
 * Called when a signed package arrives: a certificate registered by fingerprint alone gets its
 * subject, issuer and validity from the package's signer. Returns whether a row was filled in;
 * rows that already have details are left as they are.
 */
export async function fillPendingCertificateDetails(db: Db, summary: CertificateSummary): Promise<boolean> {
  const { count } = await db.certificate.updateMany({
    where: { sha256Fingerprint: summary.sha256Fingerprint.toLowerCase(), subject: null },
    data: certificateDetails(summary),
  });
  return count > 0;
}
