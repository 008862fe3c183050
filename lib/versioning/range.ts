// NuGet version ranges, as written in a nuspec's <dependency version="...">. Mirrors
// NuGet.Versioning's VersionRange.Parse for the interval notation:
//   "1.0"          ≥ 1.0 (a bare version is a minimum, not an exact match)
//   "[1.0]"        = 1.0
//   "(1.0,)"       > 1.0
//   "[1.0,2.0)"    ≥ 1.0 and < 2.0
//   "(,1.0]"       ≤ 1.0
// Floating lower bounds ("1.*", "[1.*, 2.0)") are read only when the caller asks
// (`allowFloating`, for a project's own references): a published package's dependencies name
// concrete bounds (pack resolves floats), so a manifest that floats is refused.
// Deliberate difference: NuGet accepts "(1.0,1.0)", which no version satisfies; we refuse it like "(1.0,1.0]".
// (Checked against NuGet.Versioning from SDK 10.0.401: normalised forms and refusals agree.)

import { IssueError } from "@/lib/issues";
import { parseFloatBound, type FloatBound } from "./float-range";
import { compareVersions, normalizeVersion, parseVersion, type NuGetVersion } from "./version";

export interface VersionRange {
  min?: NuGetVersion;
  minInclusive: boolean;
  max?: NuGetVersion;
  maxInclusive: boolean;
  /** A floating lower bound; `min` is then its minimum (the "*" read as 0), always inclusive. */
  float?: FloatBound;
}

export interface RangeOptions {
  /** Read "1.*"-style lower bounds (a project's references) instead of refusing them (a manifest's). */
  allowFloating?: boolean;
}

/** What a dependency without a version attribute means: any version at all. */
export const ANY_VERSION_RANGE: VersionRange = { minInclusive: false, maxInclusive: false };

function invalidRange(text: string, reason: string): IssueError {
  return new IssueError("VERSION_RANGE_INVALID", `'${text}' is not a valid NuGet version range: ${reason}.`);
}

function parseBound(text: string, bound: string): NuGetVersion | undefined {
  const trimmed = bound.trim();
  if (trimmed === "") return undefined;
  try {
    return parseVersion(trimmed);
  } catch (error) {
    if (error instanceof IssueError) throw invalidRange(text, error.message.replace(/\.$/, ""));
    throw error;
  }
}

function checkBoundsOrder(text: string, range: VersionRange): void {
  if (range.min === undefined || range.max === undefined) return;
  const order = compareVersions(range.min, range.max);
  if (order > 0) throw invalidRange(text, "the lower bound is above the upper bound");
  if (order === 0 && !(range.minInclusive && range.maxInclusive)) {
    // NuGet accepts "(1.0,1.0)" but not "(1.0,1.0]"; no version satisfies either.
    throw invalidRange(text, "the range is empty");
  }
}

/** A lower bound that may float: the float's minimum and rule, or a plain version. */
function parseLowerBound(
  text: string,
  bound: string,
  options: RangeOptions,
): { min?: NuGetVersion; float?: FloatBound } {
  const floating = options.allowFloating ? parseFloatBound(bound) : null;
  if (floating === null) return { min: parseBound(text, bound) };
  if ("invalid" in floating) throw invalidRange(text, `'${bound.trim()}' is not a floating version NuGet accepts`);
  return floating;
}

function parseIntervalNotation(text: string, options: RangeOptions): VersionRange {
  const closing = text.at(-1);
  if (closing !== "]" && closing !== ")") {
    throw invalidRange(text, "an interval must end with ']' or ')'");
  }
  const opensInclusive = text.startsWith("[");
  const closesInclusive = closing === "]";
  const bounds = text.slice(1, -1).split(",");
  if (bounds.length > 2) throw invalidRange(text, "an interval has at most two bounds");
  const [lower = "", upper] = bounds;
  if (upper === undefined) {
    // "[1.0]" is the only one-bound interval: an exact version.
    if (!(opensInclusive && closesInclusive)) throw invalidRange(text, "an exact version must be written as [version]");
    const exact = parseBound(text, lower);
    if (exact === undefined) throw invalidRange(text, "the interval is empty");
    return { min: exact, minInclusive: true, max: exact, maxInclusive: true };
  }
  const { min, float } = parseLowerBound(text, lower, options);
  const max = parseBound(text, upper);
  if (min === undefined && max === undefined) throw invalidRange(text, "an interval needs at least one bound");
  // A missing bound is open whatever bracket was written: NuGet reads "[1.0,]" as "[1.0.0, )".
  // A floating bound includes its minimum whatever the bracket, as in NuGet.
  const range: VersionRange = {
    minInclusive: min !== undefined && (opensInclusive || float !== undefined),
    maxInclusive: max !== undefined && closesInclusive,
  };
  if (min !== undefined) range.min = min;
  if (float !== undefined) range.float = float;
  if (max !== undefined) range.max = max;
  checkBoundsOrder(text, range);
  return range;
}

/** Parses a NuGet version range; throws IssueError VERSION_RANGE_INVALID when it is not one. */
export function parseVersionRange(input: string, options: RangeOptions = {}): VersionRange {
  const text = input.trim();
  if (text === "") throw new IssueError("VERSION_RANGE_INVALID", "The version range is empty.");
  if (text.includes("*") && !options.allowFloating)
    throw invalidRange(text, "floating versions ('*') are not allowed in a package's dependencies");
  if (text.startsWith("[") || text.startsWith("(")) return parseIntervalNotation(text, options);
  const { min, float } = parseLowerBound(text, text, options);
  return float
    ? { min, minInclusive: true, maxInclusive: false, float }
    : { min, minInclusive: true, maxInclusive: false };
}

function isExactVersion(range: VersionRange): range is VersionRange & { min: NuGetVersion; max: NuGetVersion } {
  return (
    range.min !== undefined &&
    range.max !== undefined &&
    range.minInclusive &&
    range.maxInclusive &&
    compareVersions(range.min, range.max) === 0
  );
}

/** NuGet's normalised range text (ToNormalizedString: "[1.0.0, 2.0.0)", "[1.0.0, )",
 * "[1.0.0, 1.0.0]" for an exact version), for storage and anything a NuGet client reads back. */
export function formatVersionRange(range: VersionRange): string {
  const lower = range.float ? range.float.text : range.min === undefined ? "" : normalizeVersion(range.min);
  const upper = range.max === undefined ? "" : normalizeVersion(range.max);
  return `${range.minInclusive ? "[" : "("}${lower}, ${upper}${range.maxInclusive ? "]" : ")"}`;
}

/** The range as a person reads it on a package page: "≥ 1.0.0 && < 2.0.0", "= 1.0.0". */
export function describeVersionRange(range: VersionRange): string {
  if (isExactVersion(range)) return `= ${normalizeVersion(range.min)}`;
  const conditions: string[] = [];
  if (range.float) conditions.push(`highest ${range.float.text}`);
  else if (range.min !== undefined) conditions.push(`${range.minInclusive ? "≥" : ">"} ${normalizeVersion(range.min)}`);
  if (range.max !== undefined) conditions.push(`${range.maxInclusive ? "≤" : "<"} ${normalizeVersion(range.max)}`);
  return conditions.length === 0 ? "any version" : conditions.join(" && ");
}
