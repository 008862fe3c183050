// Which version a package's page and search result show, by NuGet's ordering (SemVer 2.0 with
// the revision part), not by publish date: the highest listed stable version, or the highest
// listed prerelease when there is no stable one.

import { compareVersions, parseVersion } from "@/lib/versioning/version";

export interface VersionedRow {
  version: string;
  listed: boolean;
}

/** Highest first. Versions are stored normalised, so they always parse. */
export function sortByVersionDescending<Row extends VersionedRow>(rows: readonly Row[]): Row[] {
  return rows
    .map((row) => ({ row, parsed: parseVersion(row.version) }))
    .sort((a, b) => compareVersions(b.parsed, a.parsed))
    .map(({ row }) => row);
}

export function latestListedVersion<Row extends VersionedRow>(rows: readonly Row[]): Row | null {
  const listed = sortByVersionDescending(rows.filter((row) => row.listed));
  return listed.find((row) => !row.version.includes("-")) ?? listed[0] ?? null;
}
