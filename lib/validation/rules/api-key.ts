// What an API key may do, with nuget.org's scoped-key semantics (NuGet docs, Scoped API keys):
// - "push" pushes new IDs and new versions, "push-version" only new versions of existing IDs,
//   "unlist" unlists and relists;
// - the key's package glob has "*" as its only wildcard, matches the whole ID and ignores case,
//   so "Contoso.*" also covers IDs created after the key;
// - expired and revoked keys do nothing.
// Deliberate difference: nuget.org answers every refusal with one sentence ("The specified API key
// is invalid, has expired, or does not have permission to access the specified package."); the
// holder of a key may know why it was refused, so we say which condition failed.

import { error, type ErrorIssue } from "@/lib/issues";

export type ApiKeyScope = "push" | "push-version" | "unlist";
export type ApiKeyAction = "push-new" | "push-version" | "unlist";

export interface ApiKeyGrant {
  scopes: readonly ApiKeyScope[];
  packageGlob: string;
  expiresAt: Date;
  revokedAt?: Date | null;
}

export interface ApiKeyRequest {
  action: ApiKeyAction;
  packageId: string;
  now: Date;
}

const SCOPES_FOR_ACTION: Readonly<Record<ApiKeyAction, readonly ApiKeyScope[]>> = {
  "push-new": ["push"],
  "push-version": ["push", "push-version"],
  unlist: ["unlist"],
};

const ACTION_DESCRIPTIONS: Readonly<Record<ApiKeyAction, string>> = {
  "push-new": "push new packages",
  "push-version": "push new versions of existing packages",
  unlist: "unlist or relist packages",
};

/** One character of an ID or glob, compared without case. Like a case-insensitive regular expression,
 * a character whose upper case is several characters ("ß" → "SS") only equals itself. */
function foldCase(character: string): string {
  const upper = character.toUpperCase();
  return upper.length === character.length ? upper : character;
}

function foldedCharacters(text: string): string[] {
  return Array.from(text, foldCase);
}

function sameAt(text: readonly string[], at: number, literal: readonly string[]): boolean {
  if (at < 0 || at + literal.length > text.length) return false;
  return literal.every((character, index) => text[at + index] === character);
}

/** Knuth-Morris-Pratt: where `literal` first occurs in text[from, to), or -1; O(to - from + literal.length). */
function indexOfLiteral(text: readonly string[], literal: readonly string[], from: number, to: number): number {
  if (literal.length === 0) return from;
  const fallback = new Array<number>(literal.length).fill(0);
  for (let index = 1, matched = 0; index < literal.length; index++) {
    while (matched > 0 && literal[index] !== literal[matched]) matched = fallback[matched - 1]!;
    if (literal[index] === literal[matched]) matched++;
    fallback[index] = matched;
  }
  for (let index = from, matched = 0; index < to; index++) {
    while (matched > 0 && text[index] !== literal[matched]) matched = fallback[matched - 1]!;
    if (text[index] === literal[matched]) matched++;
    if (matched === literal.length) return index - literal.length + 1;
  }
  return -1;
}

/**
 * Whether the package glob ("*" is the only wildcard, everything else literal, case ignored) matches
 * the whole ID. Linear in the lengths of both: the literals between stars are found left to right,
 * each at its first occurrence after the previous one (taking the earliest occurrence never loses a
 * match), so no input can make it backtrack as a regular expression would on "*a*a*a*a*a*b".
 */
export function packageGlobMatches(glob: string, packageId: string): boolean {
  const literals = glob.split("*").map(foldedCharacters);
  const id = foldedCharacters(packageId);
  const first = literals[0]!;
  if (literals.length === 1) return first.length === id.length && sameAt(id, 0, first);
  const last = literals[literals.length - 1]!;
  const end = id.length - last.length;
  if (first.length > end || !sameAt(id, 0, first) || !sameAt(id, end, last)) return false;
  let position = first.length;
  for (const literal of literals.slice(1, -1)) {
    const found = indexOfLiteral(id, literal, position, end);
    if (found < 0) return false;
    position = found + literal.length;
  }
  return true;
}

function isoDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The reason the key may not do this, as one issue; empty when the key allows the request. */
export function apiKeyAllows(key: ApiKeyGrant, request: ApiKeyRequest): ErrorIssue[] {
  if (key.revokedAt != null) {
    return [error("API_KEY_REVOKED", `This API key was revoked on ${isoDate(key.revokedAt)}; create a new key.`)];
  }
  if (key.expiresAt.getTime() <= request.now.getTime()) {
    return [error("API_KEY_EXPIRED", `This API key expired on ${isoDate(key.expiresAt)}; create a new key.`)];
  }
  if (!SCOPES_FOR_ACTION[request.action].some((scope) => key.scopes.includes(scope))) {
    const granted = key.scopes.length === 0 ? "none" : key.scopes.join(", ");
    return [
      error(
        "API_KEY_SCOPE_DENIED",
        `This API key may not ${ACTION_DESCRIPTIONS[request.action]} (its scopes: ${granted}).`,
      ),
    ];
  }
  if (!packageGlobMatches(key.packageGlob, request.packageId)) {
    return [
      error(
        "API_KEY_PACKAGE_DENIED",
        `This API key only works for package IDs matching '${key.packageGlob}', and '${request.packageId}' does not match.`,
      ),
    ];
  }
  return [];
}
