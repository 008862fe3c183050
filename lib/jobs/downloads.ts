// Download counting, per package version and per UTC day, in three steps so that a download costs
// no database write of its own:
// 1. The flat-container route counts a download in this process's memory (DownloadCounter.count;
//    the process's one counter is built in lib/services.ts).
// 2. About once a second the counter appends what it added up as DownloadEvent rows, one per
//    version and day (not one per download), in one insert. A crashed process loses at most the
//    last second's counts; a failed insert keeps them for the next attempt.
// 3. The roll-up job (every SIGNET_DOWNLOAD_ROLLUP_SECONDS) deletes events and adds them to the
//    version totals, the per-day counts, the package totals and the search documents, all in one
//    transaction: a crash counts a batch fully or not at all, and two roll-ups at once (two app
//    instances) never count an event twice: on PostgreSQL the second waits for the first's rows
//    and then finds them gone, on SQLite transactions take turns.
// It also raises the packages' page revisions, so cached package pages show the new counts.
import { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db, DbClient } from "@/lib/db";
import { setPackageDownloads } from "@/lib/search/search-index";

/** The version a download of a .nupkg counts for. */
export interface DownloadOf {
  registrationId: string;
  packageVersionId: string;
}

/** The UTC day of an instant, as the per-day counts key it ("YYYY-MM-DD"). */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

interface PendingCount extends DownloadOf {
  day: string;
  count: number;
}

/** Adds up this process's downloads in memory and appends them as events every `flushEveryMs`. */
export class DownloadCounter {
  private pending = new Map<string, PendingCount>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<number> | null = null;

  /** `db` is read at each flush, so the counter follows the process's database. */
  constructor(
    private readonly db: () => Db,
    private readonly flushEveryMs: number,
  ) {}

  count(of: DownloadOf, at = new Date()): void {
    const day = utcDay(at);
    const key = `${of.packageVersionId}/${day}`;
    const entry = this.pending.get(key);
    if (entry) entry.count += 1;
    else
      this.pending.set(key, {
        registrationId: of.registrationId,
        packageVersionId: of.packageVersionId,
        day,
        count: 1,
      });
    this.schedule();
  }

  /** Appends everything counted so far; returns how many downloads that was. One flush at a time. */
  async flush(): Promise<number> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    this.flushing = this.append();
    try {
      return await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  private async append(): Promise<number> {
    const taken = [...this.pending.values()];
    this.pending = new Map();
    if (taken.length === 0) return 0;
    try {
      await this.db().downloadEvent.createMany({ data: taken });
    } catch (failure) {
      // Kept for the next flush, added to whatever was counted meanwhile.
      for (const entry of taken) {
        const key = `${entry.packageVersionId}/${entry.day}`;
        const later = this.pending.get(key);
        if (later) later.count += entry.count;
        else this.pending.set(key, entry);
      }
      throw failure;
    }
    return taken.reduce((sum, entry) => sum + entry.count, 0);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.flush()
        .catch((failure: unknown) =>
          console.error("[signet] recording download counts (kept for the next attempt):", failure),
        )
        .finally(() => {
          this.timer = null;
          if (this.pending.size > 0) this.schedule();
        });
    }, this.flushEveryMs);
    // Never keeps a process alive (a crash or exit loses at most this interval's counts).
    this.timer.unref();
  }
}

const EVENTS_PER_TRANSACTION = 10_000;
const ROWS_PER_STATEMENT = 500;

interface TakenEvent {
  registrationId: string;
  packageVersionId: string | null;
  day: string | null;
  count: number | bigint;
}

