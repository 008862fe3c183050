// Package search: the one query behind the /packages page, the home page's recent list, and
// the V3 SearchQueryService and SearchAutocompleteService endpoints, answered from the search
// index (search-index.ts) so that its cost follows the number of matches, not the catalogue.
//
// The query reads the documents of its variant (variants.ts: which version it shows, by the
// prerelease, SemVer 2 and prefer-stable choices), one per package. Every word and field
// filter of the text must match (query-text.ts); the package type, "signed only" (the shown
// version's signing is trusted), "verified only" and owner filters are conditions on the same
// documents. Relevance is what nuget.org users expect: the ID itself first (also written with
// spaces: "newtonsoft json"), then IDs starting with the text, then IDs holding its words, then
// other text matches; within each, the most downloaded first. A search without words, and the
// home page's recent list, read the documents in the order of an index; their totals come from
// the counts the index keeps.
// Each hit then carries the version it shows, the versions the query may show, its owners, the
// Verified check and the shown version's signing state, read for that page of hits only.

import { Prisma } from "@/generated/prisma/sqlite/client";
import { dialectOf, type Db, type DbClient } from "@/lib/db";
import { readReservationsForIds } from "@/lib/packages/page-queries";
import { readPackageTypes } from "@/lib/packages/package-types";
import type { SigningTimeSource } from "@/lib/packages/proven-signing-time";
import { sortByVersionDescending } from "@/lib/packages/latest-version";
import { parseStoredReport, signatureSummary, type SignatureSummary } from "@/lib/packages/signature-summary";
import { signingState, type SignatureStatus, type SigningState } from "@/lib/packages/signing-state";
import { NOT_VERIFIED, verifyPackageId, type ReservationWithOwners, type Verification } from "@/lib/packages/verification";
import { fullVersionString, parseVersion } from "@/lib/versioning/version";
import { parseSearchText, type SearchTerm } from "./query-text";
import { ANY_TYPE, documentCountKey } from "./search-index";
import { idPieceCondition, idRank, termCondition } from "./sql";
import { variantOf, type VersionVisibility } from "./variants";

/** Words and filters beyond this many are not searched (each adds a condition). */
export const MAX_SEARCH_TERMS = 16;

export interface PackageSearchQuery extends VersionVisibility {
  /** "text": NuGet's search language over the package's text; "id": the text is part of an ID (autocomplete). */
  match: "text" | "id";
  text: string;
  skip: number;
  take: number;
  /** A package type name ("DotnetTool"), matched without regard to case; null for every type. */
  packageType: string | null;
  /** Show the highest stable version when there is one (the site), rather than simply the highest (NuGet clients). */
  preferStable: boolean;
  signedOnly: boolean;
  verifiedOnly: boolean;
  /** "relevance": see the file comment; "recent": last published first. */
  order: "relevance" | "recent";
}

export const DEFAULT_SEARCH: PackageSearchQuery = {
  match: "text",
  text: "",
  skip: 0,
  take: 20,
  includePrerelease: true,
  includeSemVer2: true,
  packageType: null,
  preferStable: true,
  signedOnly: false,
  verifiedOnly: false,
  order: "relevance",
};

export interface SearchHitVersion {
  /** Normalised, as stored and as URLs use it. */
  version: string;
  /** With build metadata, as SemVer 2 clients are shown it. */
  fullVersion: string;
  publishedAt: Date;
}

/** The shown version's manifest fields and signing. */
export interface SearchHitDetails extends SearchHitVersion {
  title: string | null;
  description: string;
  summary: string | null;
  authors: string;
  tags: string[];
  iconUrl: string | null;
  licenseUrl: string | null;
  licenseExpression: string | null;
  projectUrl: string | null;
  packageTypes: string[];
  signing: SigningState;
  signature: SignatureSummary;
}

export interface PackageSearchHit {
  packageId: string;
  owners: string[];
  verification: Verification;
  /** Downloads of every version, as of the last roll-up. */
  downloads: number;
  /** Every version the query may show, oldest first. */
  versions: SearchHitVersion[];
  shown: SearchHitDetails;
}

