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
import type { DatabaseDialect } from "@/lib/config";
import { dialectOf, type Db, type DbClient } from "@/lib/db";
import { declaredFrameworks, readDependencyGroups } from "@/lib/packages/dependencies";
import { readReservationsForIds } from "@/lib/packages/page-queries";
import { readPackageTypes } from "@/lib/packages/package-types";
import type { SigningTimeSource } from "@/lib/validation/proven-signing-time";
import { sortByVersionDescending } from "@/lib/packages/latest-version";
import { parseStoredReport, signatureSummary, type SignatureSummary } from "@/lib/packages/signature-summary";
import { signingState, type SignatureStatus, type SigningState } from "@/lib/packages/signing-state";
import {
  NOT_VERIFIED,
  verifyPackageId,
  type ReservationWithOwners,
  type Verification,
} from "@/lib/packages/verification";
import { fullVersionString, parseVersion } from "@/lib/versioning/version";
import { parseSearchText, type SearchTerm } from "./query-text";
import { ANY_TYPE, documentCountKey } from "./search-index";
import {
  allWordsCondition,
  exactIdsOf,
  idPieceCondition,
  idRank,
  idRelatedCondition,
  termCondition,
  type DocumentIds,
  type TextCondition,
} from "./sql";
import { variantOf, type VersionVisibility } from "./variants";
import { wordsOf } from "./words";

/** Words and filters beyond this many are not searched (each adds a condition). */
export const MAX_SEARCH_TERMS = 16;

/**
 * Matches of a search with words are counted up to this many (or to the end of the page asked
 * for, when that is further): counting reads every match, so past this the total is a lower
 * bound (`totalIsLowerBound`; the site shows "1,000+ packages"). A search without words is
 * counted exactly, from the counts the index keeps.
 */
export const COUNTED_MATCHES = 1000;

/**
 * With more matches than COUNTED_MATCHES, relevance ranks a bounded set of candidates rather
 * than every match: the exact ID, this many of the most downloaded documents whose ID holds the
 * text, and the most downloaded matches down to the page asked for. So when more IDs than this
 * hold the text, an ID starting with it that is downloaded less than all of them is listed among
 * the other text matches rather than before them.
 */
export const ID_CANDIDATES = 200;

export interface SearchBounds {
  countedMatches: number;
  idCandidates: number;
}

export const SEARCH_BOUNDS: SearchBounds = { countedMatches: COUNTED_MATCHES, idCandidates: ID_CANDIDATES };

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
  /** "relevance": see the file comment; "recent": last published first; "downloads": most downloaded first. */
  order: "relevance" | "recent" | "downloads";
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
  /** The target frameworks its dependency groups name, as short names ("net8.0"); [] when they name none. */
  targetFrameworks: string[];
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
  /** Matching packages, disregarding skip and take; a lower bound when totalIsLowerBound. */
  total: number;
  /** More than `total` packages match (see COUNTED_MATCHES). */
  totalIsLowerBound: boolean;
  hits: PackageSearchHit[];
}

// ---- which documents ----

/**
 * Documents `d` meeting every condition (`where`). On SQLite, `ids` is the id set of one of the
 * conditions (see DocumentIds) and `rest` the others: see documentsFrom.
 */
interface DocumentFilter {
  where: Prisma.Sql;
  ids: DocumentIds | null;
  rest: Prisma.Sql;
  /**
   * The same conditions, each id set tested for the row alone (an FTS5 lookup of its rowid, tens
   * of microseconds), for a reading of a few documents found otherwise: `d."id" IN (…)` would
   * read every match first.
   */
  probed: Prisma.Sql;
}

/** The conditions joined with AND; the first with an id set (if any) drives the reading. */
function filterOf(conditions: readonly TextCondition[]): DocumentFilter {
  const driver = conditions.find((condition) => condition.ids !== null);
  const join = (list: readonly TextCondition[]) =>
    Prisma.join(
      list.map((condition) => condition.condition),
      " AND ",
    );
  const probed = Prisma.join(
    conditions.map((condition) =>
      condition.ids === null
        ? condition.condition
        : Prisma.sql`EXISTS (SELECT 1 FROM (${condition.ids}) AS "probe" WHERE "probe"."id" = d."id")`,
    ),
    " AND ",
  );
  return {
    where: join(conditions),
    ids: driver?.ids ?? null,
    rest: join(conditions.filter((condition) => condition !== driver)),
    probed,
  };
}

