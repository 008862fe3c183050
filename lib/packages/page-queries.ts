// The package page's reads, in plain SQL that both SQLite and PostgreSQL run as written. The page
// is the gallery's busiest, and Prisma's query layer measured roughly ten times the cost of
// the same read through $queryRaw here (about 4 ms against 0.4 ms per query on SQLite), so
// these few hot reads skip it. Every query is keyed by an indexed column.

import { Prisma } from "@/generated/prisma/sqlite/client";
import { inJsonList, readQuery, type Db, type DbClient } from "@/lib/db";
import type { SigningTimeSource } from "@/lib/validation/proven-signing-time";
import type { SignerContinuityValue } from "./signer-continuity";
import type { SignatureStatus } from "./signing-state";
import type { AccountRef, ReservationWithOwners } from "./verification";

export interface VersionListRow {
  registrationId: string;
  packageId: string;
  id: string;
  version: string;
  versionLower: string;
  listed: boolean;
  publishedAt: Date;
  signatureStatus: SignatureStatus;
  provenSigningTime: Date;
  provenSigningTimeSource: SigningTimeSource;
  signerCertificateId: string | null;
  signerSubject: string | null;
  compromisedAt: Date | null;
  compromisedReason: string | null;
  /** When the gallery repository-signed the served file (the backfill changes it once, from null). */
  repositorySignedAt: Date | null;
  signerContinuity: SignerContinuityValue;
  signerPreviousVersion: string | null;
}

/** Every version of the ID with what its signing badge needs; empty when the gallery lacks the ID. */
export async function readVersionList(db: Db, packageIdLower: string): Promise<VersionListRow[]> {
  return db.$queryRaw<VersionListRow[]>`
    SELECT r."id" AS "registrationId", r."packageId", v."id", v."version", v."versionLower", v."listed", v."publishedAt",
           v."signatureStatus", v."provenSigningTime", v."provenSigningTimeSource", v."signerCertificateId", c."subject" AS "signerSubject", c."compromisedAt",
           c."compromisedReason", v."repositorySignedAt", v."signerContinuity", v."signerPreviousVersion"
    FROM "PackageRegistration" r
    JOIN "PackageVersion" v ON v."registrationId" = r."id"
    LEFT JOIN "Certificate" c ON c."id" = v."signerCertificateId"
    WHERE r."packageIdLower" = ${packageIdLower}`;
}

export interface OwnerWithCertificates extends AccountRef {
  /** The certificates this owner registered (RegisteredCertificate rows). */
  certificateIds: string[];
}

/** The package's owners, first owner first, each with the certificates they registered. */
export async function readOwners(db: Db, packageIdLower: string): Promise<OwnerWithCertificates[]> {
  const rows = await db.$queryRaw<Array<AccountRef & { certificateId: string | null }>>`
    SELECT u."id", u."username", rc."certificateId"
    FROM "PackageRegistration" r
    JOIN "PackageOwner" po ON po."registrationId" = r."id"
    JOIN "User" u ON u."id" = po."userId"
    LEFT JOIN "RegisteredCertificate" rc ON rc."userId" = u."id"
    WHERE r."packageIdLower" = ${packageIdLower}
    ORDER BY po."createdAt", u."username"`;
  const owners = new Map<string, OwnerWithCertificates>();
  for (const row of rows) {
    const owner = owners.get(row.id) ?? { id: row.id, username: row.username, certificateIds: [] };
    if (row.certificateId !== null) owner.certificateIds.push(row.certificateId);
    owners.set(row.id, owner);
  }
  return [...owners.values()];
}

interface ReservationRow {
  id: string;
  pattern: string;
  patternLower: string;
  isPrefix: boolean | number;
  isPublic: boolean | number;
  userId: string | null;
  username: string | null;
}

/** Every prefix of the ID: the only patterns a reservation matching it can have. */
export function candidatePatterns(packageIdLower: string): string[] {
  return Array.from(packageIdLower, (_, index) => packageIdLower.slice(0, index + 1));
}

export interface ReservationWithPattern extends ReservationWithOwners {
  patternLower: string;
}

/** The reservations whose pattern could match any of the IDs, with their owners. */
export async function readReservationsForIds(
  db: DbClient,
  packageIdsLower: readonly string[],
): Promise<ReservationWithPattern[]> {
  const patterns = [...new Set(packageIdsLower.flatMap(candidatePatterns))];
  if (patterns.length === 0) return [];
  return readReservations(db, inJsonList(db, Prisma.sql`pr."patternLower"`, patterns, "text"));
}

/** Every reservation, with its owners. */
export async function readAllReservations(db: DbClient): Promise<ReservationWithPattern[]> {
  return readReservations(db, Prisma.sql`true`);
}

