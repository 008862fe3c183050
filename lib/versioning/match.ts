// Which versions a range allows, and which one restore picks from a list. Mirrors
// NuGet.Versioning's VersionRange.Satisfies and FindBestMatch (checked against NuGet's own
// answers in fixtures/nuget-range-matching.tsv):
//   - the lowest version in the range wins ("lowest applicable version");
//   - a prerelease is a candidate only when a bound of the range is a prerelease, or the range
//     floats over prereleases ("1.0.0-*", "*-*"); Satisfies itself does not care;
//   - a floating range takes the highest version its float allows, and when none does, the
//     lowest version in the range.

import { floatPrefers, floatsOverPrereleases } from "./float-range";
import type { VersionRange } from "./range";
import { compareVersions, isPrerelease, type NuGetVersion } from "./version";

/** Whether the version lies within the range's bounds (build metadata ignored). */
export function satisfies(range: VersionRange, version: NuGetVersion): boolean {
  if (range.min !== undefined) {
    const order = compareVersions(version, range.min);
    if (order < 0 || (order === 0 && !range.minInclusive)) return false;
  }
  if (range.max !== undefined) {
    const order = compareVersions(version, range.max);
    if (order > 0 || (order === 0 && !range.maxInclusive)) return false;
  }
  return true;
}

function allowsPrereleases(range: VersionRange): boolean {
  const prereleaseBound =
    (range.min !== undefined && isPrerelease(range.min)) || (range.max !== undefined && isPrerelease(range.max));
  return prereleaseBound || (range.float !== undefined && floatsOverPrereleases(range.float));
}

function isBetter(range: VersionRange, current: NuGetVersion | null, considering: NuGetVersion): boolean {
  if (isPrerelease(considering) && !allowsPrereleases(range)) return false;
  if (!satisfies(range, considering)) return false;
  if (current === null) return true;
  if (range.float && range.min) return floatPrefers(range.float, range.min, current, considering);
  return compareVersions(current, considering) > 0;
}

/** The version restore resolves the range to, among these; null when none fits. */
export function findBestMatch<T extends NuGetVersion>(range: VersionRange, versions: Iterable<T>): T | null {
  let best: T | null = null;
  for (const version of versions) {
    if (isBetter(range, best, version)) best = version;
  }
  return best;
}
