// The package types a version declares (<packageTypes> in its nuspec: "DotnetTool", "Template",
// …), stored in PackageVersion.packageTypes as a JSON array of names so that search can filter
// on them (SearchQueryService/3.5.0's `packageType`). A version that declares none is a
// "Dependency", as NuGet defines it.

import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import type { NuspecPackageType } from "@/lib/nuspec/metadata";
import { parseNuspec } from "@/lib/nuspec/parse-nuspec";

export const DEPENDENCY_PACKAGE_TYPE = "Dependency";

/** The column value for the declared types: their names, each once, in the manifest's order. */
export function packageTypesJson(declared: readonly NuspecPackageType[]): string {
  return JSON.stringify([...new Set(declared.map((type) => type.name))]);
}

/** The types a stored version has, as search results list them: ["Dependency"] when none is declared. */
export function readPackageTypes(json: string | null): string[] {
  let names: unknown;
  try {
    names = JSON.parse(json ?? "[]");
  } catch {
    names = [];
  }
  const declared = Array.isArray(names) ? names.filter((name): name is string => typeof name === "string") : [];
  return declared.length > 0 ? declared : [DEPENDENCY_PACKAGE_TYPE];
}

function declaredTypesOf(nuspecXml: string): NuspecPackageType[] {
  try {
    return parseNuspec(nuspecXml).packageTypes;
  } catch (failure) {
    // A published version's manifest was read once already; if it no longer parses, it declares nothing we can know.
    if (failure instanceof IssueError) return [];
    throw failure;
  }
}

const BACKFILL_BATCH = 200;

/**
 * Fills packageTypes for versions published before the column existed, from their stored
 * manifests. Safe to stop and run again: it only touches rows still NULL. Returns how many it filled.
 */
export async function fillMissingPackageTypes(db: Db): Promise<number> {
  let filled = 0;
  for (;;) {
    const rows = await db.packageVersion.findMany({
      where: { packageTypes: null },
      select: { id: true, nuspecXml: true },
      take: BACKFILL_BATCH,
    });
    if (rows.length === 0) return filled;
    for (const row of rows) {
      await db.packageVersion.update({
        where: { id: row.id },
        data: { packageTypes: packageTypesJson(declaredTypesOf(row.nuspecXml)) },
      });
    }
    filled += rows.length;
  }
}
