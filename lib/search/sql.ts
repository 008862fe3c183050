// The SQL pieces of package search, written to read the same on SQLite and PostgreSQL:
// LOWER(column) LIKE a lower-cased pattern (Prisma's `contains` is case-insensitive only on
// SQLite), with LIKE's own wildcards escaped. `r` is always the PackageRegistration row.

import { Prisma } from "@/generated/prisma/sqlite/client";
import { IssueError } from "@/lib/issues";
import { normalizeVersion, parseVersion } from "@/lib/versioning/version";
import { DEPENDENCY_PACKAGE_TYPE } from "@/lib/packages/package-types";
import type { SearchTerm } from "./query-text";

/** Which versions of a package a search sees. Unlisted versions never appear in search. */
export interface VersionVisibility {
  includePrerelease: boolean;
  includeSemVer2: boolean;
  /** A package type name ("DotnetTool"), matched without regard to case; null for every type. */
  packageType: string | null;
}

function escapeLike(text: string): string {
  return text.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** A LIKE pattern matching `text` anywhere, with LIKE's own wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`;
}

function packageTypeCondition(packageType: string): Prisma.Sql {
  // packageTypes holds JSON.stringify of the names, so a quoted name is one whole element.
  const element = containsPattern(JSON.stringify(packageType.toLowerCase()));
  const declares = Prisma.sql`LOWER(COALESCE(v."packageTypes", '[]')) LIKE ${element} ESCAPE '\\'`;
  // A version that declares no type is a Dependency.
  if (packageType.toLowerCase() !== DEPENDENCY_PACKAGE_TYPE.toLowerCase()) return declares;
  return Prisma.sql`(${declares} OR COALESCE(v."packageTypes", '[]') = '[]')`;
}

/** Conditions on a PackageVersion row `v` of registration `r` that the search may show. */
export function visibleVersion(visibility: VersionVisibility): Prisma.Sql {
  const conditions = [Prisma.sql`v."registrationId" = r."id"`, Prisma.sql`v."listed" = true`];
  if (!visibility.includePrerelease) conditions.push(Prisma.sql`v."isPrerelease" = false`);
  if (!visibility.includeSemVer2) conditions.push(Prisma.sql`v."isSemVer2" = false`);
  if (visibility.packageType !== null) conditions.push(packageTypeCondition(visibility.packageType));
  return Prisma.join(conditions, " AND ");
}

export function hasVisibleVersion(visibility: VersionVisibility): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "PackageVersion" v WHERE ${visibleVersion(visibility)})`;
}

export function hasVisibleSignedVersion(visibility: VersionVisibility): Prisma.Sql {
  return someVisibleVersion(visibility, Prisma.sql`v."signatureStatus" = 'VALID'`);
}

function someVisibleVersion(visibility: VersionVisibility, condition: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "PackageVersion" v WHERE ${visibleVersion(visibility)} AND (${condition}))`;
}

function versionColumnLike(column: string, pattern: string): Prisma.Sql {
  return Prisma.sql`LOWER(COALESCE(v.${Prisma.raw(`"${column}"`)}, '')) LIKE ${pattern} ESCAPE '\\'`;
}

/** The manifest text a free word may match, besides the ID and the owners' names. */
const TEXT_COLUMNS = ["title", "tags", "description", "summary", "authors"] as const;

const FIELD_COLUMNS = { title: "title", tags: "tags", author: "authors", description: "description", summary: "summary" } as const;

function idContains(pattern: string): Prisma.Sql {
  return Prisma.sql`r."packageIdLower" LIKE ${pattern} ESCAPE '\\'`;
}

function ownerMatches(condition: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "PackageOwner" po JOIN "User" u ON u."id" = po."userId" WHERE po."registrationId" = r."id" AND ${condition})`;
}

function normalizedVersionOrNull(text: string): string | null {
  try {
    return normalizeVersion(parseVersion(text)).toLowerCase();
  } catch (failure) {
    if (failure instanceof IssueError) return null;
    throw failure;
  }
}

/** The condition one word or `field:value` filter puts on registration `r`. */
export function termCondition(term: SearchTerm, visibility: VersionVisibility): Prisma.Sql {
  const pattern = containsPattern(term.value);
  switch (term.field) {
    case null: {
      const text = Prisma.join(
        TEXT_COLUMNS.map((column) => versionColumnLike(column, pattern)),
        " OR ",
      );
      return Prisma.sql`(${idContains(pattern)} OR ${ownerMatches(Prisma.sql`LOWER(u."username") LIKE ${pattern} ESCAPE '\\'`)} OR ${someVisibleVersion(visibility, text)})`;
    }
    case "id":
      return idContains(pattern);
    case "packageid":
      return Prisma.sql`r."packageIdLower" = ${term.value.toLowerCase()}`;
    case "owner":
      return ownerMatches(Prisma.sql`LOWER(u."username") = ${term.value.toLowerCase()}`);
    case "version": {
      const version = normalizedVersionOrNull(term.value);
      return version === null ? Prisma.sql`1 = 0` : someVisibleVersion(visibility, Prisma.sql`v."versionLower" = ${version}`);
    }
    default:
      return someVisibleVersion(visibility, versionColumnLike(FIELD_COLUMNS[term.field], pattern));
  }
}

// isVerifiedPackage (lib/validation): some owner of the package owns a reservation matching its
// ID (a prefix match for prefix reservations, the whole ID otherwise).
export const VERIFIED_CONDITION = Prisma.sql`EXISTS (
  SELECT 1 FROM "PrefixReservation" pr
  JOIN "PrefixReservationOwner" pro ON pro."reservationId" = pr."id"
  JOIN "PackageOwner" po ON po."userId" = pro."userId" AND po."registrationId" = r."id"
  WHERE (pr."isPrefix" = true AND SUBSTR(r."packageIdLower", 1, LENGTH(pr."patternLower")) = pr."patternLower")
     OR (pr."isPrefix" = false AND r."packageIdLower" = pr."patternLower")
)`;

/** 0 for the ID itself, 1 for an ID starting with the text, 2 for one containing it, 3 otherwise. */
export function idRank(text: string): Prisma.Sql {
  return Prisma.sql`CASE WHEN r."packageIdLower" = ${text.toLowerCase()} THEN 0
    WHEN r."packageIdLower" LIKE ${prefixPattern(text)} ESCAPE '\\' THEN 1
    WHEN r."packageIdLower" LIKE ${containsPattern(text)} ESCAPE '\\' THEN 2 ELSE 3 END`;
}

/** When the package last gained a version the search shows. */
export function lastPublished(visibility: VersionVisibility): Prisma.Sql {
  return Prisma.sql`(SELECT MAX(v."publishedAt") FROM "PackageVersion" v WHERE ${visibleVersion(visibility)})`;
}
