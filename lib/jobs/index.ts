// Which queue the gallery uses, what each kind of job does, and what starts jobs: the server's
// start (a changed trust store), a timer (download roll-ups), admins (a certificate marked
// compromised) and operators (`npm run repo-sign:backfill -- --queue`).
import { databaseDialect, databaseUrl, downloadRollUpSeconds } from "@/lib/config";
import type { Db } from "@/lib/db";
import type { PackageStorage } from "@/lib/storage";
import { repositorySignPublishedVersions } from "@/lib/uploads/backfill";
import { isUniqueViolation } from "@/lib/uploads/publish";
import { galleryRepositorySigner } from "@/lib/uploads/repository-signer";
import { galleryTrustStore } from "@/lib/trust/gallery-trust-store";
import { DatabaseJobQueue } from "./database-queue";
import { rollUpDownloads } from "./downloads";
import { PgBossJobQueue } from "./pg-boss-queue";
import type { JobHandlers, JobQueue } from "./queue";
import { revalidatePublishedSignatures, trustStoreFingerprint } from "./revalidate";

export type { JobQueue } from "./queue";

const holder = globalThis as typeof globalThis & { signetJobQueue?: JobQueue; signetRollUpTimer?: NodeJS.Timeout };

export function createJobQueue(db: Db, url = databaseUrl()): JobQueue {
  return databaseDialect(url) === "postgresql" ? new PgBossJobQueue(url) : new DatabaseJobQueue(db);
}

export function getJobQueue(db: Db): JobQueue {
  holder.signetJobQueue ??= createJobQueue(db);
  return holder.signetJobQueue;
}

export function jobHandlers(db: Db, storage: PackageStorage): JobHandlers {
  return {
    "revalidate-signatures": async ({ certificateId }) => {
      const result = await revalidatePublishedSignatures(db, storage, { certificateId, trust: galleryTrustStore(), signer: await galleryRepositorySigner() });
      for (const change of result.changed) console.log(`[signet] revalidated ${change.packageId} ${change.version}: ${change.from} -> ${change.to}`);
    },
    "repository-sign-backlog": async () => {
      const result = await repositorySignPublishedVersions(db, storage);
      // A version that cannot be signed is reported, not retried forever: the command shows why.
      if (result.failed.length > 0) console.warn(`[signet] ${result.failed.length} versions could not be repository-signed; npm run repo-sign:backfill lists them.`);
    },
    "roll-up-downloads": async () => {
      await rollUpDownloads(db);
    },
  };
}

const TRUST_STORE_TRIGGER = "trust-store";

/**
 * Queues a revalidation of every signed version when the trusted roots differ from those the
 * last start recorded (the first start only records them). The compare-and-set is one
 * statement, so of several instances starting together one queues it.
 */
export async function queueRevalidationIfTrustChanged(db: Db, queue: JobQueue, fingerprint = trustStoreFingerprint(galleryTrustStore())): Promise<boolean> {
  const { count } = await db.jobTrigger.updateMany({ where: { key: TRUST_STORE_TRIGGER, value: { not: fingerprint } }, data: { value: fingerprint } });
  if (count === 0) {
    try {
      await db.jobTrigger.create({ data: { key: TRUST_STORE_TRIGGER, value: fingerprint } });
    } catch (failure) {
      // Recorded already (by this or another instance), with this very fingerprint.
      if (!isUniqueViolation(failure)) throw failure;
    }
    return false;
  }
  await queue.send("revalidate-signatures", { certificateId: null }, { singletonKey: TRUST_STORE_TRIGGER });
  return true;
}

export const BACKLOG_KEY = "backlog";

/** Starts this process's worker and the triggers above (instrumentation.ts calls it at start). */
export async function startBackgroundWork(db: Db, storage: PackageStorage): Promise<void> {
  const queue = getJobQueue(db);
  await queue.work(jobHandlers(db, storage));
  await queueRevalidationIfTrustChanged(db, queue);
  clearInterval(holder.signetRollUpTimer);
  holder.signetRollUpTimer = setInterval(() => {
    queue.send("roll-up-downloads", {}, { singletonKey: "roll-up" }).catch((failure: unknown) => console.error("[signet] queueing the download roll-up:", failure));
  }, downloadRollUpSeconds() * 1000);
  holder.signetRollUpTimer.unref();
}