function add<K>(totals: Map<K, bigint>, key: K, count: bigint): void {
  totals.set(key, (totals.get(key) ?? 0n) + count);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

async function addToVersionTotals(
  tx: DbClient,
  totals: Map<string, { registrationId: string; downloads: bigint }>,
): Promise<void> {
  // In key order, so two roll-ups at once lock rows in the same order.
  const rows = [...totals].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const batch of chunks(rows, ROWS_PER_STATEMENT)) {
    const values = Prisma.join(
      batch.map(([versionId, row]) => Prisma.sql`(${versionId}, ${row.registrationId}, ${row.downloads})`),
    );
    await tx.$executeRaw`INSERT INTO "VersionDownloadTotal" ("packageVersionId", "registrationId", "downloads") VALUES ${values}
      ON CONFLICT ("packageVersionId") DO UPDATE SET "downloads" = "VersionDownloadTotal"."downloads" + excluded."downloads"`;
  }
}

async function addToDays(
  tx: DbClient,
  days: Map<string, { packageVersionId: string; day: string; registrationId: string; downloads: bigint }>,
): Promise<void> {
  const rows = [...days].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row);
  for (const batch of chunks(rows, ROWS_PER_STATEMENT)) {
    const values = Prisma.join(
      batch.map((row) => Prisma.sql`(${row.packageVersionId}, ${row.day}, ${row.registrationId}, ${row.downloads})`),
    );
    await tx.$executeRaw`INSERT INTO "VersionDownloadDay" ("packageVersionId", "day", "registrationId", "downloads") VALUES ${values}
      ON CONFLICT ("packageVersionId", "day") DO UPDATE SET "downloads" = "VersionDownloadDay"."downloads" + excluded."downloads"`;
  }
}

/** Rolls up every appended event, in transactions of up to 10,000; returns how many downloads were counted. */
export async function rollUpDownloads(db: Db): Promise<number> {
  let counted = 0;
  for (;;) {
    const { events, downloads } = await db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<TakenEvent[]>`
        DELETE FROM "DownloadEvent" WHERE "id" IN (SELECT "id" FROM "DownloadEvent" ORDER BY "id" LIMIT ${EVENTS_PER_TRANSACTION})
        RETURNING "registrationId", "packageVersionId", "day", "count"`;
      const perPackage = new Map<string, bigint>();
      const perVersion = new Map<string, { registrationId: string; downloads: bigint }>();
      const perDay = new Map<
        string,
        { packageVersionId: string; day: string; registrationId: string; downloads: bigint }
      >();
      let total = 0n;
      for (const row of rows) {
        const count = BigInt(row.count);
        total += count;
        add(perPackage, row.registrationId, count);
        // Events from before per-version counting name only the package.
        if (row.packageVersionId === null || row.day === null) continue;
        const version = perVersion.get(row.packageVersionId) ?? { registrationId: row.registrationId, downloads: 0n };
        version.downloads += count;
        perVersion.set(row.packageVersionId, version);
        const dayKey = `${row.packageVersionId}/${row.day}`;
        const day = perDay.get(dayKey) ?? {
          packageVersionId: row.packageVersionId,
          day: row.day,
          registrationId: row.registrationId,
          downloads: 0n,
        };
        day.downloads += count;
        perDay.set(dayKey, day);
      }
      if (rows.length === 0) return { events: 0, downloads: 0n };
      await addToVersionTotals(tx, perVersion);
      await addToDays(tx, perDay);
      const packages = [...perPackage.keys()].sort();
      for (const registrationId of packages) {
        await tx.searchPackageStats.updateMany({
          where: { registrationId },
          data: { downloads: { increment: perPackage.get(registrationId) ?? 0n } },
        });
      }
      const totals = await tx.searchPackageStats.findMany({
        where: { registrationId: { in: packages } },
        select: { registrationId: true, downloads: true },
      });
      await setPackageDownloads(tx, totals);
      // The packages' pages show the counts: a new revision retires their cached copies.
      await tx.packageRegistration.updateMany({
        where: { id: { in: packages } },
        data: { revision: { increment: 1 } },
      });
      return { events: rows.length, downloads: total };
    });
    counted += Number(downloads);
    if (events < EVENTS_PER_TRANSACTION) return counted;
  }
}