/** The reservations meeting `where` (on `pr`), with their owners. */
async function readReservations(db: DbClient, where: Prisma.Sql): Promise<ReservationWithPattern[]> {
  // The username is a lookup per owner: the few reservations' tables are rarely analyzed (too few
  // writes for autovacuum), and PostgreSQL then guesses hundreds of rows and hashes every account
  // to join them (2.6 ms of a search's 6 with 10,000 accounts; 0.1 as a lookup).
  const rows = await readQuery<ReservationRow>(
    db,
    Prisma.sql`
    SELECT pr."id", pr."pattern", pr."patternLower", pr."isPrefix", pr."isPublic", pro."userId",
           (SELECT u."username" FROM "User" u WHERE u."id" = pro."userId") AS "username"
    FROM "PrefixReservation" pr
    LEFT JOIN "PrefixReservationOwner" pro ON pro."reservationId" = pr."id"
    WHERE ${where}`,
  );
  const byId = new Map<string, ReservationWithPattern & { owners: AccountRef[] }>();
  for (const row of rows) {
    const reservation = byId.get(row.id) ?? {
      pattern: row.pattern,
      patternLower: row.patternLower,
      // SQLite's read threads give its booleans as 0 and 1 (lib/db readQuery).
      isPrefix: Boolean(row.isPrefix),
      isPublic: Boolean(row.isPublic),
      owners: [],
    };
    if (row.userId !== null && row.username !== null)
      reservation.owners.push({ id: row.userId, username: row.username });
    byId.set(row.id, reservation);
  }
  return [...byId.values()];
}

/** The reservations whose pattern could match the ID, with their owners. */
export async function readReservationsFor(db: Db, packageIdLower: string): Promise<ReservationWithOwners[]> {
  return readReservationsForIds(db, [packageIdLower]);
}

export interface VersionDetailsRow {
  title: string | null;
  summary: string | null;
  description: string;
  authors: string;
  copyright: string | null;
  licenseExpression: string | null;
  licenseUrl: string | null;
  projectUrl: string | null;
  tags: string | null;
  releaseNotes: string | null;
  /** The readme as rendered when the version was published. */
  readmeHtml: string | null;
  /** The readme's text, read only while its HTML is missing (published before readmes were rendered at publish; db:migrate renders them). */
  unrenderedReadme: string | null;
  requireLicenseAcceptance: boolean;
  dependencyGroups: string;
  packageSize: number;
  sha512: string;
  uploadedSha512: string | null;
  signatureReport: string | null;
  logIndex: number | null;
  signerAuthorization: string | null;
  provenance: string | null;
  publisherUsername: string;
  nuspecXml: string;
}

export async function readVersionDetails(db: Db, versionId: string): Promise<VersionDetailsRow | null> {
  const [row] = await db.$queryRaw<VersionDetailsRow[]>`
    SELECT v."title", v."summary", v."description", v."authors", v."copyright", v."licenseExpression", v."licenseUrl",
           v."projectUrl", v."tags", v."releaseNotes", v."readmeHtml",
           CASE WHEN v."readmeHtml" IS NULL THEN v."readme" END AS "unrenderedReadme", v."requireLicenseAcceptance", v."dependencyGroups",
           v."packageSize", v."sha512", v."uploadedSha512", v."signatureReport", v."logIndex", v."signerAuthorization", v."provenance", u."username" AS "publisherUsername", v."nuspecXml"
    FROM "PackageVersion" v
    JOIN "User" u ON u."id" = v."publisherId"
    WHERE v."id" = ${versionId}`;
  return row ?? null;
}

/** An administrator's approval that published a refused upload as this version: who, when and why. */
export interface ApprovalRow {
  reviewer: string | null;
  decidedAt: Date | null;
  reason: string | null;
}

export async function readApproval(db: Db, versionId: string): Promise<ApprovalRow | null> {
  const attempt = await db.uploadAttempt.findFirst({
    where: { packageVersionId: versionId, status: "APPROVED" },
    select: { decidedAt: true, reviewReason: true, reviewer: { select: { username: true } } },
  });
  return attempt
    ? { reviewer: attempt.reviewer?.username ?? null, decidedAt: attempt.decidedAt, reason: attempt.reviewReason }
    : null;
}

/** Which of these IDs (lower case) the gallery has, mapped to the ID as the gallery spells it. */
export async function readGalleryIds(db: Db, idsLower: readonly string[]): Promise<Map<string, string>> {
  if (idsLower.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<{ packageId: string; packageIdLower: string }>>`
    SELECT "packageId", "packageIdLower" FROM "PackageRegistration" WHERE "packageIdLower" IN (${Prisma.join(idsLower)})`;
  return new Map(rows.map((row) => [row.packageIdLower, row.packageId]));
}
