// Download counting: each package file sent adds one row (a cheap insert on the download path),
// and the roll-up job adds those rows to the packages' totals, where search ranks by them.
import type { Db } from "@/lib/db";
import { setPackageDownloads } from "@/lib/search/search-index";

export async function recordDownload(db: Db, registrationId: string): Promise<void> {
  await db.downloadEvent.create({ data: { registrationId } });
}

const EVENTS_PER_TRANSACTION = 10_000;

/**
 * Adds every recorded download to its package's total and removes the record, in transactions
 * of up to 10,000 records; returns how many were counted. The records are taken by deleting
 * them in the same transaction that adds them up, so a crash counts a batch fully or not at all,
 * and two roll-ups at once (two app instances) never count one download twice: on PostgreSQL
 * the second waits for the first's rows and then finds them gone.
 */
export async function rollUpDownloads(db: Db): Promise<number> {
  let counted = 0;
  for (;;) {
    const taken = await db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<Array<{ registrationId: string }>>`
        DELETE FROM "DownloadEvent" WHERE "id" IN (SELECT "id" FROM "DownloadEvent" ORDER BY "id" LIMIT ${EVENTS_PER_TRANSACTION})
        RETURNING "registrationId"`;
      const perPackage = new Map<string, number>();
      for (const row of rows) perPackage.set(row.registrationId, (perPackage.get(row.registrationId) ?? 0) + 1);
      for (const [registrationId, downloads] of perPackage) {
        await tx.searchPackageStats.updateMany({ where: { registrationId }, data: { downloads: { increment: downloads } } });
      }
      const totals = await tx.searchPackageStats.findMany({ where: { registrationId: { in: [...perPackage.keys()] } }, select: { registrationId: true, downloads: true } });
      await setPackageDownloads(tx, totals);
      return rows.length;
    });
    counted += taken;
    if (taken < EVENTS_PER_TRANSACTION) return counted;
  }
}
