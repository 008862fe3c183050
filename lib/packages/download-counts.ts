// What a package page shows of its downloads: the package's total, each version's total and the
// package's downloads per UTC day, all as of the last roll-up (lib/jobs/downloads.ts), which
// raises the package's page revision, so a cached page is at most one roll-up interval behind.
import { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db";

export const DAYS_SHOWN = 30;

export interface DayDownloads {
  /** UTC "YYYY-MM-DD". */
  day: string;
  downloads: number;
}

export interface PackageDownloads {
  total: number;
  /** Per version ID (PackageVersion.id); a version never downloaded is absent. */
  perVersion: Map<string, number>;
  /** The last DAYS_SHOWN UTC days up to `now`'s, oldest first, days without downloads as 0. */
  perDay: DayDownloads[];
}

function utcDayOffset(now: Date, daysBack: number): string {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - daysBack));
  return day.toISOString().slice(0, 10);
}

export async function readPackageDownloads(db: Db, registrationId: string, now: Date): Promise<PackageDownloads> {
  const since = utcDayOffset(now, DAYS_SHOWN - 1);
  const [stats, versions, days] = await Promise.all([
    db.searchPackageStats.findUnique({ where: { registrationId }, select: { downloads: true } }),
    db.versionDownloadTotal.findMany({
      where: { registrationId },
      select: { packageVersionId: true, downloads: true },
    }),
    db.versionDownloadDay.groupBy({
      by: ["day"],
      where: { registrationId, day: { gte: since } },
      _sum: { downloads: true },
    }),
  ]);
  const byDay = new Map(days.map((row) => [row.day, Number(row._sum.downloads ?? 0)]));
  return {
    total: Number(stats?.downloads ?? 0),
    perVersion: new Map(versions.map((row) => [row.packageVersionId, Number(row.downloads)])),
    perDay: Array.from({ length: DAYS_SHOWN }, (_, index) => {
      const day = utcDayOffset(now, DAYS_SHOWN - 1 - index);
      return { day, downloads: byDay.get(day) ?? 0 };
    }),
  };
}

/** Each version's downloads (keyed "<id lower>/<version lower>") for these packages; versions never downloaded are absent. */
export async function readVersionDownloads(db: Db, packageIdsLower: readonly string[]): Promise<Map<string, number>> {
  if (packageIdsLower.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<{ packageIdLower: string; versionLower: string; downloads: number | bigint }>>`
    SELECT r."packageIdLower", v."versionLower", t."downloads"
    FROM "PackageRegistration" r
    JOIN "VersionDownloadTotal" t ON t."registrationId" = r."id"
    JOIN "PackageVersion" v ON v."id" = t."packageVersionId"
    WHERE r."packageIdLower" IN (${Prisma.join(packageIdsLower)})`;
  return new Map(rows.map((row) => [`${row.packageIdLower}/${row.versionLower}`, Number(row.downloads)]));
}
