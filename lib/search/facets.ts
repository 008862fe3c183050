// Facets: the filters of a text search that few documents pass (verified only, an owner, a
// package type), written as words of their own. On SQLite they fill the full-text index's
// "facets" column, so a filtered search is one FTS5 query whose doclists intersect inside the
// index rather than a read of every match's document to test it ("json" matches 10% of the
// catalogue; verified only keeps 3% of those). "Signed only" is not one: a third of the documents
// pass it, and intersecting a doclist that long costs more than testing each match's document.
// Each word starts with FACET_MARK, which no word of a package's text holds (words.ts: letters and
// digits only; the tokenizer keeps underscores inside words), so a typed word never matches one.
// Pure: no database.

const FACET_MARK = "__";

export const VERIFIED_FACET = `${FACET_MARK}verified`;

/** Any text as one word of hex digits (user names and package types may hold dots, dashes and more). */
function hexWord(prefix: string, text: string): string {
  return `${FACET_MARK}${prefix}${Buffer.from(text.toLowerCase(), "utf8").toString("hex")}`;
}

export function ownerFacet(username: string): string {
  return hexWord("o", username);
}

export function packageTypeFacet(packageType: string): string {
  return hexWord("t", packageType);
}

export interface FacetedDocument {
  verified: boolean;
  owners: readonly string[];
  /** Lower-case package type names. */
  packageTypes: readonly string[];
}

export function documentFacets(document: FacetedDocument): string[] {
  return [
    ...(document.verified ? [VERIFIED_FACET] : []),
    ...document.owners.map(ownerFacet),
    ...document.packageTypes.map(packageTypeFacet),
  ];
}
