// The words of the search index, split here once for both databases: a package's text becomes
// lower-case words of letters and digits (what SQLite's FTS5 table and PostgreSQL's tsvector
// columns hold), and a search word is split the same way, so both databases find the same
// packages. IDs also yield the words of their camel-cased parts ("AspNetCore" → aspnetcore, asp,
// net, core), so "net core" finds Microsoft.AspNetCore.* as nuget.org's search does.
// Pure: no database.

/** Longer runs of letters and digits (hashes, base64 in descriptions) are not words anyone searches for. */
const MAX_WORD_LENGTH = 64;
/** A document keeps at most this many distinct words; descriptions past it add nothing findable. */
const MAX_DOCUMENT_WORDS = 600;

const WORD = /[\p{L}\p{N}]+/gu;
/** Camel-case and letter/digit boundaries inside one ID part: "HTTPClient2Go" → HTTP, Client, 2, Go. */
const CAMEL_PART = /\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+|[^\p{Lu}\p{Ll}\p{N}]+/gu;

/** The lower-case words of a text, in order, repeats included. Linear in the text. */
export function wordsOf(text: string): string[] {
  const words: string[] = [];
  for (const match of text.normalize("NFKC").toLowerCase().matchAll(WORD)) {
    if (match[0].length <= MAX_WORD_LENGTH) words.push(match[0]);
  }
  return words;
}

/**
 * SQLite's longest prefix index (migration 0023's prefix='1 2 3 4 5 6'): FTS5 reads a word start no
 * longer from it as one token, a longer one by merging the doclists of the tokens it starts (sql.ts
 * tokenStart).
 */
export const LONGEST_INDEXED_PREFIX = 6;

/**
 * An ID word as SQLite's full-text index writes it: "_json". The same word in a description is
 * then another token, so a query for ID words reads only their occurrences, where a column filter
 * would read every occurrence of the word to test its column ("http" is in half the descriptions).
 */
export function idWordToken(word: string): string {
  return `_${word}`;
}

/** ASCII characters other than letters and digits: what separates an ID's parts (".", "-", "_"). */
const ASCII_SEPARATOR = /[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/;
/** One part of an ID between separators, as a word of the index. */
const ID_PART = /^[a-z0-9]{1,64}$/;

/** A text's parts between ASCII separators, lower-cased ("Coho.Http-Sql" → coho, http, sql); a part may be empty. */
export function idParts(text: string): string[] {
  return text.toLowerCase().split(ASCII_SEPARATOR);
}

/** Whether a part is a word of the index: ASCII letters and digits (NuGet IDs have no others). */
export function isIndexedPart(part: string): boolean {
  return ID_PART.test(part);
}

/**
 * Two neighbouring parts of an ID as SQLite's full-text index writes them ("_http_sql"), so an ID
 * piece finds the IDs holding its parts in its order, not every ID holding each part ("http" and
 * "sql" are each in a tenth of the IDs): see sql.ts idContainsIds.
 */
export function idPairToken(first: string, second: string): string {
  return `_${first}_${second}`;
}

/** Every pair of neighbouring parts of the ID that are both words of the index. */
export function idPairTokens(packageId: string): string[] {
  const parts = idParts(packageId);
  const pairs = new Set<string>();
  for (let index = 1; index < parts.length; index += 1) {
    const [first, second] = [parts[index - 1] as string, parts[index] as string];
    if (isIndexedPart(first) && isIndexedPart(second)) pairs.add(idPairToken(first, second));
  }
  return [...pairs];
}

/** The ID's parts as ranking compares them: "Newtonsoft.Json" → "newtonsoft json". */
export function idTokens(packageId: string): string {
  return wordsOf(packageId).join(" ");
}

/** Every word an ID is found by: its parts, and the camel-cased parts' own words. */
export function idWords(packageId: string): string[] {
  const words = new Set<string>();
  for (const part of packageId.normalize("NFKC").matchAll(WORD)) {
    const lower = part[0].toLowerCase();
    if (lower.length <= MAX_WORD_LENGTH) words.add(lower);
    const pieces = part[0].match(CAMEL_PART) ?? [];
    if (pieces.length > 1) for (const piece of pieces) words.add(piece.toLowerCase());
  }
  return [...words];
}

/** The distinct words of several texts, at most MAX_DOCUMENT_WORDS, first seen first. */
export function documentWords(texts: readonly (string | null | undefined)[]): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const word of wordsOf(text)) {
      words.add(word);
      if (words.size >= MAX_DOCUMENT_WORDS) return [...words];
    }
  }
  return [...words];
}
