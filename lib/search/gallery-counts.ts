import { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db";
import { ANY_TYPE, documentCountKey, LISTED_VERSIONS_KEY, TRUSTED_VERSIONS_KEY } from "./search-index";
import { ANY_LISTED_VARIANT } from "./variants";

export interface GalleryCounts {
  /** Package IDs with at least one listed version. */
  packages: number;
  listedVersions: number;
  /** Listed versions a badge shows as trusted: validly signed, and not by a certificate compromised by then. */
  signedVersions: number;
}

/** The counts the search index keeps in step with every change (./search-index.ts): no table is counted. */
export async function countGallery(db: Db): Promise<GalleryCounts> {
  const packageKeys = [true, false].flatMap((trusted) =>
    [true, false].map((verified) => documentCountKey(ANY_LISTED_VARIANT, trusted, verified, ANY_TYPE)),
  );
  const rows = await db.$queryRaw<Array<{ key: string; count: number | bigint }>>`
    SELECT "key", "count" FROM "SearchCount" WHERE "key" IN (${Prisma.join([LISTED_VERSIONS_KEY, TRUSTED_VERSIONS_KEY, ...packageKeys])})`;
  const count = (keys: readonly string[]) =>
    rows.filter((row) => keys.includes(row.key)).reduce((total, row) => total + Number(row.count), 0);
  return {
    packages: count(packageKeys),
    listedVersions: count([LISTED_VERSIONS_KEY]),
    signedVersions: count([TRUSTED_VERSIONS_KEY]),
  };
}
