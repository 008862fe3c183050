// Certificates as admins investigate them: find one by fingerprint or subject, see who
// registered it and which versions it signed, and mark it compromised from a date. The mark is
// all there is to it: the upload pipeline refuses new pushes proven signed at or after the
// date, and package pages warn on the versions whose proven signing time is at or after it
// (the same rule, signedWhileCompromised, flags and counts them here).
import { z } from "zod";
import { displayFingerprint, parseFingerprint } from "@/lib/certificates/fingerprint";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import { signedWhileCompromisedWhere } from "@/lib/db/packages";
import { signedWhileCompromised, type SigningTimeSource } from "@/lib/validation/proven-signing-time";
import { enqueueOutbox } from "@/lib/outbox/outbox";
import { deliverOutboxSoon } from "@/lib/outbox/delivery";
import { logCompromiseMark } from "@/lib/tlog/record";
import { refreshSearchForCertificate } from "@/lib/search/search-index";
import { optionalReasonSchema, recordAuditEntry, requiredReasonSchema } from "@/lib/audit";
import { formatDistinguishedName } from "@/lib/signing/distinguished-name";

export interface CertificateListItem {
  id: string;
  sha256Fingerprint: string;
  subject: string | null;
  issuer: string | null;
  notAfter: Date | null;
  compromisedAt: Date | null;
  registrationCount: number;
  signedVersionCount: number;
}

export const CERTIFICATE_SEARCH_LIMIT = 100;

const LIST_SELECT = {
  id: true,
  sha256Fingerprint: true,
  subject: true,
  issuer: true,
  notAfter: true,
  compromisedAt: true,
  _count: { select: { registrations: true, signedVersions: true } },
} as const;

type ListRow = { _count: { registrations: number; signedVersions: number } } & Omit<
  CertificateListItem,
  "registrationCount" | "signedVersionCount"
>;

function toListItem({ _count, ...row }: ListRow): CertificateListItem {
  return { ...row, registrationCount: _count.registrations, signedVersionCount: _count.signedVersions };
}

function fingerprintIn(query: string): string | null {
  try {
    return parseFingerprint(query);
  } catch {
    return null;
  }
}

/** At least this many hex digits read as part of a fingerprint (fewer match too much to mean one). */
export const MIN_PARTIAL_FINGERPRINT_DIGITS = 6;

/** Hex digits (with the colons, spaces or dashes people copy with them) as a partial fingerprint, lower case. */
function partialFingerprintIn(query: string): string | null {
  const digits = query.replace(/[\s:-]/g, "").toLowerCase();
  return digits.length >= MIN_PARTIAL_FINGERPRINT_DIGITS && digits.length < 64 && /^[0-9a-f]+$/.test(digits)
    ? digits
    : null;
}

/**
 * A SHA-256 fingerprint in any format people paste finds that certificate; part of one (six or
 * more hex digits, from anywhere in it) finds those that contain it; other text finds
 * certificates whose subject contains it (any case, matched here so both databases agree);
 * no text lists the newest. Compromised certificates come first.
 */
