// The dependency graph view's reads, in plain SQL both databases run as written (like
// page-queries.ts): each is one query for a whole level or a whole graph, batched under
// SQLite's bound-value limit, so a graph of hundreds of packages costs a handful of queries.

import { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db";
import type { SigningTimeSource } from "@/lib/validation/proven-signing-time";
import type { SignerContinuityValue } from "./signer-continuity";
import type { SignatureStatus } from "./signing-state";

const BATCH = 500;

async function inBatches<T>(values: readonly string[], read: (batch: string[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let start = 0; start < values.length; start += BATCH)
    rows.push(...(await read(values.slice(start, start + BATCH))));
  return rows;
}

export interface OfferedVersionRow {
  versionId: string;
  packageId: string;
  packageIdLower: string;
  version: string;
  dependencyGroups: string;
}

/**
 * The versions restore is offered for these IDs: all of them, unlisted ones included, as the
 * flat container's index.json lists them (lib/feed/flat-container.ts listFeedVersions); restore
 * resolves ranges over that list and never reads the listed flag.
 */
export function readOfferedVersions(db: Db, idsLower: readonly string[]): Promise<OfferedVersionRow[]> {
  return inBatches(
    idsLower,
    (batch) =>
      db.$queryRaw<OfferedVersionRow[]>`
      SELECT v."id" AS "versionId", r."packageId", r."packageIdLower", v."version", v."dependencyGroups"
      FROM "PackageRegistration" r
      JOIN "PackageVersion" v ON v."registrationId" = r."id"
      WHERE r."packageIdLower" IN (${Prisma.join(batch)})`,
  );
}

export interface GraphNodeRow {
  versionId: string;
  registrationId: string;
  signatureStatus: SignatureStatus;
  signatureReport: string | null;
  provenSigningTime: Date;
  provenSigningTimeSource: SigningTimeSource;
  signerCertificateId: string | null;
  signerSubject: string | null;
  compromisedAt: Date | null;
  signerContinuity: SignerContinuityValue;
  signerPreviousVersion: string | null;
}

export function readGraphNodes(db: Db, versionIds: readonly string[]): Promise<GraphNodeRow[]> {
  return inBatches(
    versionIds,
    (batch) =>
      db.$queryRaw<GraphNodeRow[]>`
      SELECT v."id" AS "versionId", v."registrationId", v."signatureStatus", v."signatureReport", v."provenSigningTime", v."provenSigningTimeSource", v."signerCertificateId",
             c."subject" AS "signerSubject", c."compromisedAt", v."signerContinuity", v."signerPreviousVersion"
      FROM "PackageVersion" v
      LEFT JOIN "Certificate" c ON c."id" = v."signerCertificateId"
      WHERE v."id" IN (${Prisma.join(batch)})`,
  );
}

export interface RegistrationOwnerRow {
  registrationId: string;
  userId: string;
  username: string;
  certificateId: string | null;
}

/** The owners of these registrations, each with the certificates they registered (one row per pair). */
export function readRegistrationOwners(db: Db, registrationIds: readonly string[]): Promise<RegistrationOwnerRow[]> {
  return inBatches(
    registrationIds,
    (batch) =>
      db.$queryRaw<RegistrationOwnerRow[]>`
      SELECT po."registrationId", u."id" AS "userId", u."username", rc."certificateId"
      FROM "PackageOwner" po
      JOIN "User" u ON u."id" = po."userId"
      LEFT JOIN "RegisteredCertificate" rc ON rc."userId" = u."id"
      WHERE po."registrationId" IN (${Prisma.join(batch)})
      ORDER BY po."createdAt", u."username"`,
  );
}

export interface ReservationOwnerRow {
  id: string;
  pattern: string;
  isPrefix: boolean;
  isPublic: boolean;
  userId: string | null;
  username: string | null;
}

/** Every ID reservation with its owners: an administrator's short list, read once for a whole graph. */
export function readAllReservations(db: Db): Promise<ReservationOwnerRow[]> {
  return db.$queryRaw<ReservationOwnerRow[]>`
    SELECT pr."id", pr."pattern", pr."isPrefix", pr."isPublic", u."id" AS "userId", u."username"
    FROM "PrefixReservation" pr
    LEFT JOIN "PrefixReservationOwner" pro ON pro."reservationId" = pr."id"
    LEFT JOIN "User" u ON u."id" = pro."userId"`;
}