export interface PackageSearchResult {
  /** Matching packages, disregarding skip and take. */
  total: number;
  hits: PackageSearchHit[];
}

// ---- which documents ----

interface Matching {
  /** Every condition on `d`, joined with AND. */
  where: Prisma.Sql;
  /** The text relevance compares IDs with, or null. */
  rankingText: string | null;
  /** True when only the variant and the flag filters apply: the total comes from the counts. */
  counted: boolean;
}

function queryTerms(query: PackageSearchQuery): SearchTerm[] {
  if (query.match === "id") return query.text === "" ? [] : [{ field: "id", value: query.text }];
  return parseSearchText(query.text).slice(0, MAX_SEARCH_TERMS);
}

function rankingTextOf(terms: readonly SearchTerm[]): string | null {
  const words = terms.filter((term) => term.field === null).map((term) => term.value);
  if (words.length > 0) return words.join(" ");
  return terms.find((term) => term.field === "id" || term.field === "packageid")?.value ?? null;
}

function matching(db: DbClient, query: PackageSearchQuery): Matching {
  const dialect = dialectOf(db);
  const variant = variantOf(query);
  const conditions = [Prisma.sql`(d."variants" & ${variant.bit}) <> 0`];
  const terms = queryTerms(query);
  for (const term of terms) {
    const condition = query.match === "id" ? idPieceCondition(dialect, term.value) : termCondition(dialect, term);
    if (condition) conditions.push(condition);
  }
  const textConditions = conditions.length - 1;
  if (query.signedOnly) conditions.push(Prisma.sql`d."trusted" = true`);
  if (query.verifiedOnly) conditions.push(Prisma.sql`d."verified" = true`);
  if (query.packageType !== null) {
    conditions.push(Prisma.sql`d."id" IN (SELECT t."documentId" FROM "SearchDocumentType" t WHERE t."packageType" = ${query.packageType.toLowerCase()})`);
  }
  return { where: Prisma.join(conditions, " AND "), rankingText: rankingTextOf(terms), counted: textConditions === 0 };
}

function orderClause(query: PackageSearchQuery, rankingText: string | null): Prisma.Sql {
  if (query.order === "recent") return Prisma.sql`d."lastPublishedAt" DESC, d."packageIdLower"`;
  if (rankingText === null) return Prisma.sql`d."downloads" DESC, d."packageIdLower"`;
  return Prisma.sql`${idRank(rankingText)}, d."downloads" DESC, d."packageIdLower"`;
}

interface DocumentRow {
  registrationId: string;
  versionId: string;
  packageId: string;
  packageIdLower: string;
  verified: boolean | number | bigint;
  downloads: number | bigint;
  total?: number | bigint;
}

/** The total of a search without words: the counts of its variant and flags. */
async function countedTotal(db: DbClient, query: PackageSearchQuery): Promise<number> {
  const variant = variantOf(query).bit;
  const type = query.packageType?.toLowerCase() ?? ANY_TYPE;
  const keys = (query.signedOnly ? [true] : [true, false]).flatMap((trusted) =>
    (query.verifiedOnly ? [true] : [true, false]).map((verified) => documentCountKey(variant, trusted, verified, type)),
  );
  const [row] = await db.$queryRaw<Array<{ total: number | bigint | null }>>`
    SELECT SUM("count") AS total FROM "SearchCount" WHERE "key" IN (${Prisma.join(keys)})`;
  return Number(row?.total ?? 0);
}

