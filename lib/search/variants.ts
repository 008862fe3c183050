// Which version a search shows for a package depends on what the search allows: NuGet clients
// ask for stable or prerelease versions, SemVer 1 only or SemVer 2 too, and are shown the
// highest such version; the site shows the highest stable version where there is one. Each such
// combination is a variant with one bit, and the index keeps, per package, one document for
// each distinct version some variant shows, marked with the bits of the variants that show it
// (nuget.org's search index likewise keeps a document per package and "search filter").
// A search reads the documents carrying its variant's bit: exactly one per package.
// Pure: no database.

import { latestListedVersion, sortByVersionDescending } from "@/lib/packages/latest-version";

export interface VersionVisibility {
  includePrerelease: boolean;
  includeSemVer2: boolean;
}

export interface SearchVariant extends VersionVisibility {
  bit: number;
  /** Show the highest stable version when there is one, rather than simply the highest. */
  preferStable: boolean;
}

export const SEARCH_VARIANTS: readonly SearchVariant[] = [
  { bit: 1, includePrerelease: false, includeSemVer2: false, preferStable: false },
  { bit: 2, includePrerelease: true, includeSemVer2: false, preferStable: false },
  { bit: 4, includePrerelease: false, includeSemVer2: true, preferStable: false },
  { bit: 8, includePrerelease: true, includeSemVer2: true, preferStable: false },
  { bit: 16, includePrerelease: true, includeSemVer2: false, preferStable: true },
  { bit: 32, includePrerelease: true, includeSemVer2: true, preferStable: true },
];

/** The bits of every variant: a document carrying them all is the one each variant shows of its package. */
export const EVERY_VARIANT = SEARCH_VARIANTS.reduce((bits, variant) => bits | variant.bit, 0);

/** Every variant that shows any listed version at all: a package has a document for it when it has a listed version. */
export const ANY_LISTED_VARIANT = 8;

/** The variant of a query; without prereleases, preferring stable versions changes nothing. */
export function variantOf(query: VersionVisibility & { preferStable: boolean }): SearchVariant {
  const preferStable = query.includePrerelease && query.preferStable;
  const found = SEARCH_VARIANTS.find(
    (variant) =>
      variant.includePrerelease === query.includePrerelease &&
      variant.includeSemVer2 === query.includeSemVer2 &&
      variant.preferStable === preferStable,
  );
  if (!found) throw new Error("Every combination of the three flags has a variant.");
  return found;
}

export interface IndexedVersion {
  id: string;
  /** Normalised. */
  version: string;
  listed: boolean;
  isPrerelease: boolean;
  isSemVer2: boolean;
}

export function isVisible(version: IndexedVersion, visibility: VersionVisibility): boolean {
  return (
    version.listed &&
    (visibility.includePrerelease || !version.isPrerelease) &&
    (visibility.includeSemVer2 || !version.isSemVer2)
  );
}

/** The version the variant shows among a package's versions, or null when it shows none. */
export function shownVersion<Version extends IndexedVersion>(
  versions: readonly Version[],
  variant: SearchVariant,
): Version | null {
  const visible = versions.filter((version) => isVisible(version, variant));
  if (variant.preferStable) return latestListedVersion(visible);
  return sortByVersionDescending(visible)[0] ?? null;
}

/** The versions a package's documents show, each with the bits of the variants that show it. */
export function documentVersions<Version extends IndexedVersion>(
  versions: readonly Version[],
): Array<{ version: Version; variants: number }> {
  const byVersion = new Map<string, { version: Version; variants: number }>();
  for (const variant of SEARCH_VARIANTS) {
    const shown = shownVersion(versions, variant);
    if (!shown) continue;
    const entry = byVersion.get(shown.id) ?? { version: shown, variants: 0 };
    entry.variants |= variant.bit;
    byVersion.set(shown.id, entry);
  }
  return [...byVersion.values()];
}
