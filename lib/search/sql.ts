// The SQL of a package search over the index (search-index.ts), per database: SQLite matches
// words in the FTS5 table SearchText and ID pieces in the trigram table SearchIdTrigram, both in
// id order (most downloaded first, document-ids.ts) and narrowed by the facets their rows hold
// (facets.ts); PostgreSQL matches the tsvector columns and the pg_trgm index on the ID. Both read
// the same words (words.ts), so they find the same packages. `d` is always the SearchDocument row.

import { Prisma } from "@/generated/prisma/sqlite/client";
import type { DatabaseDialect } from "@/lib/config";
import { IssueError } from "@/lib/issues";
import { normalizeVersion, parseVersion } from "@/lib/versioning/version";
import { TRUSTED_FLAG } from "./document-ids";
import { ownerFacet, packageTypeFacet, VERIFIED_FACET } from "./facets";
import type { SearchTerm } from "./query-text";
import { commonestWordDocuments, estimatedDocuments, indexedWordsOf, narrowingWords } from "./word-frequencies";
import { idPairToken, idParts, idWordToken, isIndexedPart, LONGEST_INDEXED_PREFIX, wordsOf } from "./words";

/** An ID piece shorter than this has no trigram; it is matched as the start of an ID word instead. */
const MIN_TRIGRAM_LENGTH = 3;

function escapeLike(text: string): string {
  return text.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`);
}

export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`;
}

/**
 * An FTS5 query: its text, in parts, each a string or an expression of the statement that gives
 * one (tokenStart). Bound as one string when every part is one.
 */
type FtsQuery = ReadonlyArray<string | Prisma.Sql>;

function ftsQuerySql(parts: FtsQuery): Prisma.Sql {
  const merged: Array<string | Prisma.Sql> = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (typeof part === "string" && typeof last === "string") merged[merged.length - 1] = last + part;
    else merged.push(part);
  }
  return Prisma.join(
    merged.map((part) => (typeof part === "string" ? Prisma.sql`${part}` : part)),
    " || ",
  );
}

/** Parts joined with a separator. */
function joinFtsQuery(queries: readonly FtsQuery[], separator: string): FtsQuery {
  return queries.flatMap((query, index) => (index === 0 ? query : [separator, ...query]));
}

/** A word the index does not read as a prefix joins its read as the words it starts when they are at most this many. */
const FEW_STARTED_WORDS = 8;

/**
 * Tokens of the full-text rows starting with `token`: `"token"*`. A start longer than the prefix
 * indexes FTS5 reads by merging the doclists of every token it starts into one before it returns
 * a row ("extensions"* at 500k packages: 33 ms, where the token "extensions" alone streams in 0.06
 * ms), so such a start is read as the tokens it starts when they are 1 to FEW_STARTED_WORDS,
 * listed in SearchTerm (migration 0029), which holds every token longer than the prefix indexes
 * but an ID's pairs (ID words are "_word", tokenized as SearchText does). Read in the statement:
 * the answer cannot be older than the index. A start of other than ASCII letters and digits is
 * left to FTS5, whose tokenizer folds it as it folded the rows' tokens.
 */
function tokenStart(token: string): FtsQuery {
  const start = `"${token}"*`;
  if (token.length <= LONGEST_INDEXED_PREFIX || !isListable(token.replace(/^_/, ""))) return [start];
  const past = `${token.slice(0, -1)}${String.fromCharCode(token.charCodeAt(token.length - 1) + 1)}`;
  return [
    Prisma.sql`(SELECT CASE WHEN COUNT(*) BETWEEN 1 AND ${FEW_STARTED_WORDS} THEN '(' || group_concat('"' || t."token" || '"', ' OR ') || ')' ELSE ${start} END
    FROM (SELECT "token" FROM "SearchTerm" WHERE "token" >= ${token} AND "token" < ${past} ORDER BY "token" LIMIT ${FEW_STARTED_WORDS + 1}) t)`,
  ];
}

/**
 * Every word must start a word of the package's text, or of its ID (FTS5 query syntax; the words
 * are letters and digits, quoted anyway). The text's words include the ID's; the ID's own are
 * written as idWordToken, so neither needs a column filter.
 */
function ftsQuery(words: readonly string[], column: "idTerms" | "terms"): FtsQuery {
  const token = column === "idTerms" ? idWordToken : (word: string) => word;
  return [
    "(",
    ...joinFtsQuery(
      words.map((word) => tokenStart(token(word))),
      " AND ",
    ),
    ")",
  ];
}

/**
 * A filter that is also a word of the full-text rows (facets.ts): `condition` tests document `d`;
 * `word` is its word in SearchText, `idWord` in SearchIdTrigram's facets column (which holds only
 * verified), so an FTS5 query can narrow by it instead.
 */
export interface Facet {
  condition: Prisma.Sql;
  word: string;
  idWord: string | null;
}

export const VERIFIED: Facet = { condition: Prisma.sql`d."verified" = true`, word: VERIFIED_FACET, idWord: "#ve" };

/**
 * SearchText rows that `match` finds (every row, when null) and that hold every facet: its rows
 * hold them all, marked, so any facet applies. Each of its documents must also meet `check`.
 */
function searchTextIds(match: FtsQuery | null, check?: Prisma.Sql): DocumentIds {
  return {
    queries: (facets) => [
      {
        table: "SearchText",
        match: ftsQuerySql(
          joinFtsQuery([...(match === null ? [] : [match]), ...facets.map((facet) => [`"${facet.word}"`])], " AND "),
        ),
        ...(check ? { check } : {}),
      },
    ],
    applies: () => true,
  };
}

/** The same as a tsquery: every word as a prefix. */
function tsQuery(words: readonly string[]): string {
  return words.map((word) => `${word}:*`).join(" & ");
}

