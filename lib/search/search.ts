// Package search: the one query behind the /packages page, the home page's recent list, and
// the V3 SearchQueryService and SearchAutocompleteService endpoints, answered from the search
// index (search-index.ts) so that its cost follows the page asked for, not the catalogue: matches
// are counted to a bound, and past it a page is chosen among the most downloaded matches, which
// SQLite's index gives first (document-ids.ts) and PostgreSQL walks its downloads index for.
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
import { dialectOf, inJsonList, readQuery, type DbClient } from "@/lib/db";
import { declaredFrameworks, readDependencyGroups } from "@/lib/packages/dependencies";
import { candidatePatterns, readAllReservations, type ReservationWithPattern } from "@/lib/packages/page-queries";
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
import { BUCKET_BITS, BUCKET_SIZE } from "./document-ids";
import {
  allWordsCondition,
  exactIdsOf,
  facetCondition,
  facetIds,
  idHoldingWordParts,
  idPieceCondition,
  idRank,
  idRelatedCondition,
  idStartCondition,
  idStartRanges,
  idWordCandidates,
  idWordsCondition,
  oneIndexWord,
  packageTypeOf,
  packageTypeWalked,
  termCondition,
  termsSlices,
  textWordsCondition,
  trustedCondition,
  variantCondition,
  VERIFIED,
  wordCountsShowMany,
  type DocumentIds,
  type FullTextQuery,
  type TextCondition,
  type WordCountsTest,
} from "./sql";
import { variantOf, type VersionVisibility } from "./variants";
import { readCommonWords } from "./word-frequencies";
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
  /** On PostgreSQL, how far a walk for ID candidates goes before it reads every match (mostDownloadedOfFew). */
  candidateWalk?: CandidateWalk;
  /** On PostgreSQL, how many IDs starting with the text are read, at most, to tell whether they fill the page (readStartingIds). */
  startingIds?: number;
  /** On PostgreSQL, how many times its documents the slices a count of a text's words reads are expected to hold (sql.ts SUBSET_SLICES_MARGIN). */
  subsetSlicesMargin?: number;
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
 * Documents `d` meeting every condition (`where`). On SQLite, `queries` are the FTS5 queries (see
 * DocumentIds) that drive the reading, already narrowed by the facets their tables hold, and the
 * conditions they leave are tested on each match's rowid (`restOnRowid`) or, for the others
 * (`rest`), on its document: see matchesOf.
 */
interface DocumentFilter {
  /** What it was made of (filterOf), so that it can be made again in another order (rarestFirst). */
  conditions: readonly TextCondition[];
  /**
   * The rows the conditions are on: the documents, or on PostgreSQL an owner's rows of
   * SearchOwnerDocument, or the ID words of SearchIdWord (see matching).
   */
  rows: SearchRows;
  where: Prisma.Sql;
  /** On PostgreSQL, every condition as a walk in an index's order tests it (TextCondition.walked): for many matches. */
  walkedWhere: Prisma.Sql;
  queries: FullTextQuery[] | null;
  restOnRowid: Array<(rowid: Prisma.Sql) => Prisma.Sql>;
  rest: Prisma.Sql[];
  /**
   * The same conditions, each id set tested for the row alone (an FTS5 lookup of its rowid, tens
   * of microseconds), for a reading of a few documents found otherwise: `d."id" IN (…)` would
   * read every match first.
   */
  probed: Prisma.Sql;
  /**
   * On PostgreSQL, for common words and the variant alone, the tsquery the words' index reads and the
   * conditions reading it from "slicedQuery": a count reads the matches slice by slice (sql.ts termsSlices).
   */
  sliced: { query: Prisma.Sql; where: Prisma.Sql; slices: number } | null;
}

const tableName = (query: FullTextQuery) => Prisma.raw(`"${query.table}"`);

type SearchRows = "SearchDocument" | "SearchOwnerDocument" | "SearchIdWord";

