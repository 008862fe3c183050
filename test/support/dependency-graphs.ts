// Dependency graphs for tests that compare lib/graph with the real client: a catalog of
// package versions and their dependency groups, the packages that carry them, the lookup
// lib/graph reads them through (ranges stored as the upload pipeline stores them), and
// seeded random catalogs.

import { parseVersionRange, formatVersionRange } from "@/lib/versioning/range";
import { parseVersion } from "@/lib/versioning/version";
import type { PackageVersions, StoredGroup, VersionsLookup } from "@/lib/graph/resolve";
import { buildUnsignedPackage } from "./nupkg";

export interface DependencyGroupSpec {
  targetFramework?: string;
  /** Dependency ID → NuGet range text (as a nuspec writes it). */
  dependencies: Record<string, string>;
}

/** ID → version → its dependency groups (a plain record is one group for any framework). */
export type GraphCatalog = Record<string, Record<string, DependencyGroupSpec[] | Record<string, string>>>;

export function groupsOf(entry: DependencyGroupSpec[] | Record<string, string>): DependencyGroupSpec[] {
  return Array.isArray(entry) ? entry : [{ dependencies: entry }];
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The <dependencies> element of a nuspec for these groups. */
export function dependenciesXml(groups: readonly DependencyGroupSpec[]): string {
  if (groups.every((group) => Object.keys(group.dependencies).length === 0 && !group.targetFramework)) return "";
  const groupXml = groups.map((group) => {
    const framework = group.targetFramework ? ` targetFramework="${escapeXml(group.targetFramework)}"` : "";
    const dependencies = Object.entries(group.dependencies).map(
      ([id, range]) => `<dependency id="${escapeXml(id)}" version="${escapeXml(range)}" />`,
    );
    return `<group${framework}>${dependencies.join("")}</group>`;
  });
  return `\n    <dependencies>${groupXml.join("")}</dependencies>`;
}

/** Every package of the catalog, unsigned: [id, version, bytes]. */
export function catalogPackages(catalog: GraphCatalog): Array<{ id: string; version: string; bytes: Uint8Array }> {
  return Object.entries(catalog).flatMap(([id, versions]) =>
    Object.entries(versions).map(([version, entry]) => ({
      id,
      version,
      bytes: buildUnsignedPackage({ id, version, metadataXml: dependenciesXml(groupsOf(entry)) }),
    })),
  );
}

/** The catalog as lib/graph's lookup sees the gallery: ranges normalised the way publishing stores them. */
export function catalogLookup(catalog: GraphCatalog): VersionsLookup {
  const byId = new Map<string, PackageVersions>(
    Object.entries(catalog).map(([id, versions]) => [
      id.toLowerCase(),
      {
        id,
        versions: Object.entries(versions).map(([version, entry]) => ({
          version: parseVersion(version),
          dependencyGroups: groupsOf(entry).map((group): StoredGroup => ({
            targetFramework: group.targetFramework ?? null,
            dependencies: Object.entries(group.dependencies).map(([dependencyId, range]) => ({
              id: dependencyId,
              range: formatVersionRange(parseVersionRange(range)),
            })),
          })),
        })),
      },
    ]),
  );
  return async (idsLower) =>
    new Map(idsLower.flatMap((id) => (byId.has(id) ? [[id, byId.get(id) as PackageVersions]] : [])));
}

/** A small deterministic generator (mulberry32), so a failing random graph can be rebuilt from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomCatalogOptions {
  prefix: string;
  packages: number;
  /** Most versions per package. */
  maxVersions: number;
  /** Most dependencies per version. */
  maxDependencies: number;
}

/**
 * A random acyclic catalog: package i depends only on packages after it, with minimum,
 * exact and bounded ranges over versions that exist (and now and then one that does not).
 * Package 0 is the root and has the most dependencies.
 */
export function randomCatalog(seed: number, options: RandomCatalogOptions): GraphCatalog {
  const random = seededRandom(seed);
  const pick = (count: number) => Math.floor(random() * count);
  const ids = Array.from({ length: options.packages }, (_, index) => `${options.prefix}.P${index}`);
  const versionsOf = ids.map(() => Array.from({ length: 1 + pick(options.maxVersions) }, (_, index) => `1.${index}.0`));
  const catalog: GraphCatalog = {};
  ids.forEach((id, index) => {
    const entries: Record<string, Record<string, string>> = {};
    for (const version of versionsOf[index] ?? []) {
      const dependencies: Record<string, string> = {};
      const later = ids.length - index - 1;
      // The root asks for the most, so the graph reaches far.
      for (
        let count = index === 0 ? options.maxDependencies : pick(options.maxDependencies + 1);
        count > 0 && later > 0;
        count -= 1
      ) {
        const target = index + 1 + pick(later);
        const targetVersions = versionsOf[target] ?? ["1.0.0"];
        const chosen = targetVersions[pick(targetVersions.length)] ?? "1.0.0";
        const shape = random();
        dependencies[ids[target] ?? ""] =
          shape < 0.55
            ? chosen
            : shape < 0.75
              ? `[${chosen}, 2.0.0)`
              : shape < 0.9
                ? `[${chosen}]`
                : shape < 0.97
                  ? `(${chosen}, )`
                  : "1.9.0";
      }
      entries[version] = dependencies;
    }
    catalog[id] = entries;
  });
  return catalog;
}