async function matchingDocuments(db: DbClient, query: PackageSearchQuery): Promise<{ total: number; documents: DocumentRow[] }> {
  const { where, rankingText, counted } = matching(db, query);
  const page = Prisma.sql`LIMIT ${query.take} OFFSET ${query.skip}`;
  const columns = Prisma.sql`d."registrationId", d."versionId", d."packageId", d."packageIdLower", d."verified", d."downloads"`;
  if (counted) {
    const [total, documents] = [
      await countedTotal(db, query),
      await db.$queryRaw<DocumentRow[]>`SELECT ${columns} FROM "SearchDocument" d WHERE ${where} ORDER BY ${orderClause(query, null)} ${page}`,
    ];
    return { total, documents };
  }
  // The matches are few enough to rank: counted in the same pass that orders them.
  const documents = await db.$queryRaw<DocumentRow[]>`
    SELECT ${columns}, COUNT(*) OVER () AS total FROM "SearchDocument" d WHERE ${where} ORDER BY ${orderClause(query, rankingText)} ${page}`;
  if (documents.length > 0 || query.skip === 0) return { total: Number(documents[0]?.total ?? 0), documents };
  // Past the last page: the window saw no rows to count.
  const [row] = await db.$queryRaw<Array<{ total: number | bigint }>>`SELECT COUNT(*) AS total FROM "SearchDocument" d WHERE ${where}`;
  return { total: Number(row?.total ?? 0), documents };
}

// ---- what each hit shows ----

interface VersionRow {
  id: string;
  registrationId: string;
  version: string;
  originalVersion: string;
  publishedAt: Date;
  signatureStatus: SignatureStatus;
  provenSigningTime: Date;
  provenSigningTimeSource: SigningTimeSource;
  signerCertificateId: string | null;
  signerSubject: string | null;
  compromisedAt: Date | null;
}

/** The versions of these packages the query may show. */
async function readVisibleVersions(db: DbClient, query: PackageSearchQuery, registrationIds: readonly string[]): Promise<VersionRow[]> {
  const conditions = [Prisma.sql`v."registrationId" IN (${Prisma.join(registrationIds)})`, Prisma.sql`v."listed" = true`];
  if (!query.includePrerelease) conditions.push(Prisma.sql`v."isPrerelease" = false`);
  if (!query.includeSemVer2) conditions.push(Prisma.sql`v."isSemVer2" = false`);
  return db.$queryRaw<VersionRow[]>`
    SELECT v."id", v."registrationId", v."version", v."originalVersion", v."publishedAt", v."signatureStatus", v."provenSigningTime",
           v."provenSigningTimeSource", v."signerCertificateId", c."subject" AS "signerSubject", c."compromisedAt"
    FROM "PackageVersion" v LEFT JOIN "Certificate" c ON c."id" = v."signerCertificateId"
    WHERE ${Prisma.join(conditions, " AND ")}`;
}

interface DetailsRow {
  id: string;
  title: string | null;
  description: string;
  summary: string | null;
  authors: string;
  tags: string | null;
  iconUrl: string | null;
  licenseUrl: string | null;
  licenseExpression: string | null;
  projectUrl: string | null;
  packageTypes: string | null;
  signatureReport: string | null;
  signerFingerprint: string | null;
}

async function readDetails(db: DbClient, versionIds: readonly string[]): Promise<DetailsRow[]> {
  return db.$queryRaw<DetailsRow[]>`
    SELECT v."id", v."title", v."description", v."summary", v."authors", v."tags", v."iconUrl", v."licenseUrl", v."licenseExpression", v."projectUrl",
           v."packageTypes", v."signatureReport", c."sha256Fingerprint" AS "signerFingerprint"
    FROM "PackageVersion" v LEFT JOIN "Certificate" c ON c."id" = v."signerCertificateId"
    WHERE v."id" IN (${Prisma.join(versionIds)})`;
}

async function readOwnerNames(db: DbClient, registrationIds: readonly string[]): Promise<Array<{ registrationId: string; id: string; username: string }>> {
  return db.$queryRaw`
    SELECT po."registrationId", u."id", u."username"
    FROM "PackageOwner" po JOIN "User" u ON u."id" = po."userId"
    WHERE po."registrationId" IN (${Prisma.join(registrationIds)})
    ORDER BY po."createdAt", u."username"`;
}