/**
 * One FTS5 query: the rows of `table` (a rowid is a document's id) that `match` finds, of whose
 * documents `d` only those meeting `check` (when set) are meant.
 */
export interface FullTextQuery {
  table: "SearchText" | "SearchIdTrigram";
  /** The FTS5 query: a bound string, or an expression of the statement (tokenStart). */
  match: Prisma.Sql;
  check?: Prisma.Sql;
}

/**
 * On SQLite, a word or ID condition is membership in a set of document ids that FTS5 queries
 * give: `queries` are those (their union), narrowed by the facets their table holds, and
 * `applies` tells which those are. A reading driven by them (see search.ts) streams each query's
 * rows in rowid order, most downloaded first (document-ids.ts), and can stop at a LIMIT, where
 * `d."id" IN (…)` first reads every match into a list.
 */
export interface DocumentIds {
  queries(facets: readonly Facet[]): FullTextQuery[];
  applies(facet: Facet): boolean;
}

/** A condition on `d`, and on SQLite the set of document ids it is membership in, when it is one. */
export interface TextCondition {
  condition: Prisma.Sql;
  ids: DocumentIds | null;
  /**
   * On PostgreSQL, the same condition as a test of each document a walk in downloads order
   * passes, when the planner would otherwise misjudge how many documents match (see owner, and
   * wordsMatch, whose condition holds a query the statement reads).
   */
  walked?: Prisma.Sql;
  /**
   * On PostgreSQL, for an owner filter, the same condition on the rows of SearchOwnerDocument
   * (migration 0028), which a search by owners alone reads instead of the documents (search.ts).
   */
  onOwnerRows?: Prisma.Sql;
  /**
   * On PostgreSQL, for a count of the documents whose ID words start with one word (idWordsCondition),
   * the same condition on the rows of SearchIdWord (migration 0032), each document counted once.
   */
  onIdWordRows?: Prisma.Sql;
  /**
   * On PostgreSQL, for a condition of common words on "terms" alone, whose matches a count reads
   * slice by slice (termsSlices): the tsquery its index reads, which the count reads once for every
   * slice, the condition with that tsquery read from `query`, and how many slices, from the first,
   * hold the documents counted (every one but for a subset: slicedWhenCommon).
   */
  sliced?: { query: Prisma.Sql; condition: (query: Prisma.Sql) => Prisma.Sql; slices: number };
  /** On PostgreSQL, set when no index reads the condition (the variant's flags): such a count tests it on each document. */
  testedOnly?: true;
  /** Set when the condition is a facet, which a driver's full-text query may apply instead. */
  facet?: Facet;
  /**
   * On SQLite, when the condition reads the document's id alone (its flags, document-ids.ts): the
   * same test of a full-text row's rowid, which needs no read of the document.
   */
  onRowid?: (rowid: Prisma.Sql) => Prisma.Sql;
}

/** On SQLite, documents whose id carries the flag; on PostgreSQL, the column that holds it. */
function flagCondition(dialect: DatabaseDialect, flag: number, column: Prisma.Sql): TextCondition {
  if (dialect === "postgresql") return { condition: column, ids: null };
  const onRowid = (rowid: Prisma.Sql) => Prisma.sql`(${rowid} & ${flag}) <> 0`;
  return { condition: onRowid(Prisma.sql`d."id"`), ids: null, onRowid };
}

/** The documents of a variant (variants.ts): one per package with a version the variant shows. */
export function variantCondition(dialect: DatabaseDialect, bit: number): TextCondition {
  const condition = flagCondition(dialect, bit, Prisma.sql`(d."variants" & ${bit}) <> 0`);
  return dialect === "postgresql" ? { ...condition, testedOnly: true } : condition;
}

/** The slices of the documents that migration 0039 indexes the words of, each in a GIN index of its own. */
const TERMS_SLICES = 8;

/**
 * On PostgreSQL, a condition on document `d` for each slice of migration 0039, in order: a count
 * of common words' matches to a limit reads them one after another, each slice's index returning
 * an eighth of the matches, and stops at the limit, where one index returns every match before the
 * first ("fabrikam & abstractions", 14,645 documents at 500k: 8.7 ms for a count of 1,001; 3.0 from
 * the first slice's 1,791). Literals, which the planner needs to choose a partial index.
 */
export function termsSlices(slices: number): Prisma.Sql[] {
  return Array.from({ length: slices }, (_, slice) => Prisma.raw(`(d."id" % ${TERMS_SLICES}) = ${slice}`));
}

/**
 * A count of some of the matches (a subset, search.ts Matching.subsets) reads the slices that
 * ANALYZE's statistics expect to hold this many times `atLeast` documents, not all eight: the
 * statement plans each slice it names, read or not (at 500k, the words of "Fabrikam.Extensions.Abs"
 * in eight slices cost 1.28 ms of planning, in two 0.62), and a subset that falls short only
 * leaves every match to be counted, as one of fewer documents than the limit always did. Eight
 * times, since the statistics put at the words the documents of the rarest, and the documents of
 * every variant: at 500k, 54,323 for those words, of which 9,724 have them all in the site's
 * variant; a subset then falls short only when its words are together in fewer than a tenth of
 * the documents estimated.
 */
const SUBSET_SLICES_MARGIN = 8;

/**
 * The words' condition, read slice by slice when ANALYZE's statistics put at least `atLeast`
 * documents at each word (null: never): every slice, or for a subset, those expected to hold
 * `subsetMargin` times its documents.
 */
