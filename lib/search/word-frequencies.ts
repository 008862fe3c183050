// On PostgreSQL, which words of a search the GIN index on "terms" or "idTerms" reads (sql.ts).
// Every search word is a prefix ("contoso:*"), and GIN reads every document of every word a
// prefix starts, before it intersects them: at 100k, "contoso:*" is 15,000 documents and
// "extensions:*" 98,000, so "contoso guldor dormi extensions bravidor10hy" read 9 ms of postings
// for one match. With some words far rarer than the others, the index reads those alone and the
// whole condition is tested on their few documents (0.4 ms; the others join that read as the few
// whole words they start, when they start few: sql.ts indexedQuery). How common a word is comes
// from ANALYZE's statistics (pg_stats: the column's most common elements and their frequencies).
// They also tell whether a free word starts so many ID words that counting those IDs first shows
// the matches are many sooner (sql.ts idWordsCondition), and whether a word is so common that the
// word counts are tested before the count's statement (search.ts Matching.countsShowMany). Only
// the plan depends on them: the condition is the same whichever words the index reads, and a
// count of some matches only ends the count early when it passes the limit, so statistics of
// another database, or none, never change what a search finds.

import type { DbClient } from "@/lib/db";

type Column = "terms" | "idTerms";

/** A column's most common words, sorted, each with the share of documents holding it, and how many documents there are. */
interface CommonWords {
  words: string[];
  frequencies: number[];
  documents: number;
}

/** Statistics change only when ANALYZE runs (autovacuum, after many writes): read again after this long. */
const REREAD_AFTER_MS = 10 * 60_000;

/** A word counts as rare when its documents are fewer than this share of all the words' together. */
const RARE_SHARE = 1 / 8;

let known: { columns: Map<Column, CommonWords>; readAt: number } | null = null;

/** Reads the statistics when they are missing or old: one query every REREAD_AFTER_MS at most. */
export async function readCommonWords(db: DbClient): Promise<void> {
  if (known && Date.now() - known.readAt < REREAD_AFTER_MS) return;
  const rows = await db.$queryRaw<
    Array<{ column: Column; words: string[] | null; frequencies: number[] | null; documents: number | null }>
  >`
    SELECT s."attname" AS "column", CAST(CAST(s."most_common_elems" AS text) AS text[]) AS "words",
           s."most_common_elem_freqs" AS "frequencies",
           (SELECT c."reltuples" FROM "pg_class" c WHERE c."oid" = to_regclass(format('%I.%I', s."schemaname", s."tablename"))) AS "documents"
    FROM "pg_stats" s
    WHERE s."schemaname" = current_schema() AND s."tablename" = 'SearchDocument' AND s."attname" IN ('terms', 'idTerms')`;
  const columns = new Map<Column, CommonWords>();
  for (const row of rows) {
    // The frequencies end with three summary figures after the words' own.
    const pairs = (row.words ?? []).map((word, index) => [word, row.frequencies?.[index] ?? 0] as const);
    pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    columns.set(row.column, {
      words: pairs.map(([word]) => word),
      frequencies: pairs.map(([, share]) => share),
      documents: Math.max(0, Number(row.documents ?? 0)),
    });
  }
  known = { columns, readAt: Date.now() };
}

/** The shares of documents holding each common word starting with `prefix`. */
function sharesStarting(common: CommonWords, prefix: string): number[] {
  let low = 0;
  let high = common.words.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((common.words[middle] ?? "") < prefix) low = middle + 1;
    else high = middle;
  }
  const shares: number[] = [];
  for (let index = low; index < common.words.length && common.words[index]?.startsWith(prefix); index += 1)
    shares.push(common.frequencies[index] ?? 0);
  return shares;
}

/** The share of documents with a word starting with `prefix`, as far as the common words tell (0 when none is common). */
function prefixShare(common: CommonWords, prefix: string): number {
  return sharesStarting(common, prefix).reduce((sum, share) => sum + share, 0);
}

/**
 * The words (prefixes) the index should read for documents holding all of `words`: the rare
 * ones when some are far rarer than the rest, otherwise all of them. A word no common word starts
 * is rarer than any that one does, so with one of those the others are not read as prefixes: GIN
 * collects every document of a prefix before it intersects them, and a common word can be rare
 * beside far commoner ones ("fabrikam" beside "extensions" and "abstractions" in an ID at 500k:
 * 53,674 documents, 41 ms, for one match).
 */
export function indexedWordsOf(column: Column, words: readonly string[]): readonly string[] {
  const common = known?.columns.get(column);
  if (!common || words.length < 2) return words;
  const shares = words.map((word) => prefixShare(common, word));
  const total = shares.reduce((sum, share) => sum + share, 0);
  const rare = words.filter((_, index) => (shares[index] ?? 0) < total * RARE_SHARE);
  const uncommon = words.filter((_, index) => shares[index] === 0);
  if (uncommon.length > 0 && total > 0) return uncommon;
  return rare.length === 0 ? words : rare;
}

/** A word this share of the documents or more hold narrows a read of the index too little to be worth its postings. */
const EVERYWHERE_SHARE = 1 / 2;

/**
 * Of `words`, those the index should read (as the few whole words they start: sql.ts indexedQuery)
 * beside the words it reads as prefixes: not one starting a word EVERYWHERE_SHARE of the
 * documents or more hold ("extensions" is in 494,000 of 500,000 documents' text at 500k). GIN
 * decodes every posting of such a word to intersect it with the others' and spares the test of
 * only the documents without it, which the condition tests on each document read anyway.
 */
export function narrowingWords(column: Column, words: readonly string[]): string[] {
  const common = known?.columns.get(column);
  if (!common) return [...words];
  return words.filter((word) => Math.max(0, ...sharesStarting(common, word)) < EVERYWHERE_SHARE);
}

/** About how many documents hold words starting with each of `words`, as far as the common words tell (0 when one is not common). */
export function estimatedDocuments(column: Column, words: readonly string[]): number {
  const common = known?.columns.get(column);
  if (!common) return 0;
  return common.documents * Math.min(...words.map((word) => prefixShare(common, word)));
}

/** About how many documents hold the commonest word starting with `prefix`, as far as the common words tell (0 when none is common). */
export function commonestWordDocuments(column: Column, prefix: string): number {
  const common = known?.columns.get(column);
  if (!common) return 0;
  return common.documents * Math.max(0, ...sharesStarting(common, prefix));
}