/**
 * `FROM` and `WHERE` reading the filter's documents, in no order. With an id set, from that set:
 * SQLite then streams the FTS5 matches and stops at the query's LIMIT, where `d."id" IN (…)`
 * would first read every match into a list (a common word's thousands). Every filter keeps a
 * condition besides its id set (the variant's).
 */
function documentsFrom(filter: DocumentFilter): Prisma.Sql {
  if (filter.ids === null) return Prisma.sql`"SearchDocument" d WHERE ${filter.where}`;
  return Prisma.sql`(${filter.ids}) AS "matched" JOIN "SearchDocument" d ON d."id" = "matched"."id" WHERE ${filter.rest}`;
}

const plain = (condition: Prisma.Sql): TextCondition => ({ condition, ids: null });

interface Matching {
  /** Every condition on `d`. */
  filter: DocumentFilter;
  /** The text relevance compares IDs with, or null. */
  rankingText: string | null;
  /** True when only the variant and the flag filters apply: the total comes from the counts. */
  counted: boolean;
  /** True when several free words were matched together as word starts only (see searchPackages). */
  wordStartsOnly: boolean;
  /**
   * The conditions but those of the free words: with a condition that implies the free words
   * match (the ID holds the text), the same documents, found without reading every match of the
   * words.
   */
  whereButFreeWords: TextCondition[];
  /** Every condition as a walk in downloads order tests it (TextCondition.walked): for many matches. */
  walkedWhere: Prisma.Sql;
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

/**
 * The conditions of the query. A free word matches words of the package's text starting with
 * it, or a piece of the ID; with `wordStartsOnly`, several free words are matched together as
 * word starts in one FTS AND (one tsquery) instead, which is far cheaper than a lookup per word.
 */
function matching(db: DbClient, query: PackageSearchQuery, wordStartsOnly: boolean): Matching {
  const dialect = dialectOf(db);
  const variant = variantOf(query);
  const conditions = [plain(Prisma.sql`(d."variants" & ${variant.bit}) <> 0`)];
  const terms = queryTerms(query);
  const freeWords = terms.filter((term) => term.field === null).flatMap((term) => wordsOf(term.value));
  const together =
    wordStartsOnly &&
    query.match === "text" &&
    terms.filter((term) => term.field === null && wordsOf(term.value).length > 0).length > 1;
  const wordConditions: TextCondition[] = together ? [allWordsCondition(dialect, freeWords)] : [];
  for (const term of terms) {
    if (together && term.field === null && wordsOf(term.value).length > 0) continue;
    const condition = query.match === "id" ? idPieceCondition(dialect, term.value) : termCondition(dialect, term);
    if (condition) (term.field === null ? wordConditions : conditions).push(condition);
  }
  const textConditions = conditions.length - 1 + wordConditions.length;
  if (query.signedOnly) conditions.push(plain(Prisma.sql`d."trusted" = true`));
  if (query.verifiedOnly) conditions.push(plain(Prisma.sql`d."verified" = true`));
  if (query.packageType !== null) {
    conditions.push(
      plain(
        Prisma.sql`d."id" IN (SELECT t."documentId" FROM "SearchDocumentType" t WHERE t."packageType" = ${query.packageType.toLowerCase()})`,
      ),
    );
  }
  const all = [...wordConditions, ...conditions];
  return {
    filter: filterOf(all),
    walkedWhere: Prisma.join(
      all.map((condition) => condition.walked ?? condition.condition),
      " AND ",
    ),
    whereButFreeWords: conditions,
    rankingText: rankingTextOf(terms),
    counted: textConditions === 0,
    wordStartsOnly: together,
  };
}

/** The order of the documents (`d`), or of the page's rows (`p`, which carry the document's rank as "sortRank"). */
function orderClause(query: PackageSearchQuery, rankingText: string | null, rows: "d" | "p"): Prisma.Sql {
  const column = (name: string) => Prisma.raw(`${rows}."${name}"`);
  if (query.order === "recent") return Prisma.sql`${column("lastPublishedAt")} DESC, ${column("packageIdLower")}`;
  if (query.order === "downloads" || rankingText === null)
    return Prisma.sql`${column("downloads")} DESC, ${column("packageIdLower")}`;
  return Prisma.sql`${rows === "d" ? idRank(rankingText) : column("sortRank")}, ${column("downloads")} DESC, ${column("packageIdLower")}`;
}

/**
 * The documents that match, up to `limit` of them, in no order: one row, the ids joined with
 * commas, since a row per id costs the client several microseconds (a thousand ids cost more
 * than the rest of a common word's search).
 */
async function matchingIds(db: DbClient, filter: DocumentFilter, limit: number): Promise<number[]> {
  const list =
    dialectOf(db) === "postgresql"
      ? Prisma.sql`string_agg(CAST("id" AS text), ',')`
      : Prisma.sql`group_concat("id", ',')`;
  const [row] = await db.$queryRaw<
    Array<{ ids: string | null }>
  >`SELECT ${list} AS "ids" FROM (SELECT d."id" FROM ${documentsFrom(filter)} LIMIT ${limit}) AS "m"`;
  return row?.ids ? row.ids.split(",").map(Number) : [];
}

/** Documents by id, the ids as one JSON parameter rather than one parameter each. */
function documentsIn(db: DbClient, ids: readonly number[]): Prisma.Sql {
  const list = JSON.stringify(ids);
  return dialectOf(db) === "postgresql"
    ? Prisma.sql`d."id" IN (SELECT jsonb_array_elements_text(${list}::jsonb)::integer)`
    : Prisma.sql`d."id" IN (SELECT "value" FROM json_each(${list}))`;
}

/** How many documents match, counted up to `limit` and no further. */
async function countUpTo(db: DbClient, filter: DocumentFilter, limit: number): Promise<number> {
  const [row] = await db.$queryRaw<
    Array<{ n: number | bigint }>
  >`SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM ${documentsFrom(filter)} LIMIT ${limit}) AS "m"`;
  return Number(row?.n ?? 0);
}

/**
 * On SQLite, makes a query over many matches walk the index of its order and stop at its LIMIT
 * instead of reading and sorting every match: SQLite's planner cannot tell a word in 1% of the
 * catalogue from a word in one package, and drives every query from the word's matches. Used
 * only once a count has shown the matches are many, so the walk meets one soon. PostgreSQL's
 * planner estimates this itself.
 */
function walkingIndex(dialect: DatabaseDialect, order: "recent" | "downloads"): Prisma.Sql {
  if (dialect !== "sqlite") return Prisma.empty;
  return Prisma.raw(
    order === "recent"
      ? ` INDEXED BY "SearchDocument_lastPublishedAt_idx"`
      : ` INDEXED BY "SearchDocument_downloads_packageIdLower_idx"`,
  );
}

/**
 * The documents a page is chosen from (`FROM` and `WHERE`). With words and relevance order, only
 * candidates are ranked (see ID_CANDIDATES): ranking compares each document's ID with the text,
 * which costs far more than reading it. With more matches than were counted, the candidates (or,
 * in another order, the page) are found by walking the order's index rather than by reading every
 * match, so the cost stays the same at any catalogue size.
 */
async function pageSource(
  db: DbClient,
  query: PackageSearchQuery,
  { filter, whereButFreeWords, rankingText, counted, walkedWhere }: Matching,
  matches: Matches,
  bounds: SearchBounds,
): Promise<Prisma.Sql> {
  const dialect = dialectOf(db);
  const { where } = filter;
  if (counted)
    return Prisma.sql`"SearchDocument" d${(await commonType(db, query)) ? walkingIndex(dialect, query.order === "recent" ? "recent" : "downloads") : Prisma.empty} WHERE ${where}`;
  // Few matches: the count read them all, so the page reads them by id rather than matching again, and ranks them all.
  if (!matches.many) return Prisma.sql`"SearchDocument" d WHERE ${documentsIn(db, matches.ids)}`;
  const walk = walkingIndex(dialect, query.order === "recent" ? "recent" : "downloads");
  if (query.order !== "relevance" || rankingText === null)
    return Prisma.sql`"SearchDocument" d${walk} WHERE ${dialect === "postgresql" ? walkedWhere : where}`;
  const byDownloads = Prisma.sql`d."downloads" DESC, d."packageIdLower"`;
  // Completing an ID, every match holds the text in its ID: the most downloaded matches are the ID candidates.
  // Otherwise, with many matches, an ID holding the text (or being it) has the free words too, so their matches need not be read.
  // The exact IDs are a lookup of one or two rows, whose other conditions are tested row by row.
  const exactOnly = query.match === "id" ? filter.probed : filterOf(whereButFreeWords).probed;
  const idFilter =
    query.match === "id" ? filter : filterOf([idRelatedCondition(dialect, rankingText), ...whereButFreeWords]);
  const idWhere = idFilter.where;
  // Only SQLite's walk hint needs to know whether the ID candidates are many; PostgreSQL's planner estimates it.
  const manyIds =
    query.match === "id" ||
    (dialect === "sqlite" && (await countUpTo(db, idFilter, bounds.countedMatches + 1)) > bounds.countedMatches);
  const pageEnd = query.skip + query.take;
  // Completing an ID, the ID candidates are already the most downloaded matches to the page's end.
  const byDownloadsToo =
    query.match === "id"
      ? Prisma.empty
      : Prisma.sql`UNION SELECT "id" FROM (SELECT d."id" FROM "SearchDocument" d${walk} WHERE ${where} ORDER BY ${byDownloads} LIMIT ${pageEnd}) AS "byDownloads"`;
  return Prisma.sql`"SearchDocument" d WHERE d."id" IN (
      SELECT d."id" FROM "SearchDocument" d
      WHERE ${exactOnly} AND d."registrationId" IN (SELECT r."id" FROM "PackageRegistration" r WHERE r."packageIdLower" IN (${Prisma.join(exactIdsOf(rankingText))}))
      UNION SELECT "id" FROM (SELECT d."id" FROM "SearchDocument" d${manyIds ? walk : Prisma.empty} WHERE ${idWhere} ORDER BY ${byDownloads} LIMIT ${Math.max(bounds.idCandidates, pageEnd)}) AS "byId"
      ${byDownloadsToo})`;
}

/**
 * Whether a package type filter keeps so many documents that walking the order's index meets a
 * page of them sooner than reading and sorting them all (SQLite's planner reads them all, from
 * the type's rows): the walk reads about pageEnd × documents / matches rows, the sort all
 * matches. Both counts are kept (SearchCount).
 */
async function commonType(db: DbClient, query: PackageSearchQuery): Promise<boolean> {
  if (query.packageType === null || dialectOf(db) !== "sqlite") return false;
  const everyDocument = countedTotal({ ...query, packageType: null, signedOnly: false, verifiedOnly: false });
  const [row] = await db.$queryRaw<Array<{ matches: number | bigint | null; documents: number | bigint | null }>>`
    SELECT ${countedTotal(query)} AS "matches", ${everyDocument} AS "documents"`;
  const matches = Number(row?.matches ?? 0);
  return matches * matches > (query.skip + query.take) * Number(row?.documents ?? 0);
}

/** The total of a search without words: the counts of its variant and flags. */
function countedTotal(query: PackageSearchQuery): Prisma.Sql {
  const variant = variantOf(query).bit;
  const type = query.packageType?.toLowerCase() ?? ANY_TYPE;
  const keys = (query.signedOnly ? [true] : [true, false]).flatMap((trusted) =>
    (query.verifiedOnly ? [true] : [true, false]).map((verified) => documentCountKey(variant, trusted, verified, type)),
  );
  return Prisma.sql`(SELECT SUM(c."count") FROM "SearchCount" c WHERE c."key" IN (${Prisma.join(keys)}))`;
}

/** The versions of the package (`p`) the query may show, as one JSON array of [version, originalVersion, publishedAt]. */
function visibleVersionsJson(dialect: DatabaseDialect, query: PackageSearchQuery): Prisma.Sql {
  const conditions = [Prisma.sql`vv."registrationId" = p."registrationId"`, Prisma.sql`vv."listed" = true`];
  if (!query.includePrerelease) conditions.push(Prisma.sql`vv."isPrerelease" = false`);
  if (!query.includeSemVer2) conditions.push(Prisma.sql`vv."isSemVer2" = false`);
  const where = Prisma.join(conditions, " AND ");
  return dialect === "postgresql"
    ? Prisma.sql`(SELECT json_agg(json_build_array(vv."version", vv."originalVersion", vv."publishedAt")) FROM "PackageVersion" vv WHERE ${where})`
    : Prisma.sql`(SELECT json_group_array(json_array(vv."version", vv."originalVersion", vv."publishedAt")) FROM "PackageVersion" vv WHERE ${where})`;
}

/** The package's owners' usernames, first owner first, as one JSON array. */
function ownersJson(dialect: DatabaseDialect): Prisma.Sql {
  return dialect === "postgresql"
    ? Prisma.sql`(SELECT json_agg(u."username" ORDER BY po."createdAt", u."username") FROM "PackageOwner" po JOIN "User" u ON u."id" = po."userId" WHERE po."registrationId" = p."registrationId")`
    : Prisma.sql`(SELECT json_group_array(u."username" ORDER BY po."createdAt", u."username") FROM "PackageOwner" po JOIN "User" u ON u."id" = po."userId" WHERE po."registrationId" = p."registrationId")`;
}

/** One row per hit: the document, the shown version's fields and signing, the owners and the visible versions. */
interface HitRow {
  registrationId: string;
  packageId: string;
  packageIdLower: string;
  verified: boolean | number | bigint;
  downloads: number | bigint;
  total: number | bigint | null;
  versionId: string;
  version: string;
  originalVersion: string;
  publishedAt: Date | string;
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
  dependencyGroups: string;
  signatureStatus: SignatureStatus;
  signatureReport: string | null;
  sha512: string;
  uploadedSha512: string | null;
  provenSigningTime: Date | string;
  provenSigningTimeSource: SigningTimeSource;
  signerCertificateId: string | null;
  signerSubject: string | null;
  signerFingerprint: string | null;
  compromisedAt: Date | string | null;
  owners: string | string[] | null;
  versions: string | Array<[string, string, string]> | null;
}

/**
 * One statement: the page of documents, then for those few rows only, what the hits show. Each
 * statement costs more in the client than in the database, so a page is one of them.
 */
/** The matches of a search with words, read up to the count's limit: all of them unless `many`. */
interface Matches {
  ids: number[];
  many: boolean;
}

async function readHitRows(
  db: DbClient,
  query: PackageSearchQuery,
  matched: Matching,
  matches: Matches,
  bounds: SearchBounds,
): Promise<HitRow[]> {
  const dialect = dialectOf(db);
  const rankingText = matched.counted ? null : matched.rankingText;
  const total = matched.counted ? countedTotal(query) : Prisma.sql`NULL`;
  const sortRank = query.order === "relevance" && rankingText !== null ? idRank(rankingText) : Prisma.sql`0`;
  return db.$queryRaw<HitRow[]>`
    SELECT p."registrationId", p."packageId", p."packageIdLower", p."verified", p."downloads", p."total", p."versionId",
           v."version", v."originalVersion", v."publishedAt", v."title", v."description", v."summary", v."authors", v."tags", v."iconUrl",
           v."licenseUrl", v."licenseExpression", v."projectUrl", v."packageTypes", v."dependencyGroups", v."signatureStatus", v."signatureReport", v."sha512", v."uploadedSha512", v."provenSigningTime",
           v."provenSigningTimeSource", v."signerCertificateId", c."subject" AS "signerSubject", c."sha256Fingerprint" AS "signerFingerprint",
           c."compromisedAt", ${ownersJson(dialect)} AS "owners", ${visibleVersionsJson(dialect, query)} AS "versions"
    FROM (
      SELECT d."registrationId", d."versionId", d."packageId", d."packageIdLower", d."verified", d."downloads", d."lastPublishedAt", ${total} AS "total",
             ${sortRank} AS "sortRank"
      FROM ${await pageSource(db, query, matched, matches, bounds)}
      ORDER BY ${orderClause(query, rankingText, "d")} LIMIT ${query.take} OFFSET ${query.skip}
    ) p
    JOIN "PackageVersion" v ON v."id" = p."versionId"
    LEFT JOIN "Certificate" c ON c."id" = v."signerCertificateId"
    ORDER BY ${orderClause(query, rankingText, "p")}`;
}

/** The total of a search without words when the page asked for is past the last one (the page's rows carry it otherwise). */
async function readCountedTotal(db: DbClient, query: PackageSearchQuery): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ total: number | bigint | null }>>`SELECT ${countedTotal(query)} AS total`;
  return Number(row?.total ?? 0);
}