function slicedWhenCommon(
  dialect: DatabaseDialect,
  words: readonly string[],
  atLeast: number | null,
  subsetMargin: number | null = null,
): TextCondition {
  if (dialect !== "postgresql") return wordsMatch(dialect, words, "terms");
  const match = postgresWordsMatch(words, "terms");
  const condition = {
    condition: match.condition(match.query),
    ids: null,
    ...(match.walked ? { walked: match.walked } : {}),
  };
  const documents = estimatedDocuments("terms", words);
  if (atLeast === null || documents < atLeast) return condition;
  const slices =
    subsetMargin === null
      ? TERMS_SLICES
      : Math.min(TERMS_SLICES, Math.ceil((TERMS_SLICES * subsetMargin * atLeast) / documents));
  return { ...condition, sliced: { query: match.query, condition: match.condition, slices } };
}

/** The documents whose version's signing is trusted ("signed only"). */
export function trustedCondition(dialect: DatabaseDialect): TextCondition {
  return flagCondition(dialect, TRUSTED_FLAG, Prisma.sql`d."trusted" = true`);
}

export function facetCondition(facet: Facet): TextCondition {
  return { condition: facet.condition, ids: null, facet };
}

function inIds(ids: DocumentIds): TextCondition {
  const each = ids.queries([]).map(({ table, match, check }) => {
    const member = Prisma.sql`d."id" IN (SELECT rowid FROM ${Prisma.raw(`"${table}"`)} WHERE ${Prisma.raw(`"${table}"`)} MATCH ${match})`;
    return check ? Prisma.sql`(${member} AND ${check})` : member;
  });
  return { condition: Prisma.sql`(${Prisma.join(each, " OR ")})`, ids };
}

/** The documents with every facet: the driver of a search whose other conditions have no index of their own. */
export function facetIds(): DocumentIds {
  return searchTextIds(null);
}

/**
 * Every word must start a word of the package's text (one FTS AND, one tsquery); on PostgreSQL,
 * counted slice by slice when the statistics put at least `atLeast` documents at each word.
 */
export function allWordsCondition(
  dialect: DatabaseDialect,
  words: readonly string[],
  atLeast: number | null,
): TextCondition {
  return slicedWhenCommon(dialect, words, atLeast);
}

function wordsIds(words: readonly string[], column: "idTerms" | "terms"): DocumentIds {
  return searchTextIds(ftsQuery(words, column));
}

/**
 * The whole words inside an ID piece: parts of ASCII letters and digits with a separator on each
 * side ("rutoquoto" in "litware.rutoquoto.ton"). An ID holding the piece has each as one of its
 * parts, so as one of its words (words.ts idWords; the separators are ASCII, so no normalisation
 * joins them to a neighbour). The first and last parts may be parts of longer ID words, so not these.
 */
function wholeWordsInside(piece: string): string[] {
  return idParts(piece).slice(1, -1).filter(isIndexedPart);
}

/** Words shorter than this start many rare words, which the statistics do not see ("ka": 19,000 IDs estimated). */
const MIN_COUNTED_WORD_LENGTH = 4;

/**
 * On PostgreSQL, the ID words of an ID holding the piece, as a tsquery: its whole words inside, and
 * its last part as a word start (the ID's part there may be longer: "abs" in ".Abstractions") when
 * the statistics put no more documents at words starting with it than at the rarest whole word. An
 * ID whose part there runs on past 64 characters has no such word (words.ts), so idContains also
 * takes the IDs with characters in no ID word (NOT_WHOLE_ID_COUNTED). GIN collects every document
 * of every word a prefix starts before it intersects them, so a last part shorter than
 * MIN_COUNTED_WORD_LENGTH, which may start many words each too rare for the statistics, is read as
 * the few words it starts when it starts few ("abs": abstractions and one more at 500k), as
 * indexedQuery reads a word; a commoner last part is left to the test on each document.
 */
function pieceQuery(piece: string, words: readonly string[]): Prisma.Sql {
  const parts = idParts(piece);
  const last = parts[parts.length - 1] ?? "";
  const rarest = Math.min(...words.map((word) => estimatedDocuments("idTerms", [word])));
  const wholeWords = words.join(" & ");
  if (!isIndexedPart(last) || estimatedDocuments("idTerms", [last]) > rarest) return simpleQuery(wholeWords);
  if (last.length >= MIN_COUNTED_WORD_LENGTH) return simpleQuery(`${wholeWords} & ${last}:*`);
  return Prisma.sql`(${simpleQuery(wholeWords)} && COALESCE((SELECT CAST("words" AS tsquery) FROM (${fewWordsStarting(last)}) s), ${simpleQuery(`${last}:*`)}))`;
}

/**
 * The FTS5 words an ID holding the piece must have, when the piece has whole words inside: each
 * two neighbouring parts after the first as a pair (words.ts idPairToken), the last of them as a
 * start, since the piece's last part may start a longer one ("_http_sql"* for "coho.http.sql");
 * a part in no pair, as an ID word.
 */
function pieceWords(piece: string): string[] {
  const parts = idParts(piece).slice(1);
  const last = parts.length - 1;
  const indexed = parts.map(isIndexedPart);
  const paired = new Set<number>();
  const words: string[] = [];
  for (let index = 1; index <= last; index += 1) {
    if (!indexed[index - 1] || !indexed[index]) continue;
    words.push(`"${idPairToken(parts[index - 1] as string, parts[index] as string)}"${index === last ? "*" : ""}`);
    paired.add(index - 1).add(index);
  }
  parts.forEach((part, index) => {
    if (indexed[index] && !paired.has(index)) words.push(`"${idWordToken(part)}"${index === last ? "*" : ""}`);
  });
  return words;
}

/**
 * IDs holding the piece. A piece with whole words inside ("Microsoft.Security.Tom") is found by
 * its parts' words and pairs (pieceWords) in the ID words index, each candidate then checked:
 * its trigrams ("mic", "ros", ...) are each in a large share of IDs, and a phrase of twenty of
 * them costs more than the search may. An ID whose part there runs on past an ID word (65
 * characters, or one other than ASCII) has no pair with it, so the few such IDs, whose trigram
 * rows hold "#nw" (migration 0028), are checked too.
 */
