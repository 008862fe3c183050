// Package search for /packages: text over ID, title, tags, description and owner usernames,
// filters "signed only" and "verified IDs only", and pages of 20.
//
// Matching runs in SQL that reads the same on SQLite and PostgreSQL: LOWER(column) LIKE a
// lower-cased pattern (Prisma's `contains` is case-insensitive only on SQLite). The verified
// filter is isVerifiedPackage (lib/validation) written as an EXISTS over the reservations; a
// test holds the two to the same answers. "Signed only" is about the version a result shows
// (the highest listed one, by NuGet's ordering, which SQL cannot sort), so that filter is
// applied in code to the candidates' listed versions, which SQL first narrows to packages with
// at least one valid signature.

import { z } from "zod";
import { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db";
import { latestListedVersion } from "./latest-version";
import { isTrustedSigning, signingState, type SignatureStatus, type SigningState } from "./signing-state";
import { verifyPackageId, type AccountRef, type ReservationWithOwners, type Verification } from "./verification";

export const SEARCH_PAGE_SIZE = 20;

export interface SearchQuery {
  text: string;
  signedOnly: boolean;
  verifiedOnly: boolean;
  /** 1-based. */
  page: number;
}

export interface SearchResult {
  packageId: string;
  version: string;
  title: string | null;
  description: string;
  owners: string[];
  verification: Verification;
  signing: SigningState;
}

export interface SearchPage {
  results: SearchResult[];
  total: number;
  page: number;
  pageCount: number;
}

/** A LIKE pattern matching `text` anywhere, with LIKE's own wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

function textCondition(text: string): Prisma.Sql {
  if (text === "") return Prisma.sql`1 = 1`;
  const pattern = containsPattern(text);
  return Prisma.sql`(
    r."packageIdLower" LIKE ${pattern} ESCAPE '\\'
    OR EXISTS (SELECT 1 FROM "PackageOwner" po JOIN "User" u ON u."id" = po."userId"
               WHERE po."registrationId" = r."id" AND LOWER(u."username") LIKE ${pattern} ESCAPE '\\')
    OR EXISTS (SELECT 1 FROM "PackageVersion" v
               WHERE v."registrationId" = r."id" AND v."listed" = true
                 AND (LOWER(COALESCE(v."title", '')) LIKE ${pattern} ESCAPE '\\'
                      OR LOWER(COALESCE(v."tags", '')) LIKE ${pattern} ESCAPE '\\'
                      OR LOWER(v."description") LIKE ${pattern} ESCAPE '\\'))
  )`;
}

// isVerifiedPackage: some owner of the package owns a reservation matching its ID (a prefix
// match for prefix reservations, the whole ID otherwise).
const VERIFIED_CONDITION = Prisma.sql`EXISTS (
  SELECT 1 FROM "PrefixReservation" pr
  JOIN "PrefixReservationOwner" pro ON pro."reservationId" = pr."id"
  JOIN "PackageOwner" po ON po."userId" = pro."userId" AND po."registrationId" = r."id"
  WHERE (pr."isPrefix" = true AND SUBSTR(r."packageIdLower", 1, LENGTH(pr."patternLower")) = pr."patternLower")
     OR (pr."isPrefix" = false AND r."packageIdLower" = pr."patternLower")
)`;

const HAS_LISTED_VERSION = Prisma.sql`EXISTS (SELECT 1 FROM "PackageVersion" v WHERE v."registrationId" = r."id" AND v."listed" = true)`;
const HAS_VALID_LISTED_VERSION = Prisma.sql`EXISTS (SELECT 1 FROM "PackageVersion" v WHERE v."registrationId" = r."id" AND v."listed" = true AND v."signatureStatus" = 'VALID')`;

function whereClause(query: SearchQuery): Prisma.Sql {
  const conditions = [HAS_LISTED_VERSION, textCondition(query.text)];
  if (query.verifiedOnly) conditions.push(VERIFIED_CONDITION);
  if (query.signedOnly) conditions.push(HAS_VALID_LISTED_VERSION);
  return Prisma.join(conditions, " AND ");
}

async function countMatches(db: Db, where: Prisma.Sql): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ total: bigint | number }>>`SELECT COUNT(*) AS total FROM "PackageRegistration" r WHERE ${where}`;
  return Number(row?.total ?? 0);
}

async function matchingIds(db: Db, where: Prisma.Sql, page?: { skip: number; take: number }): Promise<string[]> {
  const limit = page ? Prisma.sql`LIMIT ${page.take} OFFSET ${page.skip}` : Prisma.empty;
  const rows = await db.$queryRaw<Array<{ id: string }>>`SELECT r."id" AS id FROM "PackageRegistration" r WHERE ${where} ORDER BY r."packageIdLower" ${limit}`;
  return rows.map((row) => row.id);
}

const SUMMARY_SELECT = {
  id: true,
  packageId: true,
  owners: { orderBy: { createdAt: "asc" }, select: { user: { select: { id: true, username: true } } } },
  versions: {
    where: { listed: true },
    select: {
      version: true,
      listed: true,
      title: true,
      description: true,
      signatureStatus: true,
      signedAt: true,
      signerCertificate: { select: { subject: true, compromisedAt: true } },
    },
  },
} satisfies Prisma.PackageRegistrationSelect;

type RegistrationSummary = Prisma.PackageRegistrationGetPayload<{ select: typeof SUMMARY_SELECT }>;

// "Signed only" may load thousands of candidates; SQLite allows 32,766 bound values per statement.
const IDS_PER_QUERY = 1000;

async function loadSummaries(db: Db, ids: readonly string[]): Promise<RegistrationSummary[]> {
  const batches = Array.from({ length: Math.ceil(ids.length / IDS_PER_QUERY) }, (_, index) => ids.slice(index * IDS_PER_QUERY, (index + 1) * IDS_PER_QUERY));
  const rows: RegistrationSummary[] = [];
  for (const batch of batches) rows.push(...(await db.packageRegistration.findMany({ where: { id: { in: batch } }, select: SUMMARY_SELECT })));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

function latestSigning(latest: RegistrationSummary["versions"][number]): SigningState {
  return signingState({
    signatureStatus: latest.signatureStatus as SignatureStatus,
    signer: latest.signerCertificate,
    signedAt: latest.signedAt,
  });
}

function toResult(summary: RegistrationSummary, reservations: readonly ReservationWithOwners[]): SearchResult | null {
  const latest = latestListedVersion(summary.versions);
  if (!latest) return null;
  const owners: AccountRef[] = summary.owners.map((owner) => owner.user);
  return {
    packageId: summary.packageId,
    version: latest.version,
    title: latest.title,
    description: latest.description,
    owners: owners.map((owner) => owner.username),
    verification: verifyPackageId(summary.packageId, owners, reservations),
    signing: latestSigning(latest),
  };
}

/** Every reservation with its owners: few (admins create them), and needed for every badge. */
export async function loadReservations(db: Db): Promise<ReservationWithOwners[]> {
  const rows = await db.prefixReservation.findMany({
    select: { pattern: true, isPrefix: true, isPublic: true, owners: { select: { user: { select: { id: true, username: true } } } } },
  });
  return rows.map((row) => ({ ...row, owners: row.owners.map((owner) => owner.user) }));
}

function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / SEARCH_PAGE_SIZE));
}