function hitVersion(row: Pick<VersionRow, "version" | "originalVersion" | "publishedAt">): SearchHitVersion {
  return { version: row.version, fullVersion: fullVersionString(parseVersion(row.originalVersion)), publishedAt: new Date(row.publishedAt) };
}

function versionSigning(row: VersionRow): SigningState {
  return signingState({
    signatureStatus: row.signatureStatus,
    signer: row.signerCertificateId === null ? null : { subject: row.signerSubject, compromisedAt: row.compromisedAt === null ? null : new Date(row.compromisedAt) },
    provenSigningTime: new Date(row.provenSigningTime),
    provenSigningTimeSource: row.provenSigningTimeSource,
  });
}

async function toHits(db: DbClient, query: PackageSearchQuery, documents: readonly DocumentRow[]): Promise<PackageSearchHit[]> {
  if (documents.length === 0) return [];
  const registrationIds = documents.map((document) => document.registrationId);
  const verifiedIds = documents.filter((document) => Boolean(document.verified)).map((document) => document.packageIdLower);
  const [versions, details, owners, reservations] = [
    await readVisibleVersions(db, query, registrationIds),
    await readDetails(
      db,
      documents.map((document) => document.versionId),
    ),
    await readOwnerNames(db, registrationIds),
    await readReservationsForIds(db, verifiedIds),
  ];
  const versionsOf = new Map<string, VersionRow[]>();
  for (const version of versions) versionsOf.set(version.registrationId, [...(versionsOf.get(version.registrationId) ?? []), version]);
  const detailsOf = new Map(details.map((row) => [row.id, row]));
  return documents.flatMap((document) => {
    const visible = versionsOf.get(document.registrationId) ?? [];
    const shown = visible.find((version) => version.id === document.versionId);
    const row = detailsOf.get(document.versionId);
    if (!shown || !row) return [];
    const packageOwners = owners.filter((owner) => owner.registrationId === document.registrationId);
    const signing = versionSigning(shown);
    return [
      {
        packageId: document.packageId,
        owners: packageOwners.map((owner) => owner.username),
        verification: document.verified ? verifyPackageId(document.packageId, packageOwners, reservations) : NOT_VERIFIED,
        downloads: Number(document.downloads),
        versions: sortByVersionDescending(visible.map((version) => ({ ...version, listed: true }))).reverse().map(hitVersion),
        shown: {
          ...hitVersion(shown),
          title: row.title,
          description: row.description,
          summary: row.summary,
          authors: row.authors,
          tags: row.tags?.split(/[\s,;]+/).filter((tag) => tag !== "") ?? [],
          iconUrl: row.iconUrl,
          licenseUrl: row.licenseUrl,
          licenseExpression: row.licenseExpression,
          projectUrl: row.projectUrl,
          packageTypes: readPackageTypes(row.packageTypes),
          signing,
          signature: signatureSummary({
            signatureStatus: shown.signatureStatus,
            provenSigningTime: new Date(shown.provenSigningTime),
            provenSigningTimeSource: shown.provenSigningTimeSource,
            signer:
              shown.signerCertificateId === null
                ? null
                : { subject: shown.signerSubject, sha256Fingerprint: row.signerFingerprint ?? "", compromisedAt: shown.compromisedAt === null ? null : new Date(shown.compromisedAt) },
            report: parseStoredReport(row.signatureReport),
          }),
        },
      },
    ];
  });
}

/** Every reservation with its owners: few (admins create them). */
export async function loadReservations(db: Db): Promise<ReservationWithOwners[]> {
  const rows = await db.prefixReservation.findMany({
    select: { pattern: true, isPrefix: true, isPublic: true, owners: { select: { user: { select: { id: true, username: true } } } } },
  });
  return rows.map((row) => ({ ...row, owners: row.owners.map((owner) => owner.user) }));
}

export async function searchPackages(db: DbClient, query: PackageSearchQuery): Promise<PackageSearchResult> {
  const { total, documents } = await matchingDocuments(db, query);
  return { total, hits: await toHits(db, query, documents) };
}