function idContainsIds(piece: string): DocumentIds {
  const holds = Prisma.sql`d."packageIdLower" LIKE ${containsPattern(piece)} ESCAPE '\\'`;
  if (wholeWordsInside(piece).length > 0)
    return eitherIds(
      searchTextIds(["(", pieceWords(piece).join(" AND "), ")"], holds),
      trigramIds(`{facets} : "#nw"`, holds),
    );
  return trigramIds(`{packageIdLower} : "${piece.toLowerCase().replaceAll('"', '""')}"`);
}

/** The rows of SearchIdTrigram that `match` finds, narrowed by the facets they hold (verified), each document meeting `check`. */
function trigramIds(match: string, check?: Prisma.Sql): DocumentIds {
  const applies = (facet: Facet) => facet.idWord !== null;
  return {
    queries: (facets) => [
      {
        table: "SearchIdTrigram",
        match: Prisma.sql`${[match, ...facets.filter(applies).map((facet) => `{facets} : "${facet.idWord as string}"`)].join(" AND ")}`,
        ...(check ? { check } : {}),
      },
    ],
    applies,
  };
}

/** Either set. */
function eitherIds(first: DocumentIds, second: DocumentIds): DocumentIds {
  return {
    queries: (facets) => [...first.queries(facets), ...second.queries(facets)],
    applies: (facet) => first.applies(facet) && second.applies(facet),
  };
}

/**
 * A word of ASCII letters and digits, which to_tsquery and FTS5's tokenizer take as it is, so that
 * its prefix is the same as the query's.
 */
function isListable(word: string): boolean {
  return /^[a-z0-9]+$/.test(word);
}

/**
 * A select of one row, "words": the words of any document that a listable word starts, as a
 * tsquery's OR ("(abstractions | absolute)"), when they are 1 to FEW_STARTED_WORDS; no row
 * otherwise. SearchWordCount holds a row for each (migration 0036).
 */
function fewWordsStarting(word: string): Prisma.Sql {
  return Prisma.sql`SELECT '(' || string_agg(quote_literal(w."word"), ' | ') || ')' AS "words"
    FROM (SELECT "word" FROM "SearchWordCount" WHERE "word" LIKE ${prefixPattern(word)} ESCAPE '\\' ORDER BY "word" LIMIT ${FEW_STARTED_WORDS + 1}) w
    HAVING COUNT(*) BETWEEN 1 AND ${FEW_STARTED_WORDS}`;
}

/**
 * On PostgreSQL, the tsquery the GIN index reads for documents holding all of a search's words
 * when it reads `indexed` and not `others`: each of `indexed` as a prefix, or, when the statistics
 * know it as common, as the words it starts, whole, if they are at most FEW_STARTED_WORDS
 * (SearchWordCount holds a row for each word of any document, migration 0036); with each of
 * `others` that starts that few, those words too, unless one is in half the documents or more
 * (word-frequencies.ts narrowingWords). GIN reads a
 * prefix by collecting every document of every word it starts before it intersects them
 * ("contoso:*", 15,462 documents at 100k: 3 ms), but a whole word by skipping through its
 * documents to those of the others, so "contoso" beside "guldor:*" costs 0.3 ms and leaves 284 of
 * 2,177 documents to test; "Fabrikam.Extensions.Abs" at 500k read 18-29 ms of postings as
 * `fabrikam:* & extensions & (abstractions | absq)`, 7.7 as `fabrikam & (abstractions | absq)`.
 * A superset of the matches either way: a document holding a word starting with each word holds
 * one of the words it starts. Only words of ASCII letters and digits, which to_tsquery takes as
 * they are, so that their prefixes are the same as the tsquery's. Read in the statement: the
 * answer cannot be older than the index.
 */
function indexedQuery(column: "idTerms" | "terms", indexed: readonly string[], others: readonly string[]): Prisma.Sql {
  // Rows of "words", each a tsquery's text, joined with AND.
  const common = indexed.filter((word) => isListable(word) && estimatedDocuments(column, [word]) > 0);
  const prefixes = indexed.filter((word) => !common.includes(word));
  const parts = [
    ...common.map(
      (word) =>
        Prisma.sql`SELECT COALESCE((SELECT f."words" FROM (${fewWordsStarting(word)}) f), ${`'${word}':*`}) AS "words"`,
    ),
    ...narrowingWords(column, others).filter(isListable).map(fewWordsStarting),
  ];
  if (parts.length === 0) return simpleQuery(tsQuery(indexed));
  if (prefixes.length > 0) parts.push(Prisma.sql`SELECT CAST(${simpleQuery(tsQuery(prefixes))} AS text) AS "words"`);
  return Prisma.sql`(SELECT CAST(string_agg(s."words", ' & ') AS tsquery) FROM (${Prisma.join(parts, " UNION ALL ")}) s)`;
}

function simpleQuery(query: string): Prisma.Sql {
  return Prisma.sql`to_tsquery('simple', ${query})`;
}

