// The search box's language, as NuGet documents it for nuget.org: free words, and `field:value`
// filters for id (part of the ID), packageid (the whole ID), version, title, tags, author,
// description, summary and owner. A value with spaces is quoted: title:"Handy Tools". Every
// word and filter must match (nuget.org ranks OR-matches by relevance; without a relevance
// model, AND is what narrows a search the way people expect). An unknown field name is read as
// a plain word. Parsed in one pass over the text, so hostile input costs linear time.

export const SEARCH_FIELDS = [
  "id",
  "packageid",
  "version",
  "title",
  "tags",
  "author",
  "description",
  "summary",
  "owner",
] as const;

export type SearchField = (typeof SEARCH_FIELDS)[number];

/** Spellings people also use for a field. */
const FIELD_ALIASES: Readonly<Record<string, SearchField>> = {
  tag: "tags",
  authors: "author",
  owners: "owner",
};

export interface SearchTerm {
  /** Null for a free word, which may match any of the package's text. */
  field: SearchField | null;
  /** As typed, without quotes; never empty. */
  value: string;
}

function fieldNamed(name: string): SearchField | null {
  const lower = name.toLowerCase();
  if ((SEARCH_FIELDS as readonly string[]).includes(lower)) return lower as SearchField;
  return FIELD_ALIASES[lower] ?? null;
}

function isSpace(character: string): boolean {
  return (
    character === " " ||
    character === "\t" ||
    character === "\n" ||
    character === "\r" ||
    character === "\f" ||
    character === "\v"
  );
}

/** Reads from `start` to the closing quote (or the end); returns the text inside and where reading stopped. */
function readQuoted(text: string, start: number): { value: string; end: number } {
  const close = text.indexOf('"', start);
  return close < 0
    ? { value: text.slice(start), end: text.length }
    : { value: text.slice(start, close), end: close + 1 };
}

/** Reads up to the next whitespace. */
function readWord(text: string, start: number): { value: string; end: number } {
  let end = start;
  while (end < text.length && !isSpace(text[end] ?? "")) end += 1;
  return { value: text.slice(start, end), end };
}

/** The words and field filters of a query, in the order written. */
export function parseSearchText(text: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const add = (field: SearchField | null, value: string) => {
    const trimmed = value.trim();
    if (trimmed !== "") terms.push({ field, value: trimmed });
  };
  let position = 0;
  while (position < text.length) {
    if (isSpace(text[position] ?? "")) {
      position += 1;
      continue;
    }
    if (text[position] === '"') {
      const phrase = readQuoted(text, position + 1);
      add(null, phrase.value);
      position = phrase.end;
      continue;
    }
    const word = readWord(text, position);
    const colon = word.value.indexOf(":");
    const field = colon > 0 ? fieldNamed(word.value.slice(0, colon)) : null;
    if (field === null) {
      add(null, word.value);
      position = word.end;
      continue;
    }
    const valueStart = position + colon + 1;
    if (text[valueStart] === '"') {
      const quoted = readQuoted(text, valueStart + 1);
      add(field, quoted.value);
      position = quoted.end;
    } else {
      add(field, word.value.slice(colon + 1));
      position = word.end;
    }
  }
  return terms;
}
