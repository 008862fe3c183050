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
 * An ID word as SQLite's full-text index writes it: "_json". The same word in a description is
 * then another token, so a query for ID words reads only their occurrences, where a column filter
 * would read every occurrence of the word to test its column ("http" is in half the descriptions).
 */
export function idWordToken(word: string): string {
  return `_${word}`;
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