export async function searchPackages(db: Db, query: SearchQuery): Promise<SearchPage> {
  const where = whereClause(query);
  const skip = (query.page - 1) * SEARCH_PAGE_SIZE;
  const reservations = await loadReservations(db);
  if (!query.signedOnly) {
    const [total, ids] = await Promise.all([countMatches(db, where), matchingIds(db, where, { skip, take: SEARCH_PAGE_SIZE })]);
    const summaries = await loadSummaries(db, ids);
    const results = summaries.flatMap((summary) => toResult(summary, reservations) ?? []);
    return { results, total, page: query.page, pageCount: pageCount(total) };
  }
  const candidates = await loadSummaries(db, await matchingIds(db, where));
  const signed = candidates.flatMap((summary) => {
    const result = toResult(summary, reservations);
    return result && isTrustedSigning(result.signing) ? [result] : [];
  });
  return { results: signed.slice(skip, skip + SEARCH_PAGE_SIZE), total: signed.length, page: query.page, pageCount: pageCount(signed.length) };
}

const MAX_QUERY_LENGTH = 200;
const MAX_PAGE = 10_000;

const flag = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => value !== undefined && value !== "" && value !== "0");

const searchParams = z.object({
  q: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (Array.isArray(value) ? value[0] : value)?.trim().slice(0, MAX_QUERY_LENGTH) ?? ""),
  signed: flag,
  verified: flag,
  page: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => {
      const page = Number.parseInt((Array.isArray(value) ? value[0] : value) ?? "1", 10);
      return Number.isSafeInteger(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1;
    }),
});

/** The GET parameters of /packages (q, signed, verified, page); anything odd falls back to a default. */
export function searchQueryFromParams(params: Record<string, string | string[] | undefined>): SearchQuery {
  const { q, signed, verified, page } = searchParams.parse(params);
  return { text: q, signedOnly: signed, verifiedOnly: verified, page };
}