/** On PostgreSQL, the tsquery of the words that the column's index reads, and the condition with it as `query`. */
function postgresWordsMatch(
  words: readonly string[],
  column: "idTerms" | "terms",
): { query: Prisma.Sql; condition: (query: Prisma.Sql) => Prisma.Sql; walked?: Prisma.Sql } {
  const indexed = indexedWordsOf(column, words);
  const all = simpleQuery(tsQuery(words));
  const columnSql = Prisma.raw(`d."${column}"`);
  if (indexed.length === words.length)
    return { query: all, condition: (query) => Prisma.sql`${columnSql} @@ ${query}` };
  // ts_match_vq is what @@ calls; no index serves a function call, so the planner reads only the indexed words' documents and tests the rest on those.
  const tested = (query: Prisma.Sql) => Prisma.sql`(${columnSql} @@ ${query} AND ts_match_vq(${columnSql}, ${all}))`;
  const others = words.filter((word) => !indexed.includes(word));
  return {
    query: indexedQuery(column, indexed, others),
    condition: tested,
    // A walk in downloads order tests each document; the planner chooses it from the literal words, which it can
    // estimate, where the words the statement reads it cannot.
    walked: tested(simpleQuery(tsQuery(indexed))),
  };
}

function wordsMatch(dialect: DatabaseDialect, words: readonly string[], column: "idTerms" | "terms"): TextCondition {
  if (dialect === "postgresql") {
    const { query, condition, walked } = postgresWordsMatch(words, column);
    return { condition: condition(query), ids: null, ...(walked ? { walked } : {}) };
  }
  return inIds(wordsIds(words, column));
}

/**
 * The IDs some of whose characters are in no ID word: with a character other than ASCII, or a part
 * longer than 64. What migration 0034's partial index holds, written as there.
 */
const NOT_WHOLE_ID = Prisma.raw(`"search_id_not_whole"(d."packageIdLower")`);
/**
 * The same, written so that the planner estimates it from the statistics of migration 0037's index
 * of it and reads it from that index (written as above, it is estimated at a third of the documents).
 */
const NOT_WHOLE_ID_COUNTED = Prisma.raw(`"search_id_not_whole"(d."packageIdLower") IS TRUE`);

function idContains(dialect: DatabaseDialect, piece: string): TextCondition {
  if (dialect === "postgresql") {
    // A long piece has many trigrams, each common ("lit", "war", ...): pg_trgm reads every one's
    // documents (14 ms for an ID's first parts at 500k). Its whole words, when it has any, find
    // the few IDs holding them through "idTerms" instead, and strpos (which no index serves)
    // keeps the planner from also reading the trigrams.
    const words = wholeWordsInside(piece);
    if (words.length > 0)
      return {
        // strpos first: a walk tests each document, and the function is a PL/pgSQL call.
        condition: Prisma.sql`(${idHolds(piece.toLowerCase())} AND (d."idTerms" @@ ${pieceQuery(piece, words)} OR ${NOT_WHOLE_ID_COUNTED}))`,
        ids: null,
      };
    return { condition: Prisma.sql`d."packageIdLower" LIKE ${containsPattern(piece)} ESCAPE '\\'`, ids: null };
  }
  return inIds(idContainsIds(piece));
}

/** Either set of documents; on SQLite one IN over a UNION, which drives the lookups instead of testing every document. */
function eitherMatch(
  dialect: DatabaseDialect,
  words: readonly string[],
  column: "idTerms" | "terms",
  piece: string,
): TextCondition {
  if (dialect === "postgresql") {
    const matched = wordsMatch(dialect, words, column);
    const inId = idContains(dialect, piece).condition;
    return {
      condition: Prisma.sql`(${matched.condition} OR ${inId})`,
      ids: null,
      ...(matched.walked ? { walked: Prisma.sql`(${matched.walked} OR ${inId})` } : {}),
    };
  }
  return inIds(eitherIds(wordsIds(words, column), idContainsIds(piece)));
}

const NOTHING = Prisma.sql`1 = 0`;
const NO_TEXT: TextCondition = { condition: NOTHING, ids: null };

/**
 * On PostgreSQL, IDs starting with the text, when the text is long enough that any ID holding it
 * matches it as a free word or an ID piece (idContains): a subset of those matches, which the
 * ID's btree (text_pattern_ops, migration 0026) reads in order and stops at a count's LIMIT,
 * where counting every ID holding it reads all their trigrams first (22,000 IDs holding "litw" at
 * 500k: 7 ms, against 0.4 for the 1,001 first starting with it). Null otherwise.
 */
export function idStartCondition(dialect: DatabaseDialect, text: string): TextCondition | null {
  if (dialect !== "postgresql" || text.length < MIN_TRIGRAM_LENGTH) return null;
  return { condition: Prisma.sql`d."packageIdLower" LIKE ${prefixPattern(text)} ESCAPE '\\'`, ids: null };
}

/** The ID words' index reads every document of the words before the first is returned: this many, at most, for `atLeast`. */
const COUNTED_SUBSET_SPREAD = 6;

/**
 * On PostgreSQL, documents whose ID words start with each of the text's words, when ANALYZE's
 * statistics put at least `atLeast` documents there (word-frequencies.ts): each matches the text
 * as a free word (a document's words include its ID's), so counting `atLeast` of them is cheaper
 * than counting that many matches, which tests the text's words on every document read until
 * then (12,800 for "json" at 500k: 6-9 ms). One word is counted in SearchIdWord (migration 0032):
 * a range of its index, read to the count's limit, 0.34 ms for "json" (5,954 IDs) and as little
 * for a word in many more (`onIdWordRows`). Several are read from the ID words' GIN index, which
 * reads every document of the words before the first is returned (3.7 ms for "json"), so only
 * when the statistics put at most COUNTED_SUBSET_SPREAD times `atLeast` there: a word in more IDs
 * is also in so many texts that the matches are met sooner ("http": 2.2 ms counting matches, 13
 * through its 38,000 IDs). The statistics only choose whether this count is tried first. Null
 * otherwise.
 */
