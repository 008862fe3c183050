// Floating lower bounds ("1.*", "1.0.0-beta*", "*-*"), as a project's PackageReference may write
// them. Mirrors NuGet.Versioning's FloatRange: the float names a minimum version (the "*" read
// as 0) and a rule saying which versions it floats over; restore then takes the highest version
// the rule allows (see match.ts). Package dependencies never float (pack resolves them), so
// only callers that read a project's own references ask for floats.

import { compareVersions, isPrerelease, parseVersion, type NuGetVersion } from "./version";

export type FloatBehavior =
  /** "*": any stable version. */
  | "major"
  /** "1.*": stable versions of that major. */
  | "minor"
  /** "1.2.*": stable versions of that minor. */
  | "patch"
  /** "1.2.3.*": stable versions of that patch. */
  | "revision"
  /** "1.0.0-*", "1.0.0-beta*": that exact version or its prereleases with the label prefix. */
  | "prerelease"
  /** "*-rc*" and "1.*-*", "1.2.*-*", "1.2.3.*-*": the numeric float, prereleases included. */
  | "prereleaseMajor"
  | "prereleaseMinor"
  | "prereleasePatch"
  | "prereleaseRevision"
  /** "*-*": every version. */
  | "absoluteLatest";

export interface FloatBound {
  behavior: FloatBehavior;
  /** The start a prerelease label must have to float ("beta" for "1.0.0-beta*"); "" for any. */
  releasePrefix: string;
  /** The float as written, trimmed ("1.*"). */
  text: string;
}

const NUMERIC_FLOATS: ReadonlyArray<FloatBehavior> = ["minor", "patch", "revision"];
const PRERELEASE_NUMERIC_FLOATS: ReadonlyArray<FloatBehavior> = [
  "prereleaseMinor",
  "prereleasePatch",
  "prereleaseRevision",
];

/** "1.2.*" → the numbers with the star as 0 ("1.2.0") and how many parts were written before it. */
function floatingNumbers(numbers: string): { zeroed: string; fixedParts: number } | null {
  if (numbers === "*") return { zeroed: "0", fixedParts: 0 };
  if (!numbers.endsWith(".*") || numbers.slice(0, -2).includes("*")) return null;
  const fixed = numbers.slice(0, -2);
  const fixedParts = fixed.split(".").length;
  if (fixedParts > 3) return null;
  return { zeroed: `${fixed}.0`, fixedParts };
}

function tryParseVersion(text: string): NuGetVersion | null {
  try {
    return parseVersion(text);
  } catch {
    return null;
  }
}

/**
 * Reads a floating bound; null when the text has no "*". A "*" where NuGet does not allow one
 * gives `{ invalid: true }`, so the caller words the refusal in its own terms.
 */
export function parseFloatBound(input: string): { min: NuGetVersion; float: FloatBound } | { invalid: true } | null {
  const text = input.trim();
  if (!text.includes("*")) return null;
  if (text === "*") return { min: parseVersion("0.0.0"), float: { behavior: "major", releasePrefix: "", text } };
  if (text === "*-*")
    return { min: parseVersion("0.0.0-0"), float: { behavior: "absoluteLatest", releasePrefix: "", text } };
  // A star ends the bound: "1.*", "1.0.0-beta*", or both parts "1.*-*"; the checks below refuse any other place.
  if (!text.endsWith("*")) return { invalid: true };

  const dash = text.indexOf("-");
  if (dash < 0) {
    const numbers = floatingNumbers(text);
    const min = numbers && numbers.fixedParts > 0 ? tryParseVersion(numbers.zeroed) : null;
    if (!numbers || !min) return { invalid: true };
    return {
      min,
      float: { behavior: NUMERIC_FLOATS[numbers.fixedParts - 1] as FloatBehavior, releasePrefix: "", text },
    };
  }

  const numbersText = text.slice(0, dash);
  const label = text.slice(dash + 1);
  if (!label.endsWith("*") || label.slice(0, -1).includes("*")) return { invalid: true };
  const releasePrefix = label.slice(0, -1);
  // NuGet's minimum: the prefix itself, or a 0 label after an empty prefix or a trailing dot.
  const minimumLabel = releasePrefix === "" || releasePrefix.endsWith(".") ? `${releasePrefix}0` : releasePrefix;
  if (!numbersText.includes("*")) {
    const min = tryParseVersion(`${numbersText}-${minimumLabel}`);
    return min ? { min, float: { behavior: "prerelease", releasePrefix, text } } : { invalid: true };
  }
  const numbers = floatingNumbers(numbersText);
  const min = numbers ? tryParseVersion(`${numbers.zeroed}-${minimumLabel}`) : null;
  if (!numbers || !min) return { invalid: true };
  const behavior =
    numbers.fixedParts === 0 ? "prereleaseMajor" : (PRERELEASE_NUMERIC_FLOATS[numbers.fixedParts - 1] as FloatBehavior);
  return { min, float: { behavior, releasePrefix, text } };
}

function labelHasPrefix(version: NuGetVersion, prefix: string): boolean {
  return version.releaseLabels.join(".").toLowerCase().startsWith(prefix.toLowerCase());
}

/** Whether the float floats over this version (NuGet's FloatRange.Satisfies); `min` is the bound's minimum. */
export function floatAllows(float: FloatBound, min: NuGetVersion, version: NuGetVersion): boolean {
  const stableOrPrefixed = !isPrerelease(version) || labelHasPrefix(version, float.releasePrefix);
  const same = (parts: number) =>
    [version.major, version.minor, version.patch, version.revision]
      .slice(0, parts)
      .every((part, index) => part === [min.major, min.minor, min.patch, min.revision][index]);
  switch (float.behavior) {
    case "absoluteLatest":
      return true;
    case "major":
      return !isPrerelease(version);
    case "minor":
      return !isPrerelease(version) && same(1);
    case "patch":
      return !isPrerelease(version) && same(2);
    case "revision":
      return !isPrerelease(version) && same(3);
    case "prerelease":
      return same(4) && stableOrPrefixed;
    case "prereleaseMajor":
      return stableOrPrefixed;
    case "prereleaseMinor":
      return same(1) && stableOrPrefixed;
    case "prereleasePatch":
      return same(2) && stableOrPrefixed;
    case "prereleaseRevision":
      return same(3) && stableOrPrefixed;
  }
}

/** Floats that may land on a prerelease even when no bound of the range is one. */
export function floatsOverPrereleases(float: FloatBound): boolean {
  return float.behavior === "absoluteLatest" || float.behavior.startsWith("prerelease");
}

/** Highest first among versions the float allows, else the lowest: how restore ranks two candidates. */
export function floatPrefers(
  float: FloatBound,
  min: NuGetVersion,
  current: NuGetVersion,
  considering: NuGetVersion,
): boolean {
  const currentFloats = floatAllows(float, min, current);
  const consideringFloats = floatAllows(float, min, considering);
  if (currentFloats !== consideringFloats) return consideringFloats;
  const order = compareVersions(current, considering);
  return currentFloats ? order < 0 : order > 0;
}