// ---- what each hit shows ----

/** A time as either database returns it: a Date, or (inside JSON) ISO text, which PostgreSQL writes without a zone for UTC. */
function timeOf(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
}

function jsonOf<T>(value: string | T | null): T | null {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

function hitVersion(version: string, originalVersion: string, publishedAt: Date | string): SearchHitVersion {
  return { version, fullVersion: fullVersionString(parseVersion(originalVersion)), publishedAt: timeOf(publishedAt) };
}

function toHit(
  row: HitRow,
  reservations: readonly ReservationWithOwners[],
  ownerIds: ReadonlyMap<string, string>,
): PackageSearchHit {
  const owners = jsonOf<string[]>(row.owners) ?? [];
  const versions = (jsonOf<Array<[string, string, string]>>(row.versions) ?? []).map(
    ([version, original, publishedAt]) => ({ version, original, publishedAt, listed: true }),
  );
  const signer =
    row.signerCertificateId === null
      ? null
      : { subject: row.signerSubject, compromisedAt: row.compromisedAt === null ? null : timeOf(row.compromisedAt) };
  const provenSigningTime = timeOf(row.provenSigningTime);
  const accounts = owners.map((username) => ({ id: ownerIds.get(username) ?? "", username }));
  return {
    packageId: row.packageId,
    owners,
    verification: row.verified ? verifyPackageId(row.packageId, accounts, reservations) : NOT_VERIFIED,
    downloads: Number(row.downloads),
    versions: sortByVersionDescending(versions)
      .reverse()
      .map((version) => hitVersion(version.version, version.original, version.publishedAt)),
    shown: {
      ...hitVersion(row.version, row.originalVersion, row.publishedAt),
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
      targetFrameworks: declaredFrameworks(readDependencyGroups(row.dependencyGroups)),
      signing: signingState({
        signatureStatus: row.signatureStatus,
        signer,
        provenSigningTime,
        provenSigningTimeSource: row.provenSigningTimeSource,
      }),
      signature: signatureSummary({
        signatureStatus: row.signatureStatus,
        provenSigningTime,
        provenSigningTimeSource: row.provenSigningTimeSource,
        signer: signer && { ...signer, sha256Fingerprint: row.signerFingerprint ?? "" },
        report: parseStoredReport(row.signatureReport),
        sha512: row.sha512,
        uploadedSha512: row.uploadedSha512,
      }),
    },
  };
}

/** For the Verified check's sentence: the reservations matching the verified hits, and their owners' ids by username. */
async function readVerification(
  db: DbClient,
  rows: readonly HitRow[],
): Promise<{ reservations: ReservationWithOwners[]; ownerIds: Map<string, string> }> {
  const verified = rows.filter((row) => Boolean(row.verified));
  if (verified.length === 0) return { reservations: [], ownerIds: new Map() };
  const reservations = await readReservationsForIds(
    db,
    verified.map((row) => row.packageIdLower),
  );
  // The rule compares account ids: the reservations' owners name theirs, and a package owner is the same account by username.
  const ownerIds = new Map(
    reservations.flatMap((reservation) => reservation.owners.map((owner) => [owner.username, owner.id] as const)),
  );
  return { reservations, ownerIds };
}

/** Every reservation with its owners: few (admins create them). */
export async function loadReservations(db: Db): Promise<ReservationWithOwners[]> {
  const rows = await db.prefixReservation.findMany({
    select: {
      pattern: true,
      isPrefix: true,
      isPublic: true,
      owners: { select: { user: { select: { id: true, username: true } } } },
    },
  });
  return rows.map((row) => ({ ...row, owners: row.owners.map((owner) => owner.user) }));
}

/**
 * A search: with words, first a count of the matches up to COUNTED_MATCHES (or the page's end),
 * which also tells few matches (ranked all) from many (see pageSource); then the page. Several
 * free words are first matched together as word starts; only when no package has them all that
 * way may each also match inside an ID ("json" in NotJson), as a single word always may.
 */
export async function searchPackages(
  db: DbClient,
  query: PackageSearchQuery,
  bounds: SearchBounds = SEARCH_BOUNDS,
): Promise<PackageSearchResult> {
  let matched = matching(db, query, true);
  const limit = Math.max(bounds.countedMatches, query.skip + query.take);
  let matches: Matches = { ids: [], many: false };
  if (!matched.counted) {
    let ids = await matchingIds(db, matched.filter, limit + 1);
    if (ids.length === 0 && matched.wordStartsOnly) {
      matched = matching(db, query, false);
      ids = await matchingIds(db, matched.filter, limit + 1);
    }
    matches = { ids, many: ids.length > limit };
  }
  const noMatches = !matched.counted && matches.ids.length === 0;
  const rows = noMatches || query.take === 0 ? [] : await readHitRows(db, query, matched, matches, bounds);
  const [first] = rows;
  let total: number;
  if (!matched.counted) total = Math.min(matches.ids.length, limit);
  else total = first ? Number(first.total ?? 0) : await readCountedTotal(db, query);
  const { reservations, ownerIds } = await readVerification(db, rows);
  return { total, totalIsLowerBound: matches.many, hits: rows.map((row) => toHit(row, reservations, ownerIds)) };
}