/** The rows a filter's conditions are on, as `d`. */
function rowsOf(filter: DocumentFilter): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(`"${filter.rows}"`)} d`;
}

/** Whether document `d` is in the id set: a lookup of its rowid in each query. */
function probe(ids: DocumentIds): Prisma.Sql {
  const lookups = ids.queries([]).map((query) => {
    const lookup = Prisma.sql`EXISTS (SELECT 1 FROM ${tableName(query)} WHERE ${tableName(query)} MATCH ${query.match} AND ${tableName(query)}.rowid = d."id")`;
    return query.check ? Prisma.sql`(${lookup} AND ${query.check})` : lookup;
  });
  return Prisma.sql`(${Prisma.join(lookups, " OR ")})`;
}

/**
 * The conditions joined with AND. The first with an id set (if any) drives the reading, with
 * the facets it can apply itself; failing one, on SQLite, the facets' own full-text rows do.
 */
function filterOf(
  dialect: DatabaseDialect,
  conditions: readonly TextCondition[],
  rows: SearchRows = "SearchDocument",
): DocumentFilter {
  const facets = conditions.flatMap((condition) => (condition.facet ? [condition.facet] : []));
  const driver = conditions.find((condition) => condition.ids !== null);
  const indexed: DocumentIds | null = driver?.ids ?? (dialect === "sqlite" && facets.length > 0 ? facetIds() : null);
  const applied = indexed ? facets.filter((facet) => indexed.applies(facet)) : [];
  const left = conditions.filter(
    (condition) => condition !== driver && !(condition.facet && applied.includes(condition.facet)),
  );
  return {
    conditions,
    rows,
    where: Prisma.join(
      conditions.map((condition) => condition.condition),
      " AND ",
    ),
    walkedWhere: Prisma.join(
      conditions.map((condition) => condition.walked ?? condition.condition),
      " AND ",
    ),
    queries: indexed?.queries(applied) ?? null,
    restOnRowid: left.flatMap((condition) => (condition.onRowid ? [condition.onRowid] : [])),
    rest: left.flatMap((condition) => (condition.onRowid ? [] : [condition.condition])),
    probed: Prisma.join(
      conditions.map((condition) => (condition.ids === null ? condition.condition : probe(condition.ids))),
      " AND ",
    ),
    sliced: slicedFilter(rows, conditions),
  };
}

/** The sliced reading of conditions of common words and the variant alone (DocumentFilter.sliced); null for others. */
function slicedFilter(rows: SearchRows, conditions: readonly TextCondition[]): DocumentFilter["sliced"] {
  const words = conditions.filter((condition) => condition.sliced);
  const [only] = words;
  if (rows !== "SearchDocument" || words.length !== 1 || !only?.sliced) return null;
  if (!conditions.every((condition) => condition === only || condition.testedOnly)) return null;
  const read = only.sliced.condition(Prisma.sql`(SELECT "query" FROM "slicedQuery")`);
  return {
    query: only.sliced.query,
    slices: only.sliced.slices,
    where: Prisma.join(
      conditions.map((condition) => (condition === only ? read : condition.condition)),
      " AND ",
    ),
  };
}

/** An id set's matches are counted to this many at most to tell how rare it is (rarestFirst): about a millisecond. */
const RARITY_BOUND = 10_000;

/**
 * On SQLite, the filter with its rarest id set first, so that set drives the reading, and each
 * other set tested per document: an `IN` list when the set is smaller than RARITY_BOUND (read once),
 * else a lookup of the document in its FTS5 queries (about 6 µs each). The first set drives
 * otherwise, whatever its size: each word of "json serilog" either starts a word or is inside an ID
 * (when no package has both as word starts), and read from "json"'s 60,000 matches, each tested
 * against "serilog"'s list, no page was found in 100 ms at 500k packages. A set with no match at all
 * (its FTS5 queries find nothing, whatever their checks) leaves no matches, which is known at once.
 */
async function rarestFirst(db: DbClient, filter: DocumentFilter): Promise<DocumentFilter | null> {
  const sets = filter.conditions.flatMap((condition) =>
    condition.ids === null ? [] : [{ condition, ids: condition.ids }],
  );
  if (dialectOf(db) !== "sqlite" || sets.length < 2) return filter;
  const counts = sets.map(({ ids }) => {
    const selects = ids
      .queries([])
      .map((query) => Prisma.sql`SELECT rowid FROM ${tableName(query)} WHERE ${tableName(query)} MATCH ${query.match}`);
    return Prisma.sql`(SELECT COUNT(*) FROM (${Prisma.join(selects, " UNION ")} ORDER BY 1 LIMIT ${RARITY_BOUND}))`;
  });
  const [row] = await readQuery<{ sizes: string }>(
    db,
    Prisma.sql`SELECT ${Prisma.join(counts, " || ',' || ")} AS "sizes"`,
  );
  const sizes = (row?.sizes ?? "").split(",").map(Number);
  const sized = sets.map((set, index) => ({ ...set, size: sizes[index] ?? 0 }));
  if (sized.some(({ size }) => size === 0)) return null;
  type Sized = (typeof sized)[number];
  // Two sets at least, as tested above.
  const [rarest, ...others] = sized.sort((a, b) => a.size - b.size) as [Sized, ...Sized[]];
  const tested = ({ condition, ids, size }: Sized): TextCondition => ({
    condition: size < RARITY_BOUND ? condition.condition : probe(ids),
    ids: null,
  });
  return filterOf("sqlite", [
    rarest.condition,
    ...others.map(tested),
    ...filter.conditions.filter((condition) => condition.ids === null),
  ]);
}

/**
 * A select of the filter's document ids ("id"). On SQLite with FTS5 queries, in id order (most
 * downloaded first), several merged in order: a LIMIT after it stops the reading, where
 * `d."id" IN (…)` would first read every match into a list (a common word's thousands). Each
 * query's rowids are tested for the flags the id carries; only a condition on anything else joins
 * the query to its documents (CROSS JOIN keeps the query as the outer loop, so FTS5 gives the
 * order and no sort is needed). `within` narrows the rowids (FTS5 then seeks to them).
 */
function matchesOf(
  filter: DocumentFilter,
  within?: (rowid: Prisma.Sql) => Prisma.Sql,
  columns: Prisma.Sql = Prisma.empty,
): Prisma.Sql {
  if (filter.queries === null) {
    const { sliced } = filter;
    if (sliced === null) return Prisma.sql`SELECT d."id"${columns} FROM ${rowsOf(filter)} WHERE ${filter.where}`;
    const slices = termsSlices(sliced.slices).map(
      (slice) => Prisma.sql`SELECT d."id"${columns} FROM ${rowsOf(filter)} WHERE ${sliced.where} AND ${slice}`,
    );
    return Prisma.sql`WITH "slicedQuery" AS MATERIALIZED (SELECT ${sliced.query} AS "query")
      SELECT * FROM (${Prisma.join(slices, " UNION ALL ")}) AS "sliced"`;
  }
  const selects = filter.queries.map((query) => {
    const rowid = Prisma.sql`${tableName(query)}.rowid`;
    const onDocument = [...filter.rest, ...(query.check ? [query.check] : [])];
    const conditions = [
      Prisma.sql`${tableName(query)} MATCH ${query.match}`,
      ...filter.restOnRowid.map((test) => test(rowid)),
      ...(within ? [within(rowid)] : []),
      ...onDocument,
    ];
    const from =
      onDocument.length === 0
        ? tableName(query)
        : Prisma.sql`${tableName(query)} CROSS JOIN "SearchDocument" d ON d."id" = ${rowid}`;
    return Prisma.sql`SELECT ${rowid} AS "id" FROM ${from} WHERE ${Prisma.join(conditions, " AND ")}`;
  });
  return Prisma.sql`${Prisma.join(selects, " UNION ")} ORDER BY 1`;
}

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
  /**
   * On PostgreSQL, with one word or ID piece as the whole text, some of the matches, each counted
   * before the matches in this order, enough to tell many matches from few when a count of them
   * alone reaches the limit: the documents whose ID starts with the text (sql.ts
   * idStartCondition), then, for a free word common in IDs, those whose ID words start with its
   * words (idWordsCondition), then, for a text of several common words, those whose words start
   * with them, without the IDs holding the text (textWordsCondition); each meeting the other conditions.
   */
  subsets: DocumentFilter[];
  /**
   * On PostgreSQL, set when ANALYZE's statistics expect a subset to reach the limit (sql.ts
   * idWordsCondition, textWordsCondition): the subsets are then counted in a statement of their
   * own first, and the matches, in another, only when none does. Planning and starting the
   * matches' part of one statement, never run when a subset reaches the limit, cost the ID prefix
   * at 500k 2-3 ms of its count's 11-16 ("Fabrikam.Extensions.Abs": the ID words holding the text,
   * the IDs with characters in no ID word).
   */
  subsetsFirst: boolean;
  /**
   * On PostgreSQL, with one word as the whole text and no filters, a condition that holds when the
   * counts the index keeps show the matches are more than the limit (sql.ts wordCountsShowMany):
   * tested before any count, which it then spares; alone, in a statement of its own, or in the count's.
   */
  countsShowMany: WordCountsTest | null;
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
function matching(
  db: DbClient,
  query: PackageSearchQuery,
  wordStartsOnly: boolean,
  limit: number,
  bounds: SearchBounds,
): Matching {
  const dialect = dialectOf(db);
  const variant = variantOf(query);
  const conditions = [variantCondition(dialect, variant.bit)];
  const terms = queryTerms(query);
  const freeWords = terms.filter((term) => term.field === null).flatMap((term) => wordsOf(term.value));
  const together =
    wordStartsOnly &&
    query.match === "text" &&
    terms.filter((term) => term.field === null && wordsOf(term.value).length > 0).length > 1;
  // Counts of some matches first (Matching.subsets), and counts slice by slice (sql.ts termsSlices), are tried only
  // without filters, which the statistics do not weigh, and when they estimate enough for the count with a quarter to
  // spare (the variant leaves some out: 956 of "json"'s 1,138 at 100k): a miss costs a read of an index (the ID words'
  // for a subset, 1-2 ms at 100k-500k), a hit saves testing the words on every document read until the limit (6-9).
  const unfiltered = !query.signedOnly && !query.verifiedOnly && query.packageType === null;
  const atLeast = ((limit + 1) * 5) / 4;
  const wordConditions: TextCondition[] = together
    ? [allWordsCondition(dialect, freeWords, unfiltered ? atLeast : null)]
    : [];
  let textCondition: TextCondition | null = null;
  for (const term of terms) {
    if (together && term.field === null && wordsOf(term.value).length > 0) continue;
    const condition = query.match === "id" ? idPieceCondition(dialect, term.value) : termCondition(dialect, term);
    if (condition) (term.field === null ? wordConditions : conditions).push(condition);
    textCondition = condition;
  }
  const [only] = terms;
  const alone = terms.length === 1 && only && (query.match === "id" || only.field === null) && textCondition;
  const start = alone ? idStartCondition(dialect, only.value) : null;
  const textAloneUnfiltered = alone && query.match === "text" && unfiltered;
  const idWords = textAloneUnfiltered ? idWordsCondition(dialect, only.value, atLeast) : null;
  const textWords = textAloneUnfiltered
    ? textWordsCondition(dialect, only.value, atLeast, bounds.subsetSlicesMargin)
    : null;
  const textConditions = conditions.length - 1 + wordConditions.length;
  if (query.signedOnly) conditions.push(trustedCondition(dialect));
  if (query.verifiedOnly) conditions.push(facetCondition(VERIFIED));
  if (query.packageType !== null) {
    const type = facetCondition(packageTypeOf(query.packageType));
    // Walked only without words: the planner cannot estimate that test, and with words it might then walk where reading the words' matches costs less.
    conditions.push(
      dialect === "postgresql" && textConditions === 0
        ? { ...type, walked: packageTypeWalked(query.packageType) }
        : type,
    );
  }
  // On PostgreSQL, a search by owners alone reads the first owner's rows of SearchOwnerDocument, which hold every
  // column the filters and the orders read, in downloads order (an index range), rather than each owned package's documents.
  const owner = conditions.find((condition) => condition.onOwnerRows !== undefined);
  const ownerRows = terms.every((term) => term.field === "owner") ? owner?.onOwnerRows : undefined;
  return {
    filter: ownerRows
      ? filterOf(
          dialect,
          conditions.map((condition) => (condition === owner ? { condition: ownerRows, ids: null } : condition)),
          "SearchOwnerDocument",
        )
      : filterOf(dialect, [...wordConditions, ...conditions]),
    whereButFreeWords: conditions,
    subsetsFirst: idWords !== null || textWords !== null,
    subsets: [start, idWords, textWords].flatMap((subset) => {
      if (subset === null) return [];
      const others = conditions.filter((condition) => condition !== textCondition);
      // The ID words' count is tried only for the text alone without filters: its one other condition is the variant,
      // which SearchIdWord's rows hold too.
      return subset.onIdWordRows
        ? [filterOf(dialect, [{ condition: subset.onIdWordRows, ids: null }, ...others], "SearchIdWord")]
        : [filterOf(dialect, [subset, ...others])];
    }),
    countsShowMany: textAloneUnfiltered ? wordCountsShowMany(dialect, only.value, limit) : null,
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
 * The matches of a search with words, read up to the count's limit: all of them unless `many`
 * (then the first ones read, or none when the kept counts showed them many: Matching.countsShowMany)
 * or, on PostgreSQL, only those up to the page's end (then `count` says how many match).
 */
interface Matches {
  ids: number[];
  /** How many match, up to the limit: on PostgreSQL with few matches, more than `ids`, which then holds the page's. */
  count: number;
  many: boolean;
  /**
   * On SQLite, when the count read an id set's matches (matchesOf, no subsets): the ids are then
   * the first matches in id order, most downloaded first (document-ids.ts), and sorted so here,
   * since an aggregate's order is not promised (see countedMostDownloaded).
   */
  inIdOrder: boolean;
  /** With many matches, on PostgreSQL, those relevance ranks before all others when they fill the page (readStartingIds); null otherwise. */
  startingIds: number[] | null;
}

/** On PostgreSQL, how many IDs starting with a search's text are read, at most, to tell whether they fill its page. */
const STARTING_IDS_READ = 1000;

/**
 * On PostgreSQL, for a page in relevance order of many matches: the matches idRank puts before all
 * others (0 and 1: the ID is the text, or starts with it or with its words), when they fill the
 * page (null otherwise). Then no other match can be on it, and the page is read from them alone:
 * neither ID candidates nor the most downloaded matches are read, nor is the statement that would
 * read them planned. They are read from the btree ranges holding every such ID (sql.ts
 * idStartRanges), each to `read` entries (STARTING_IDS_READ), and tested against the conditions
 * but the free words (Matching.whereButFreeWords), which such an ID meets (its words, which the
 * document's words include, start with the text's words, or it holds the text); when a range holds
 * more, they are not known to be all. A statement of its own, read only once the matches are known
 * to be many: in the count's, planning it cost the searches of few matches 1-1.5 ms. An ID prefix at
 * 500k ("Fabrikam.Extensions.Abs": 41 documents start with it) ranked 2,091 ID candidates and walked
 * the downloads index to its first 20 text matches: ~22 ms of the server's CPU, and its statement
 * took 3-5 ms to plan.
 */
async function readStartingIds(
  db: DbClient,
  query: PackageSearchQuery,
  { rankingText, filter, whereButFreeWords }: Matching,
  bounds: SearchBounds,
): Promise<number[] | null> {
  const pageEnd = query.skip + query.take;
  if (
    dialectOf(db) !== "postgresql" ||
    query.order !== "relevance" ||
    rankingText === null ||
    filter.rows !== "SearchDocument" ||
    query.take === 0 ||
    // A text of one word as the index writes it has cheap ID candidates already (sql.ts idWordCandidates; completing an
    // ID, the most downloaded matches): reading the IDs starting with it first would cost more than it could spare
    // ("json" at 500k: 1.1 ms, none starting with it there).
    oneIndexWord(rankingText) !== null
  )
    return null;
  const read = bounds.startingIds ?? STARTING_IDS_READ;
  const ranges = idStartRanges(rankingText, read + 1).map((range, index) => ({
    name: Prisma.raw(`"idStart${index}"`),
    range,
  }));
  const complete = Prisma.join(
    ranges.map(({ name }) => Prisma.sql`(SELECT COUNT(*) FROM ${name}) <= ${read}`),
    " AND ",
  );
  const [row] = await readQuery<{ ids: string | null }>(
    db,
    Prisma.sql`WITH ${Prisma.join(ranges.map(({ name, range }) => Prisma.sql`${name} AS MATERIALIZED (${range})`))},
      "starting" AS MATERIALIZED (
        SELECT d."id" FROM (${Prisma.join(
          ranges.map(({ name }) => Prisma.sql`SELECT "id" FROM ${name}`),
          " UNION ",
        )}) s JOIN "SearchDocument" d ON d."id" = s."id"
        WHERE ${complete} AND ${filterOf("postgresql", whereButFreeWords).where})
      SELECT string_agg(CAST("id" AS text), ',') AS "ids" FROM "starting" HAVING COUNT(*) >= ${pageEnd}`,
  );
  return row?.ids ? row.ids.split(",").map(Number) : null;
}

/**
 * The documents that match, up to `limit` of them, in no order: one row, the ids joined with
 * commas, since a row per id costs the client several microseconds (a thousand ids cost more
 * than the rest of a common word's search). With `subsets` (Matching.subsets), whether one of
 * them has `limit` documents instead, each read only when those before it have fewer, and the
 * matches only when none has: one statement, not one each (a statement costs the client about
 * as much as the database's reading of a subset). The subsets are materialized CTEs, and a CASE
 * evaluates the subqueries of its chosen branch alone. On PostgreSQL the ids of `limit` matches
 * or more are not joined: they are not read (pageSource), and joining 1,001 cost the server 0.17
 * ms of the ID prefix's count at 500k.
 * On PostgreSQL, of fewer matches than `limit` only those up to the page's end (`pageEnd`) come, in
 * the page's order (`order`, on `d`), with their count: the count has read each match's row
 * already, and looking every match up again to rank it cost more (412 matches of 'json' + signed +
 * verified at 500k: a page statement of 2.8-4.0 ms, 1.1-1.5 from the first 20); and a top-N sort
 * of them costs less than ordering all and joining every id into the answer (943 matches of
 * 'json' at 10k: the statement's median 5.95 → 5.17 ms over 40 runs each).
 * With `countsShowMany` (Matching.countsShowMany) holding, nothing is counted: no ids, and `many`;
 * tested alone first, it leaves the count statement unread. With `subsetsFirst`, the subsets are
 * counted in a statement of their own before the matches.
 * On SQLite, an id set's matches read without subsets are the first in id order (Matches.inIdOrder).
 */
async function matchingIds(
  db: DbClient,
  filter: DocumentFilter,
  limit: number,
  { subsets, subsetsFirst, countsShowMany }: Pick<Matching, "subsets" | "subsetsFirst" | "countsShowMany">,
  order: Prisma.Sql,
  pageEnd: number,
): Promise<Matches> {
  const postgres = dialectOf(db) === "postgresql";
  if (countsShowMany?.alone) {
    const [shown] = await readQuery<{ many: boolean }>(db, Prisma.sql`SELECT ${countsShowMany.condition} AS "many"`);
    if (shown?.many) return { ids: [], count: 0, many: true, inIdOrder: false, startingIds: null };
  }
  const shownMany = countsShowMany && !countsShowMany.alone ? countsShowMany.condition : null;
  let counted = subsets;
  if (postgres && subsetsFirst && shownMany === null) {
    const first = firstFullSubset(subsets, limit, { ids: Prisma.sql`NULL`, count: Prisma.sql`NULL` });
    const [row] = await readQuery<{ count: number | bigint | null }>(
      db,
      Prisma.sql`WITH ${Prisma.join(first.ctes)} SELECT ${first.count} AS "count"`,
    );
    if (row?.count !== null && row?.count !== undefined)
      return { ids: [], count: limit, many: true, inIdOrder: false, startingIds: null };
    counted = []; // each has fewer documents than the limit
  }
  const matches = Prisma.sql`(${matchesOf(filter)} LIMIT ${limit}) AS "m"`;
  let statement = Prisma.sql`SELECT group_concat("id", ',') AS "ids" FROM ${matches}`;
  if (postgres) {
    // What the orders compare (orderClause); an owner's rows need no ID words, since only a text is ranked.
    const columns = Prisma.raw(
      `, d."packageIdLower", d."downloads", d."lastPublishedAt"${filter.rows === "SearchOwnerDocument" ? "" : `, d."idTokens"`}`,
    );
    const {
      ctes: subsetCtes,
      ids,
      count,
    } = firstFullSubset(counted, limit, {
      ids: Prisma.sql`CASE WHEN (SELECT COUNT(*) FROM "matches") >= ${limit} THEN NULL
          ELSE (SELECT string_agg(CAST(p."id" AS text), ',') FROM (SELECT d."id" FROM "matches" d ORDER BY ${order} LIMIT ${pageEnd}) p) END`,
      count: Prisma.sql`(SELECT COUNT(*) FROM "matches")`,
    });
    const ctes = [
      ...subsetCtes,
      Prisma.sql`"matches" AS MATERIALIZED (${matchesOf(filter, undefined, columns)} LIMIT ${limit})`,
    ];
    statement = shownMany
      ? Prisma.sql`WITH "shown" AS MATERIALIZED (SELECT ${shownMany} AS "many"), ${Prisma.join(ctes)}
          SELECT CASE WHEN (SELECT "many" FROM "shown") THEN NULL ELSE ${ids} END AS "ids", CASE WHEN (SELECT "many" FROM "shown") THEN 0 ELSE ${count} END AS "count", (SELECT "many" FROM "shown") AS "many"`
      : Prisma.sql`WITH ${Prisma.join(ctes)} SELECT ${ids} AS "ids", ${count} AS "count"`;
  }
  const [row] = await readQuery<{ ids: string | null; count?: number | bigint | null; many?: boolean }>(db, statement);
  const ids = row?.ids ? row.ids.split(",").map(Number) : [];
  const count = row?.count === null || row?.count === undefined ? ids.length : Number(row.count);
  const inIdOrder = !postgres && subsets.length === 0 && filter.queries !== null;
  return {
    ids: inIdOrder ? ids.sort((a, b) => a - b) : ids,
    count,
    many: row?.many === true || count >= limit,
    inIdOrder,
    startingIds: null,
  };
}

/**
 * The subsets' CTEs ("subset0", ...; PostgreSQL alone has them), and when the first of them has
 * `limit` documents, no ids (matchingIds) and `limit` as the count; when none has, `otherwise`'s.
 */
function firstFullSubset(
  subsets: readonly DocumentFilter[],
  limit: number,
  otherwise: { ids: Prisma.Sql; count: Prisma.Sql },
): { ctes: Prisma.Sql[]; ids: Prisma.Sql; count: Prisma.Sql } {
  let { ids, count } = otherwise;
  for (let index = subsets.length - 1; index >= 0; index -= 1) {
    const full = Prisma.sql`(SELECT COUNT(*) FROM ${Prisma.raw(`"subset${index}"`)}) >= ${limit}`;
    ids = Prisma.sql`CASE WHEN ${full} THEN NULL ELSE ${ids} END`;
    count = Prisma.sql`CASE WHEN ${full} THEN ${limit} ELSE ${count} END`;
  }
  const ctes = subsets.map(
    (subset, index) =>
      Prisma.sql`${Prisma.raw(`"subset${index}"`)} AS MATERIALIZED (${matchesOf(subset)} LIMIT ${limit})`,
  );
  return { ctes, ids, count };
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
 * The ids (a select of "id") of the `n` most downloaded documents of the filter, or a few more.
 * On SQLite an id set streams its matches most downloaded first (document-ids.ts): the first n,
 * then the rest of the n-th one's bucket, whose order among themselves only the page's ORDER BY
 * settles; the cost follows n, not the matches. Otherwise the planner walks the downloads index
 * or sorts the matches (SQLite is told to walk: it is only asked once the matches are many).
 */
function mostDownloaded(dialect: DatabaseDialect, filter: DocumentFilter, n: number): Prisma.Sql {
  if (dialect === "sqlite" && filter.queries !== null) {
    const bucketEnd = Prisma.sql`(SELECT ((MAX("id") >> ${BUCKET_BITS}) + 1) << ${BUCKET_BITS} FROM "head")`;
    return Prisma.sql`WITH "head" AS MATERIALIZED (${matchesOf(filter)} LIMIT ${n})
      SELECT "id" FROM "head"
      UNION ALL SELECT "id" FROM (${matchesOf(filter, (rowid) => Prisma.sql`${rowid} > (SELECT MAX("id") FROM "head") AND ${rowid} < ${bucketEnd}`)})`;
  }
  const where = dialect === "postgresql" ? filter.walkedWhere : filter.where;
  return Prisma.sql`SELECT d."id" FROM ${rowsOf(filter)}${walkingIndex(dialect, "downloads")} WHERE ${where} ORDER BY d."downloads" DESC, d."packageIdLower" LIMIT ${n}`;
}

/**
 * On SQLite, the ids mostDownloaded gives for the `n` most downloaded matches (the first n in id
 * order, then the rest of the n-th one's bucket), taken from the count's (Matches.inIdOrder)
 * when it read past that bucket: it read the same matches in the same order, to one past its
 * limit, so the page need not read them again (the first 20 of 'Coho.Http.Sql' at 500k: 0.4-0.5
 * ms of its page statement). Null otherwise.
 */
function countedMostDownloaded({ ids, inIdOrder }: Matches, n: number): number[] | null {
  if (!inIdOrder || ids.length <= n) return null;
  const bucketOf = (id: number) => Math.floor(id / BUCKET_SIZE);
  const bucket = bucketOf(ids[n - 1] as number);
  let end = n;
  while (end < ids.length && bucketOf(ids[end] as number) === bucket) end += 1;
  return end < ids.length ? ids.slice(0, end) : null;
}

/**
 * On PostgreSQL, a filter whose matches may be few (mostDownloadedOfFew) is walked in downloads
 * order when its first `fewMatches` are among the order's first `entries`; otherwise every match
 * is read. At 500k, 10,000 entries take 3-4 ms: a filter with fewer than 15 matches there would
 * take more than 130,000 entries to walk to 200 matches, where reading them takes 15-45 (GIN
 * collects every document of each word's prefix: "Contoso.Data", 2,104 matches, 45).
 */
export interface CandidateWalk {
  entries: number;
  fewMatches: number;
}

const CANDIDATE_WALK: CandidateWalk = { entries: 10_000, fewMatches: 15 };

/**
 * The ids of the `n` most downloaded documents of the filter, when nothing tells whether its
 * matches are many or few (the ID candidates: the count counted other matches). On PostgreSQL,
 * the downloads order is walked as the planner would only when a walk of its first entries finds
 * enough matches (CandidateWalk); otherwise every match is read and sorted. The planner walks the
 * whole order for a filter of words it estimates common apart but rarely together: the IDs
 * holding the words of "Fabrikam.Extensions.Abs" at 500k, 35,000 estimated, 133 there, 600,000
 * entries walked (210-1,000 ms), where reading them takes 15.
 */
function mostDownloadedOfFew(
  dialect: DatabaseDialect,
  filter: DocumentFilter,
  n: number,
  { entries, fewMatches }: CandidateWalk,
): Prisma.Sql {
  if (dialect !== "postgresql") return mostDownloaded(dialect, filter, n);
  const order = Prisma.sql`ORDER BY d."downloads" DESC, d."packageIdLower"`;
  const common = Prisma.sql`(SELECT COUNT(*) FROM "firstMatches") >= ${fewMatches}`;
  return Prisma.sql`WITH "firstMatches" AS MATERIALIZED (
      SELECT d."id" FROM (SELECT * FROM ${rowsOf(filter)} ${order} LIMIT ${entries}) d
      WHERE ${filter.walkedWhere} LIMIT ${fewMatches}),
    "read" AS MATERIALIZED (
      SELECT d."id", d."downloads", d."packageIdLower" FROM ${rowsOf(filter)} WHERE NOT ${common} AND ${filter.where})
    SELECT "id" FROM (${mostDownloaded(dialect, filter, n)}) AS "walked" WHERE ${common}
    UNION ALL (SELECT d."id" FROM "read" d ${order} LIMIT ${n})`;
}

/** On PostgreSQL, the ids of the `n` most downloaded documents of any of the filters: each one's `n`, then the first `n` of them all. */
function mostDownloadedOfAny(filters: readonly DocumentFilter[], n: number): Prisma.Sql {
  const each = filters.map(
    (filter) =>
      Prisma.sql`(SELECT d."id", d."downloads", d."packageIdLower" FROM ${rowsOf(filter)} WHERE ${filter.walkedWhere} ORDER BY d."downloads" DESC, d."packageIdLower" LIMIT ${n})`,
  );
  return Prisma.sql`SELECT "id" FROM (${Prisma.join(each, " UNION ")}) AS "any" ORDER BY "downloads" DESC, "packageIdLower" LIMIT ${n}`;
}

/** The documents a page is chosen from (`FROM` and `WHERE`), and which of pageSource's kinds of reading they are. */
interface PageSource {
  from: Prisma.Sql;
  /**
   * "ids": a bound list of ids, whose reading is planned the same whatever the ids; "candidates":
   * ID candidates and the most downloaded matches, ranked; "walk": any other (an index walked in
   * order, the most downloaded matches alone).
   */
  kind: "ids" | "candidates" | "walk";
}

/**
 * The documents a page is chosen from (`FROM` and `WHERE`). With words and relevance order, only
 * candidates are ranked (see ID_CANDIDATES): ranking compares each document's ID with the text,
 * which costs far more than reading it. With more matches than were counted, the candidates (or,
 * in another order, the page) are the most downloaded matches (mostDownloaded) or, by recency,
 * found by walking that index, so the cost stays the same at any catalogue size.
 */
async function pageSource(
  db: DbClient,
  query: PackageSearchQuery,
  { filter, whereButFreeWords, rankingText, counted }: Matching,
  matches: Matches,
  bounds: SearchBounds,
): Promise<PageSource> {
  const dialect = dialectOf(db);
  const { where } = filter;
  const pageEnd = query.skip + query.take;
  const walk = (from: Prisma.Sql): PageSource => ({ from, kind: "walk" });
  // The filter's n most downloaded matches (a select of "id"): from the count's ids when they hold them.
  const mostDownloadedIds = (n: number) => {
    const fromCount = countedMostDownloaded(matches, n);
    return fromCount
      ? Prisma.sql`SELECT "value" AS "id" FROM json_each(${JSON.stringify(fromCount)})`
      : mostDownloaded(dialect, filter, n);
  };
  // The page's documents among the filter's most downloaded.
  const mostDownloadedPage = () => Prisma.sql`"SearchDocument" d WHERE d."id" IN (${mostDownloadedIds(pageEnd)})`;
  if (counted) {
    // On SQLite, a facet's full-text rows (verified, a package type) give their documents most downloaded first
    // (document-ids.ts): the page is the first of them, where a walk of the downloads index tested each document
    // against the facet's list, read whole first (DotnetTool's 10,000 documents at 500k: 3 ms).
    if (dialect === "sqlite" && filter.queries !== null && query.order !== "recent") return walk(mostDownloadedPage());
    const common = await commonType(db, query);
    // On PostgreSQL the walk reads the covering index alone and tests the type there (packageTypeWalked).
    if (common && dialect === "postgresql" && query.order !== "recent") return walk(mostDownloadedPage());
    return walk(
      Prisma.sql`"SearchDocument" d${common ? walkingIndex(dialect, query.order === "recent" ? "recent" : "downloads") : Prisma.empty} WHERE ${where}`,
    );
  }
  // Few matches: the count read them all, so the page reads them by id rather than matching again, and ranks them all;
  // on PostgreSQL they come in the page's order (matchingIds), so only those to the page's end. Many, on PostgreSQL,
  // those relevance ranks first when they fill the page (readStartingIds).
  if (!matches.many || matches.startingIds !== null) {
    const ids = matches.startingIds ?? (dialect === "postgresql" ? matches.ids.slice(0, pageEnd) : matches.ids);
    return {
      from: Prisma.sql`"SearchDocument" d WHERE ${inJsonList(db, Prisma.sql`d."id"`, ids, "bigint")}`,
      kind: "ids",
    };
  }
  if (query.order === "recent")
    return walk(
      filter.rows === "SearchOwnerDocument"
        ? Prisma.sql`"SearchDocument" d WHERE d."id" IN (SELECT d."id" FROM ${rowsOf(filter)} WHERE ${filter.walkedWhere} ORDER BY ${orderClause(query, null, "d")} LIMIT ${pageEnd})`
        : Prisma.sql`"SearchDocument" d${walkingIndex(dialect, "recent")} WHERE ${dialect === "postgresql" ? filter.walkedWhere : where}`,
    );
  if (query.order === "downloads" || rankingText === null) return walk(mostDownloadedPage());
  // Completing an ID, every match holds the text in its ID: the most downloaded matches are the ID candidates.
  // Otherwise, with many matches, an ID holding the text (or being it) has the free words too, so their matches need not be read.
  // The exact IDs are a lookup of one or two rows, whose other conditions are tested row by row.
  const exactOnly = query.match === "id" ? filter.probed : filterOf(dialect, whereButFreeWords).probed;
  const idCandidates = Math.max(bounds.idCandidates, pageEnd);
  // Without filters (the variant alone), through the ID words holding the text.
  const byWords =
    query.match === "text" && whereButFreeWords.length === 1
      ? idWordCandidates(dialect, rankingText, filterOf(dialect, whereButFreeWords).where, idCandidates)
      : null;
  const idParts = byWords !== null || query.match === "id" ? null : idHoldingWordParts(dialect, rankingText);
  const byId =
    byWords ??
    (idParts
      ? mostDownloadedOfAny(
          idParts.map((part) => filterOf(dialect, [part, ...whereButFreeWords])),
          idCandidates,
        )
      : query.match === "id"
        ? mostDownloadedIds(idCandidates)
        : mostDownloadedOfFew(
            dialect,
            filterOf(dialect, [idRelatedCondition(dialect, rankingText), ...whereButFreeWords]),
            idCandidates,
            bounds.candidateWalk ?? CANDIDATE_WALK,
          ));
  // Completing an ID, the ID candidates are already the most downloaded matches to the page's end.
  const byDownloadsToo =
    query.match === "id"
      ? Prisma.empty
      : Prisma.sql`UNION SELECT "id" FROM (${mostDownloadedIds(pageEnd)}) AS "byDownloads"`;
  return {
    kind: "candidates",
    from: Prisma.sql`"SearchDocument" d WHERE d."id" IN (
      SELECT d."id" FROM "SearchDocument" d
      WHERE ${exactOnly} AND d."registrationId" IN (SELECT r."id" FROM "PackageRegistration" r WHERE r."packageIdLower" IN (${Prisma.join(exactIdsOf(rankingText))}))
      UNION SELECT "id" FROM (${byId}) AS "byId"
      ${byDownloadsToo})`,
  };
}

/**
 * Whether a package type filter keeps so many documents that walking the order's index meets a
 * page of them sooner than reading and sorting them all (SQLite's planner reads them all, from
 * the type's rows; PostgreSQL's walks but looks each document up in them, where the covering
 * index can tell: packageTypeWalked): the walk reads about pageEnd × documents / matches rows,
 * the sort all matches. Both counts are kept (SearchCount). On PostgreSQL a walked document is an
 * entry of the covering index, about a tenth of a sorted one (a lookup of its row): Template's
 * 3,058 documents at 500k, a page in 3,900 entries walked, where the planner's walk with a lookup
 * each took 17-30 ms and a sort 10.
 */
async function commonType(db: DbClient, query: PackageSearchQuery): Promise<boolean> {
  if (query.packageType === null) return false;
  const everyDocument = countedTotal({ ...query, packageType: null, signedOnly: false, verifiedOnly: false });
  const [row] = await readQuery<{ matches: number | bigint | null; documents: number | bigint | null }>(
    db,
    Prisma.sql`SELECT ${countedTotal(query)} AS "matches", ${everyDocument} AS "documents"`,
  );
  const matches = Number(row?.matches ?? 0);
  const walkedCost = dialectOf(db) === "postgresql" ? 0.1 : 1;
  return matches * matches > (query.skip + query.take) * Number(row?.documents ?? 0) * walkedCost;
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
  /** GalleryRevision row 2 (lib/db/revision.ts): the reservations' revision as the page was read. */
  sharedFacts: number | bigint;
}

/**
 * One statement: the page of documents, then for those few rows only, what the hits show. Each
 * statement costs more in the client than in the database, so a page is one of them. Chosen from
 * a list of ids, it is planned the same whatever they are, and PostgreSQL keeps its plan
 * (ReadOptions.samePlanForAnyValues): planning it cost more than running it. Chosen from ranked
 * candidates, a plan that depends on the values, the page is read on PostgreSQL by a statement of
 * its own, planned anew, and what its hits show then by its ids: "json" at 500k, 10 readers, cost
 * the server 9.9-10.1 ms a search as one statement, 5.0-5.3 as two; a walk's page statement costs
 * little to plan, and as two its searches cost Node 0.5 ms more than the server saved.
 */
async function readHitRows(
  db: DbClient,
  query: PackageSearchQuery,
  matched: Matching,
  matches: Matches,
  bounds: SearchBounds,
): Promise<HitRow[]> {
  const dialect = dialectOf(db);
  const rankingText = matched.counted ? null : matched.rankingText;
  const source = await pageSource(db, query, matched, matches, bounds);
  if (source.kind !== "candidates" || dialect === "sqlite")
    return readQuery<HitRow>(db, hitRowsStatement(dialect, query, matched, source.from, query.skip), {
      samePlanForAnyValues: source.kind === "ids",
    });
  const page = await readQuery<{ id: bigint }>(
    db,
    Prisma.sql`SELECT d."id" FROM ${source.from} ORDER BY ${orderClause(query, rankingText, "d")} LIMIT ${query.take} OFFSET ${query.skip}`,
  );
  if (page.length === 0) return [];
  const ids = page.map(({ id }) => Number(id));
  return readQuery<HitRow>(
    db,
    hitRowsStatement(
      dialect,
      query,
      matched,
      Prisma.sql`"SearchDocument" d WHERE ${inJsonList(db, Prisma.sql`d."id"`, ids, "bigint")}`,
      0,
    ),
    { samePlanForAnyValues: true },
  );
}

/** The statement of readHitRows: the page of the documents `from` gives (`FROM` and `WHERE`) past `skip` of them, and what its hits show. */
function hitRowsStatement(
  dialect: DatabaseDialect,
  query: PackageSearchQuery,
  matched: Matching,
  from: Prisma.Sql,
  skip: number,
): Prisma.Sql {
  const rankingText = matched.counted ? null : matched.rankingText;
  const total = matched.counted ? countedTotal(query) : Prisma.sql`NULL`;
  const sortRank = query.order === "relevance" && rankingText !== null ? idRank(rankingText) : Prisma.sql`0`;
  return Prisma.sql`
    SELECT p."registrationId", p."packageId", p."packageIdLower", p."verified", p."downloads", p."total", p."versionId",
           v."version", v."originalVersion", v."publishedAt", v."title", v."description", v."summary", v."authors", v."tags", v."iconUrl",
           v."licenseUrl", v."licenseExpression", v."projectUrl", v."packageTypes", v."dependencyGroups", v."signatureStatus", v."signatureReport", v."sha512", v."uploadedSha512", v."provenSigningTime",
           v."provenSigningTimeSource", v."signerCertificateId", c."subject" AS "signerSubject", c."sha256Fingerprint" AS "signerFingerprint",
           c."compromisedAt", ${ownersJson(dialect)} AS "owners", ${visibleVersionsJson(dialect, query)} AS "versions",
           (SELECT g."value" FROM "GalleryRevision" g WHERE g."id" = 2) AS "sharedFacts"
    FROM (
      SELECT d."registrationId", d."versionId", d."packageId", d."packageIdLower", d."verified", d."downloads", d."lastPublishedAt", ${total} AS "total",
             ${sortRank} AS "sortRank"
      FROM ${from}
      ORDER BY ${orderClause(query, rankingText, "d")} LIMIT ${query.take} OFFSET ${skip}
    ) p
    JOIN "PackageVersion" v ON v."id" = p."versionId"
    LEFT JOIN "Certificate" c ON c."id" = v."signerCertificateId"
    ORDER BY ${orderClause(query, rankingText, "p")}`;
}

/** The total of a search without words when the page asked for is past the last one (the page's rows carry it otherwise). */
async function readCountedTotal(db: DbClient, query: PackageSearchQuery): Promise<number> {
  const [row] = await readQuery<{ total: number | bigint | null }>(
    db,
    Prisma.sql`SELECT ${countedTotal(query)} AS total`,
  );
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
  const shownVersion = hitVersion(row.version, row.originalVersion, row.publishedAt);
  return {
    packageId: row.packageId,
    owners,
    verification: row.verified ? verifyPackageId(row.packageId, accounts, reservations) : NOT_VERIFIED,
    downloads: Number(row.downloads),
    versions: sortByVersionDescending(versions)
      .reverse()
      .map((version) => hitVersion(version.version, version.original, version.publishedAt)),
    // Named, not spread: a spread into this many-keyed literal cost V8 ~26 µs a hit (a page of
    // 20 hits built in 780 µs against 260 µs named), a large part of a search's time in Node.
    shown: {
      version: shownVersion.version,
      fullVersion: shownVersion.fullVersion,
      publishedAt: shownVersion.publishedAt,
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

/** Every reservation by its pattern (unique), and its owners' ids by username, as of a revision of the gallery-wide facts. */
interface KnownReservations {
  revision: number;
  byPattern: Map<string, ReservationWithPattern>;
  ownerIds: Map<string, string>;
}

/**
 * Per client, every reservation, read again only when a page shows another revision of the
 * gallery-wide facts (GalleryRevision row 2, which a change to a reservation, its owners or a
 * username raises in its transaction): reading the reservations that match a page's verified IDs
 * was a statement of every search with one (0.5-0.8 ms of the database's and Node's CPU, of 8-9
 * for an ID prefix at 100k). Reservations are few (admins create them; nuget.org has thousands).
 * The reservations are read after the page, so they are at least as new as the revision it shows.
 */
const knownReservations = new WeakMap<DbClient, KnownReservations>();

async function reservationsAsOf(db: DbClient, revision: number): Promise<KnownReservations> {
  const known = knownReservations.get(db);
  if (known?.revision === revision) return known;
  const reservations = await readAllReservations(db);
  const byPattern = new Map(reservations.map((reservation) => [reservation.patternLower, reservation] as const));
  // The rule compares account ids: the reservations' owners name theirs, and a package owner is the same account by username.
  const ownerIds = new Map(
    reservations.flatMap((reservation) => reservation.owners.map((owner) => [owner.username, owner.id] as const)),
  );
  const read = { revision, byPattern, ownerIds };
  knownReservations.set(db, read);
  return read;
}

/** For the Verified check's sentence: the reservations of each verified hit, and their owners' ids by username. */
async function readVerification(
  db: DbClient,
  rows: readonly HitRow[],
): Promise<{ reservationsOf: (row: HitRow) => ReservationWithOwners[]; ownerIds: ReadonlyMap<string, string> }> {
  const [first] = rows;
  if (!first || !rows.some((row) => Boolean(row.verified))) return { reservationsOf: () => [], ownerIds: new Map() };
  const { byPattern, ownerIds } = await reservationsAsOf(db, Number(first.sharedFacts));
  return {
    reservationsOf: (row) => candidatePatterns(row.packageIdLower).flatMap((pattern) => byPattern.get(pattern) ?? []),
    ownerIds,
  };
}

/**
 * The matches of a search, up to one past the limit, read from its rarest id set (rarestFirst),
 * which the page is then read from too.
 */
async function countMatches(
  db: DbClient,
  query: PackageSearchQuery,
  matched: Matching,
  limit: number,
): Promise<{ matched: Matching; matches: Matches }> {
  const filter = await rarestFirst(db, matched.filter);
  if (filter === null)
    return { matched, matches: { ids: [], count: 0, many: false, inIdOrder: false, startingIds: null } };
  const order = orderClause(query, matched.rankingText, "d");
  const pageEnd = query.skip + query.take;
  return {
    matched: { ...matched, filter },
    matches: await matchingIds(db, filter, limit + 1, matched, order, pageEnd),
  };
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
  if (dialectOf(db) === "postgresql") await readCommonWords(db);
  const limit = Math.max(bounds.countedMatches, query.skip + query.take);
  let matched = matching(db, query, true, limit, bounds);
  let matches: Matches = { ids: [], count: 0, many: false, inIdOrder: false, startingIds: null };
  if (!matched.counted) {
    // Some of the matches counted first, when that is cheaper: when they alone pass the limit, so do the matches.
    ({ matched, matches } = await countMatches(db, query, matched, limit));
    if (!matches.many && matches.count === 0 && matched.wordStartsOnly)
      ({ matched, matches } = await countMatches(db, query, matching(db, query, false, limit, bounds), limit));
  }
  if (matches.many) matches = { ...matches, startingIds: await readStartingIds(db, query, matched, bounds) };
  const noMatches = !matched.counted && !matches.many && matches.count === 0;
  const rows = noMatches || query.take === 0 ? [] : await readHitRows(db, query, matched, matches, bounds);
  const [first] = rows;
  let total: number;
  if (!matched.counted) total = matches.many ? limit : matches.count;
  else total = first ? Number(first.total ?? 0) : await readCountedTotal(db, query);
  const { reservationsOf, ownerIds } = await readVerification(db, rows);
  return {
    total,
    totalIsLowerBound: matches.many,
    hits: rows.map((row) => toHit(row, row.verified ? reservationsOf(row) : [], ownerIds)),
  };
}