export function idWordsCondition(dialect: DatabaseDialect, text: string, atLeast: number): TextCondition | null {
  const words = wordsOf(text);
  if (dialect !== "postgresql" || words.length === 0 || words.some((word) => word.length < MIN_COUNTED_WORD_LENGTH))
    return null;
  const documents = estimatedDocuments("idTerms", words);
  const [word] = words;
  if (documents < atLeast || (words.length > 1 && documents > atLeast * COUNTED_SUBSET_SPREAD)) return null;
  const condition = Prisma.sql`d."idTerms" @@ ${simpleQuery(tsQuery(words))}`;
  if (words.length > 1 || word === undefined) return { condition, ids: null };
  // A document's first word in the range stands for it ("previous" below the range: see migration 0032).
  return {
    condition,
    ids: null,
    onIdWordRows: Prisma.sql`d."word" LIKE ${prefixPattern(word)} ESCAPE '\\' AND d."previous" < ${word}`,
  };
}

/**
 * On PostgreSQL, for a text of several words, which matches a document whose words start with its
 * words or whose ID holds it (eitherMatch): the first alternative alone, when ANALYZE's statistics
 * put at least `atLeast` documents at each of its words. Each such document matches, so counting
 * `atLeast` of them first spares the read of the ID alternative whenever they are that many: the
 * ID words holding the text's parts and the IDs with characters in no ID word, 2-3 ms of a count
 * of 15 for "Fabrikam.Extensions.Abs" at 500k (1,927 documents). Null otherwise, and for a text
 * whose words are rarer: a count that falls short reads the words' documents again. Read from the
 * slices expected to hold `slicesMargin` times `atLeast` documents (SUBSET_SLICES_MARGIN).
 */
export function textWordsCondition(
  dialect: DatabaseDialect,
  text: string,
  atLeast: number,
  slicesMargin: number = SUBSET_SLICES_MARGIN,
): TextCondition | null {
  const words = wordsOf(text);
  if (dialect !== "postgresql" || words.length < 2 || text.length < MIN_TRIGRAM_LENGTH) return null;
  const condition = slicedWhenCommon(dialect, words, atLeast, slicesMargin);
  return condition.sliced ? condition : null;
}

/** A condition on the word counts the index keeps, and whether to test it in a statement of its own (see wordCountsShowMany). */
export interface WordCountsTest {
  condition: Prisma.Sql;
  alone: boolean;
}

/**
 * On PostgreSQL, for a text of one word searched without filters: a condition that holds when
 * more than `limit` documents that every variant shows hold a word starting with it (the counts
 * the index keeps, SearchWordCount, migration 0035). Each such document matches the text as a free
 * word in any variant, so then the matches are many, told by one entry of an index where counting
 * them tests the word on each document read until the limit: about 13,000 for "json" at 100k, 10.6
 * ms, when the ID words' count (idWordsCondition) falls short. `alone` when ANALYZE's statistics
 * put more than twice the limit's documents at one word starting with it (they count the documents
 * of every variant, about 1.5 times those the word counts keep: "json" at 10k, 1,200 and 777): then
 * it most likely holds, so it is worth a statement of its own before the count's, which costs more
 * to plan than it does (json at 500k: 0.80 ms of the database's CPU, the test alone 0.17);
 * otherwise it is tested in the count's, sparing a rarer word a statement. Null when the text is
 * not one word.
 */
export function wordCountsShowMany(dialect: DatabaseDialect, text: string, limit: number): WordCountsTest | null {
  const [word, ...others] = wordsOf(text);
  if (dialect !== "postgresql" || word === undefined || others.length > 0) return null;
  return {
    condition: Prisma.sql`EXISTS (SELECT 1 FROM "SearchWordCount" w WHERE w."word" LIKE ${prefixPattern(word)} ESCAPE '\\' AND w."documents" > ${limit})`,
    alone: commonestWordDocuments("terms", word) > 2 * limit,
  };
}

/** A piece of an ID: anywhere in it from three characters on, the start of one of its words before. */
export function idPieceCondition(dialect: DatabaseDialect, piece: string): TextCondition {
  if (piece.length >= MIN_TRIGRAM_LENGTH) return idContains(dialect, piece);
  const words = wordsOf(piece);
  return words.length === 0 ? NO_TEXT : wordsMatch(dialect, words, "idTerms");
}

/** A free word: words of the package's text starting with its words, or (three characters or more) a piece of the ID. */
function freeWordCondition(dialect: DatabaseDialect, value: string): TextCondition | null {
  const words = wordsOf(value);
  const piece = value.length >= MIN_TRIGRAM_LENGTH ? value : null;
  if (words.length === 0) return piece === null ? null : idContains(dialect, piece);
  return piece === null ? wordsMatch(dialect, words, "terms") : eitherMatch(dialect, words, "terms", piece);
}

const FIELD_COLUMNS = {
  title: "title",
  tags: "tags",
  author: "authors",
  description: "description",
  summary: "summary",
} as const;

function normalizedVersionOrNull(text: string): string | null {
  try {
    return normalizeVersion(parseVersion(text)).toLowerCase();
  } catch (failure) {
    if (failure instanceof IssueError) return null;
    throw failure;
  }
}

/**
 * The condition one word or `field:value` filter puts on document `d`; null for a word with
 * nothing to match (only punctuation), which is left out rather than matching nothing.
 */
/** The documents whose shown version has this package type (any case). */
export function packageTypeOf(packageType: string): Facet {
  return {
    condition: Prisma.sql`d."id" IN (SELECT t."documentId" FROM "SearchDocumentType" t WHERE t."packageType" = ${packageType.toLowerCase()})`,
    word: packageTypeFacet(packageType),
    idWord: null,
  };
}

/**
 * On PostgreSQL, the package type filter as a test of each document a walk in downloads order
 * passes (TextCondition.walked), read from the walked index itself (migration 0027): its
 * "packageTypes" holds the types with a space on either side, so a document of the type holds
 * " type ". A type name may hold a space, so that test alone could also pass another type
 * ("legacy dependency" for "dependency"); the lookup in SearchDocumentType then decides, for the
 * few documents passing it. A scalar subquery, since PostgreSQL turns an IN or EXISTS into a
 * join or a hashed read of every document of the type (3 ms for DotnetTool at 500k).
 */