export async function searchCertificates(db: Db, query = ""): Promise<CertificateListItem[]> {
  const text = query.trim();
  const fingerprint = text ? fingerprintIn(text) : null;
  if (fingerprint) {
    const row = await db.certificate.findUnique({ where: { sha256Fingerprint: fingerprint }, select: LIST_SELECT });
    return row ? [toListItem(row)] : [];
  }
  const needle = text.toLowerCase();
  const partial = partialFingerprintIn(text);
  const candidates = await db.certificate.findMany({ select: { id: true, subject: true, sha256Fingerprint: true } });
  const ids = candidates
    .filter(
      (row) =>
        (row.subject ?? "").toLowerCase().includes(needle) ||
        (partial !== null && row.sha256Fingerprint.includes(partial)),
    )
    .map((row) => row.id);
  const rows = await db.certificate.findMany({
    where: { id: { in: ids } },
    orderBy: [{ compromisedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
    take: CERTIFICATE_SEARCH_LIMIT,
    select: LIST_SELECT,
  });
  return rows.map(toListItem);
}

export interface CertificateDetail {
  id: string;
  sha256Fingerprint: string;
  sha1Fingerprint: string | null;
  subject: string | null;
  issuer: string | null;
  serialNumber: string | null;
  notBefore: Date | null;
  notAfter: Date | null;
  compromisedAt: Date | null;
  compromisedReason: string | null;
  registrations: { username: string; registeredAt: Date }[];
  signedVersions: {
    packageId: string;
    version: string;
    provenSigningTime: Date;
    provenSigningTimeSource: SigningTimeSource;
    publishedAt: Date;
    flagged: boolean;
  }[];
}

export async function getCertificateDetail(db: Db, id: string): Promise<CertificateDetail> {
  const row = await db.certificate.findUnique({
    where: { id },
    select: {
      id: true,
      sha256Fingerprint: true,
      sha1Fingerprint: true,
      subject: true,
      issuer: true,
      serialNumber: true,
      notBefore: true,
      notAfter: true,
      compromisedAt: true,
      compromisedReason: true,
      registrations: {
        orderBy: { createdAt: "asc" },
        select: { createdAt: true, user: { select: { username: true } } },
      },
      signedVersions: {
        orderBy: [{ provenSigningTime: "desc" }, { publishedAt: "desc" }],
        select: {
          version: true,
          provenSigningTime: true,
          provenSigningTimeSource: true,
          publishedAt: true,
          registration: { select: { packageId: true } },
        },
      },
    },
  });
  if (!row) throw new IssueError("CERTIFICATE_NOT_FOUND", "No certificate with this id is known to the gallery.");
  const { registrations, signedVersions, ...certificate } = row;
  return {
    ...certificate,
    registrations: registrations.map((registration) => ({
      username: registration.user.username,
      registeredAt: registration.createdAt,
    })),
    signedVersions: signedVersions.map((version) => ({
      packageId: version.registration.packageId,
      version: version.version,
      provenSigningTime: version.provenSigningTime,
      provenSigningTimeSource: version.provenSigningTimeSource,
      publishedAt: version.publishedAt,
      flagged: signedWhileCompromised(version.provenSigningTime, row.compromisedAt),
    })),
  };
}

export const markCompromisedSchema = z.object({
  // A date ("2026-11-01") means its start in UTC; a full ISO time is taken as given.
  compromisedAt: z.coerce.date({ error: "Enter the date from which the certificate is compromised." }),
  reason: requiredReasonSchema,
});

export const clearCompromisedSchema = z.object({ reason: optionalReasonSchema });

async function certificateLabel(db: Db, id: string): Promise<{ fingerprint: string; subject: string | null }> {
  const row = await db.certificate.findUnique({ where: { id }, select: { sha256Fingerprint: true, subject: true } });
  if (!row) throw new IssueError("CERTIFICATE_NOT_FOUND", "No certificate with this id is known to the gallery.");
  return { fingerprint: row.sha256Fingerprint, subject: row.subject };
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Everyone the mark concerns, told through the outbox in the marking transaction: the accounts
 * that registered the certificate, those whose signer identity let it sign, and the owners of
 * packages with a version signed with it.
 */
async function tellOfCompromise(
  tx: Tx,
  id: string,
  label: { fingerprint: string; subject: string | null },
  compromisedAt: Date,
  reason: string,
): Promise<void> {
  const [registrations, identities, owners] = await Promise.all([
    tx.registeredCertificate.findMany({ where: { certificateId: id }, select: { userId: true } }),
    tx.signerIdentityCertificate.findMany({
      where: { certificateId: id },
      select: { identity: { select: { userId: true } } },
    }),
    tx.packageOwner.findMany({
      where: { registration: { versions: { some: { signerCertificateId: id } } } },
      select: { userId: true },
    }),
  ]);
  const userIds = new Set([
    ...registrations.map((row) => row.userId),
    ...identities.map((row) => row.identity.userId),
    ...owners.map((row) => row.userId),
  ]);
  const name = `${label.subject ? formatDistinguishedName(label.subject) : "a certificate"} (SHA-256 ${displayFingerprint(label.fingerprint)})`;
  await enqueueOutbox(
    tx,
    [...userIds].map((userId) => ({
      userId,
      kind: "certificate.compromised" as const,
      subject: `Certificate marked compromised: ${label.subject ? formatDistinguishedName(label.subject) : displayFingerprint(label.fingerprint)}`,
      body: `The gallery's administrators marked ${name} compromised from ${compromisedAt.toISOString()}: ${reason}. Pushes proven signed with it from then on are refused, and versions signed with it from then on carry a warning. If you sign with it, stop, and register a new certificate (and prove holding its key) before your next push.`,
      dedupeKey: `certificate.compromised:${id}:${compromisedAt.toISOString()}:${userId}`,
    })),
  );
}

export async function markCertificateCompromised(
  db: Db,
  actorId: string,
  id: string,
  input: unknown,
): Promise<{ message: string }> {
  const { compromisedAt, reason } = markCompromisedSchema.parse(input);
  const label = await certificateLabel(db, id);
  const flagged = await db.$transaction(async (tx) => {
    await tx.certificate.update({ where: { id }, data: { compromisedAt, compromisedReason: reason } });
    await refreshSearchForCertificate(tx, id);
    await recordAuditEntry(tx, {
      actorId,
      action: "certificate.compromise",
      targetType: "Certificate",
      targetId: id,
      reason,
      details: { ...label, compromisedAt: compromisedAt.toISOString() },
    });
    await logCompromiseMark(tx, { certificate: label.fingerprint, compromisedFrom: compromisedAt, time: new Date() });
    await tellOfCompromise(tx, id, label, compromisedAt, reason);
    return tx.packageVersion.count({ where: signedWhileCompromisedWhere(id, compromisedAt) });
  });
  deliverOutboxSoon(db);
  return {
    message: `Marked compromised from ${compromisedAt.toISOString()}: new pushes signed with it are refused, and ${flagged} published version${flagged === 1 ? "" : "s"} now carry a warning.`,
  };
}

export async function clearCertificateCompromised(
  db: Db,
  actorId: string,
  id: string,
  input: unknown,
): Promise<{ message: string }> {
  const { reason } = clearCompromisedSchema.parse(input);
  const label = await certificateLabel(db, id);
  await db.$transaction(async (tx) => {
    const before = await tx.certificate.findUniqueOrThrow({ where: { id }, select: { compromisedAt: true } });
    await tx.certificate.update({ where: { id }, data: { compromisedAt: null, compromisedReason: null } });
    await refreshSearchForCertificate(tx, id);
    await recordAuditEntry(tx, {
      actorId,
      action: "certificate.clear-compromise",
      targetType: "Certificate",
      targetId: id,
      reason,
      details: label,
    });
    // Only a mark that was there is logged as cleared.
    if (before.compromisedAt)
      await logCompromiseMark(tx, { certificate: label.fingerprint, compromisedFrom: null, time: new Date() });
  });
  return { message: "The compromise mark is cleared: the certificate is trusted again for new pushes." };
}
