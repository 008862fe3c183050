// Facets: the filters a text search narrows by (signed only, verified only, an owner, a package
// type), written as words of their own. On SQLite they fill the full-text index's "facets"
// column, so a filtered search is one FTS5 query whose doclists intersect inside the index
// rather than a read of every match's document to test its flags ("json" matches 10% of the
// catalogue; with signed and verified only, 1 match in 140 is kept). The words are letters and
// digits only, so the tokenizer keeps each whole, and they live in their own column, which the
// words a user types are never matched against.
// Pure: no database.

export const TRUSTED_FACET = "trusted";
export const VERIFIED_FACET = "verified";

/** Any text as one word of hex digits (user names and package types may hold dots, dashes and more). */
function hexWord(prefix: string, text: string): string {
  return `${prefix}${Buffer.from(text.toLowerCase(), "utf8").toString("hex")}`;
}

export function ownerFacet(username: string): string {
  return hexWord("o", username);
}

export function packageTypeFacet(packageType: string): string {
  return hexWord("t", packageType);
}

export interface FacetedDocument {
  trusted: boolean;
  verified: boolean;
  owners: readonly string[];
  /** Lower-case package type names. */
  packageTypes: readonly string[];
}

export function documentFacets(document: FacetedDocument): string[] {
  return [
    ...(document.trusted ? [TRUSTED_FACET] : []),
    ...(document.verified ? [VERIFIED_FACET] : []),
    ...document.owners.map(ownerFacet),
    ...document.packageTypes.map(packageTypeFacet),
  ];
}