export function packageTypeWalked(packageType: string): Prisma.Sql {
  const type = packageType.toLowerCase();
  return Prisma.sql`(strpos(d."packageTypes", ${` ${type} `}) > 0 AND (SELECT true FROM "SearchDocumentType" t WHERE t."packageType" = ${type} AND t."documentId" = d."id") IS TRUE)`;
}

/** The packages of an account. */
function ownerOf(username: string): Facet {
  return {
    // From the account to its packages (PackageOwner's userId index), never through every ownership.
    condition: Prisma.sql`d."registrationId" IN (SELECT po."registrationId" FROM "PackageOwner" po WHERE po."userId" IN (SELECT u."id" FROM "User" u WHERE LOWER(u."username") = ${username.toLowerCase()}))`,
    word: ownerFacet(username),
    idWord: null,
  };
}

export function termCondition(dialect: DatabaseDialect, term: SearchTerm): TextCondition | null {
  const other = (condition: Prisma.Sql): TextCondition => ({ condition, ids: null });
  switch (term.field) {
    case null:
      return freeWordCondition(dialect, term.value);
    case "id":
      return idPieceCondition(dialect, term.value);
    case "packageid":
      return other(
        Prisma.sql`d."registrationId" IN (SELECT r."id" FROM "PackageRegistration" r WHERE r."packageIdLower" = ${term.value.toLowerCase()})`,
      );
    case "owner": {
      const owner = facetCondition(ownerOf(term.value));
      // PostgreSQL's planner takes every account for an average one (77 packages at 500k), so even
      // for an account of thousands it reads and sorts them all (17 ms) rather than walking the
      // downloads index to the page (2.6 ms). IS TRUE keeps the IN a test of each walked document
      // (a hashed subplan), which the planner cannot turn back into that join.
      if (dialect !== "postgresql") return owner;
      return {
        ...owner,
        walked: Prisma.sql`(${owner.condition}) IS TRUE`,
        onOwnerRows: Prisma.sql`d."owner" = ${term.value.toLowerCase()}`,
      };
    }
    case "version": {
      const version = normalizedVersionOrNull(term.value);
      if (version === null) return NO_TEXT;
      return other(
        Prisma.sql`EXISTS (SELECT 1 FROM "PackageVersion" v WHERE v."registrationId" = d."registrationId" AND v."versionLower" = ${version} AND v."listed" = true)`,
      );
    }
    default: {
      // The field's words narrow the documents through the index; the field itself must then hold the text.
      const column = Prisma.raw(`"${FIELD_COLUMNS[term.field]}"`);
      const inField = Prisma.sql`EXISTS (SELECT 1 FROM "PackageVersion" v WHERE v."id" = d."versionId" AND LOWER(COALESCE(v.${column}, '')) LIKE ${containsPattern(term.value)} ESCAPE '\\')`;
      const words = wordsOf(term.value);
      return other(
        words.length === 0 ? inField : Prisma.sql`${wordsMatch(dialect, words, "terms").condition} AND ${inField}`,
      );
    }
  }
}

/**
 * Documents whose ID holds the text: every word starting a word of the ID, or (three characters
 * or more) the text inside it. Every document ranked 0 to 2 by idRank is among them.
 */
export function idRelatedCondition(dialect: DatabaseDialect, text: string): TextCondition {
  const words = wordsOf(text);
  const piece = text.length >= MIN_TRIGRAM_LENGTH ? text : null;
  if (words.length === 0) return piece === null ? NO_TEXT : idContains(dialect, piece);
  return piece === null ? wordsMatch(dialect, words, "idTerms") : eitherMatch(dialect, words, "idTerms", piece);
}

/** An ID with a character other than ASCII: what migration 0029's index of ID words holds. */
const NOT_ASCII_ID = Prisma.raw(`d."packageIdLower" ~ '[^[:ascii:]]'`);

/**
 * On PostgreSQL, idRelatedCondition in two parts whose union it is, when the text is one word as
 * the index writes it (letters and digits, in lower case as given), for the walks in downloads
 * order that find the most downloaded IDs holding it. An ID of ASCII characters whose words start
 * with the word holds it (its words are pieces of it), so for those the walk tests that alone
 * (strpos), not the ID words too: 200 candidates of "json" at 500k walk 22,800 index entries,
 * 6.5-7 ms that way, 8.5-12 with both tests. Other IDs may have words that hold it only once
 * folded (NFKC: "Ｊｓｏｎ" is json): the second part reads them from their own index. Null otherwise.
 * For a search without filters and a text of four characters or more, idWordCandidates reads
 * them through the ID words instead.
 */
export function idHoldingWordParts(dialect: DatabaseDialect, text: string): [TextCondition, TextCondition] | null {
  const word = oneIndexWord(text);
  if (dialect !== "postgresql" || word === null || text.length < MIN_TRIGRAM_LENGTH) return null;
  return [
    { condition: idHolds(word), ids: null },
    { condition: Prisma.sql`(${NOT_ASCII_ID} AND ${wordsMatch(dialect, [word], "idTerms").condition})`, ids: null },
  ];
}

/** The text when it is one word as the index writes it (letters and digits, in lower case as given); null otherwise. */
export function oneIndexWord(text: string): string | null {
  const words = wordsOf(text);
  return words.length === 1 && words[0] === text.toLowerCase() ? text.toLowerCase() : null;
}

/** Document `d`'s ID holds the lower-case text. */
function idHolds(lower: string): Prisma.Sql {
  return Prisma.sql`strpos(d."packageIdLower", ${lower}) > 0`;
}

