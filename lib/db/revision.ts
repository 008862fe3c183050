// Revisions raised by database triggers in the same transaction as the changes they stand for,
// so a cache can tell a stale copy whichever code path (or SQL prompt) made the change. Reading
// one is a primary-key lookup.
// - Row 1 of GalleryRevision (migration 0003): any change at all that a package page or feed
//   document could show.
// - A package's PackageRegistration.revision (migration 0011): its row, versions and owners.
// - Row 2: facts any number of package pages show (reservations and their owners, certificate
//   details and compromise marks, registered certificates, signer identities (0015), usernames).
// - Row 3: a package ID appeared or went (a page links the dependencies the gallery has).
// - Row 4 (migration 0020): the search index (documents, per-package stats, counts), which is
//   all the home page and /packages show besides reservations and usernames (row 2).
import type { Db } from "@/lib/db";

export async function readGalleryRevision(db: Db): Promise<number> {
  const row = await db.galleryRevision.findUnique({ where: { id: 1 }, select: { value: true } });
  if (!row)
    throw new Error("The GalleryRevision row is missing: the database was not migrated with 0003_gallery_revision.");
  return row.value;
}

/**
 * Everything a page of the package `packageIdLower` (or its 404, while there is no such package)
 * can show, as one value that changes whenever any of it does: the package's own revision and
 * the two gallery-wide facts. A write elsewhere (another package, a sign-up) leaves it alone.
 */
export async function readPackagePageStamp(db: Db, packageIdLower: string): Promise<string> {
  const [row] = await db.$queryRaw<
    Array<{ package: number | bigint | null; sharedFacts: number | bigint | null; packageIds: number | bigint | null }>
  >`
    SELECT (SELECT "revision" FROM "PackageRegistration" WHERE "packageIdLower" = ${packageIdLower}) AS "package",
           (SELECT "value" FROM "GalleryRevision" WHERE "id" = 2) AS "sharedFacts",
           (SELECT "value" FROM "GalleryRevision" WHERE "id" = 3) AS "packageIds"`;
  if (!row || row.sharedFacts === null || row.packageIds === null) {
    throw new Error("GalleryRevision rows 2 and 3 are missing: the database was not migrated with 0011_search_index.");
  }
  return `${row.package ?? "none"}:${row.sharedFacts}:${row.packageIds}`;
}

/**
 * Everything the home page and /packages (any query, filter, order or page) can show, as one
 * value that changes whenever any of it does: the search index's revision and the gallery-wide
 * facts (reservations, usernames). A sign-up or a change to a package page alone leaves it alone.
 */
export async function readListingStamp(db: Db): Promise<string> {
  const [row] = await db.$queryRaw<Array<{ searchIndex: number | bigint | null; sharedFacts: number | bigint | null }>>`
    SELECT (SELECT "value" FROM "GalleryRevision" WHERE "id" = 4) AS "searchIndex",
           (SELECT "value" FROM "GalleryRevision" WHERE "id" = 2) AS "sharedFacts"`;
  if (!row || row.searchIndex === null || row.sharedFacts === null) {
    throw new Error("GalleryRevision row 4 is missing: the database was not migrated with 0020_search_index_revision.");
  }
  return `${row.searchIndex}:${row.sharedFacts}`;
}