/** With more ID words than this holding the text, the downloads index is walked instead of reading each word's IDs. */
const MAX_HOLDING_WORDS = 64;

/**
 * On PostgreSQL, a select of the ids ("id") of the `n` most downloaded documents meeting `where`
 * whose ID holds the text, when it is one word as the index writes it of four characters or more,
 * read per ID word holding it (migration 0033); null otherwise. `where` may read only the
 * documents' variants, which SearchIdWord's rows hold too. An ID whose characters are all in its
 * ID words (NOT_WHOLE_ID) holds the text exactly when one of those does: the words are found in
 * SearchIdWordList, each word's most downloaded IDs in SearchIdWord, each tested for holding it
 * (a word is only said to hold it). The other IDs, few or none, are read from their own index,
 * each also taken when its words start with the text, as idRelatedCondition does for a
 * folded ID. "json" at 500k: one word, its 240 first entries, 0.7-0.9 ms, where a walk of the
 * downloads index read 22,800 (5-6 ms). A text in more than MAX_HOLDING_WORDS words ("kelk" is
 * in 5,800 at 500k, each in few IDs) is walked as before: the words' first entries would then
 * cost more than the walk, which meets the text often.
 */
export function idWordCandidates(
  dialect: DatabaseDialect,
  text: string,
  where: Prisma.Sql,
  n: number,
): Prisma.Sql | null {
  const lower = oneIndexWord(text);
  if (dialect !== "postgresql" || lower === null || lower.length < MIN_COUNTED_WORD_LENGTH) return null;
  const holds = idHolds(lower);
  const first = Prisma.sql`ORDER BY d."downloads" DESC, d."packageIdLower" LIMIT ${n}`;
  const few = Prisma.sql`(SELECT COUNT(*) FROM "holdingWords") <= ${MAX_HOLDING_WORDS}`;
  const columns = Prisma.sql`d."id", d."downloads", d."packageIdLower"`;
  return Prisma.sql`WITH "holdingWords" AS MATERIALIZED (
      SELECT k."word" FROM "SearchIdWordList" k WHERE k."word" LIKE ${containsPattern(lower)} ESCAPE '\\' LIMIT ${MAX_HOLDING_WORDS + 1})
    SELECT "id" FROM (
      (SELECT w."id", w."downloads", w."packageIdLower" FROM "holdingWords" k
        CROSS JOIN LATERAL (SELECT ${columns} FROM "SearchIdWord" d WHERE d."word" = k."word" AND ${holds} AND ${where} ${first}) w
        WHERE ${few})
      UNION (SELECT ${columns} FROM "SearchDocument" d WHERE ${holds} AND ${where} AND NOT ${few} ${first})
      UNION (SELECT ${columns} FROM "SearchDocument" d
        WHERE ${NOT_WHOLE_ID} AND (${holds} OR ${wordsMatch(dialect, [lower], "idTerms").condition}) AND ${where} ${first})
    ) AS "any" ORDER BY "downloads" DESC, "packageIdLower" LIMIT ${n}`;
}

/** The IDs idRank puts first: the text itself, and its words joined with dots ("newtonsoft json" → newtonsoft.json). */
export function exactIdsOf(text: string): string[] {
  return [...new Set([text.toLowerCase(), wordsOf(text).join(".")])].filter((id) => id !== "");
}

/**
 * What idRank ranks 1 (and 0, the ID itself, which holds one or the other): the ID starting with
 * the text, or its words (idTokens) starting with the text's words.
 */
function idStartPatterns(text: string): { id: string; words: string | null } {
  const words = wordsOf(text);
  return { id: prefixPattern(text), words: words.length === 0 ? null : prefixPattern(words.join(" ")) };
}

/**
 * On PostgreSQL, selects of the ids ("id") of every document idRank ranks 0 or 1, one for each
 * btree range that holds them (the ID's, migration 0026; its words', migration 0038), each read in
 * its index's order (text_pattern_ops sorts with ~<~) and stopped after `limit` entries.
 */
export function idStartRanges(text: string, limit: number): Prisma.Sql[] {
  const { id, words } = idStartPatterns(text);
  const range = (column: string, pattern: string) =>
    Prisma.sql`SELECT d."id" FROM "SearchDocument" d WHERE d.${Prisma.raw(`"${column}"`)} LIKE ${pattern} ESCAPE '\\' ORDER BY d.${Prisma.raw(`"${column}"`)} USING ~<~ LIMIT ${limit}`;
  return words === null ? [range("packageIdLower", id)] : [range("packageIdLower", id), range("idTokens", words)];
}

/**
 * 0 for the ID itself (also written with spaces: "newtonsoft json"), 1 for an ID starting with
 * the text, 2 for an ID whose words start with each of its words or that contains it, 3 otherwise.
 */
export function idRank(text: string): Prisma.Sql {
  const words = wordsOf(text);
  const lower = text.toLowerCase();
  const start = idStartPatterns(text);
  const allWordsInId =
    words.length === 0
      ? NOTHING
      : Prisma.join(
          words.map((word) => Prisma.sql`(' ' || d."idTokens") LIKE ${`% ${escapeLike(word)}%`} ESCAPE '\\'`),
          " AND ",
        );
  return Prisma.sql`CASE WHEN d."packageIdLower" = ${lower} OR d."packageIdLower" = ${words.join(".")} THEN 0
    WHEN d."packageIdLower" LIKE ${start.id} ESCAPE '\\' OR ${start.words === null ? NOTHING : Prisma.sql`d."idTokens" LIKE ${start.words} ESCAPE '\\'`} THEN 1
    WHEN (${allWordsInId}) OR d."packageIdLower" LIKE ${containsPattern(text)} ESCAPE '\\' THEN 2 ELSE 3 END`;
}
