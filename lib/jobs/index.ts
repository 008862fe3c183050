// Which queue the gallery uses, what each kind of job does, and what starts jobs: the server's
// start (a changed trust store), a timer (download roll-ups), admins (a certificate marked
// compromised) and operators (`npm run repo-sign:backfill -- --queue`).
import { downloadRollUpSeconds } from "@/lib/config";
import type { Db } from "@/lib/db";
import type { TrustStore } from "@/lib/signing";
import type { PackageStorage } from "@/lib/storage";
import type { RepositorySigner } from "@/lib/trust/repository-signing";
import { repositorySignPublishedVersions } from "@/lib/uploads/backfill";
import { isUniqueViolation } from "@/lib/db/errors";
import type { StagingFiles } from "@/lib/uploads/receive";
import { rollUpDownloads } from "./downloads";
import type { JobHandlers, JobQueue } from "./queue";
import { revalidatePublishedSignatures, trustStoreFingerprint } from "./revalidate";

export type { JobQueue } from "./queue";
export { createJobQueue } from "./queues";

/** What the jobs work with: the process's own, from lib/services.ts, or a test's. */
export interface JobDependencies {
  db: Db;
  storage: PackageStorage;
  staging: StagingFiles;
  /** Read when a job runs, so a job judges against the roots the process has then. */
  trustStore(): TrustStore;
  repositorySigner(): Promise<RepositorySigner>;
}

export function jobHandlers({ db, storage, staging, trustStore, repositorySigner }: JobDependencies): JobHandlers {
  return {
    "revalidate-signatures": async ({ certificateId }) => {
      const result = await revalidatePublishedSignatures(db, storage, {
        certificateId,
        trust: trustStore(),
        signer: await repositorySigner(),
      });
      for (const change of result.changed)
        console.log(`[signet] revalidated ${change.packageId} ${change.version}: ${change.from} -> ${change.to}`);
    },
    "repository-sign-backlog": async () => {
      const result = await repositorySignPublishedVersions(db, storage, {
        signer: await repositorySigner(),
        trust: trustStore(),
        staging,
      });
      // A version that cannot be signed is reported, not retried forever: the command shows why.
      if (result.failed.length > 0)
        console.warn(
          `[signet] ${result.failed.length} versions could not be repository-signed; npm run repo-sign:backfill lists them.`,
        );
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
export async function queueRevalidationIfTrustChanged(db: Db, queue: JobQueue, fingerprint: string): Promise<boolean> {
  const { count } = await db.jobTrigger.updateMany({
    where: { key: TRUST_STORE_TRIGGER, value: { not: fingerprint } },
    data: { value: fingerprint },
  });
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

export interface BackgroundWork extends JobDependencies {
  queue: JobQueue;
  /** Runs `tick` every `intervalMs`, one timer per name (lib/services.ts repeat). */
  repeat(name: string, tick: () => void, intervalMs: number): void;
}

/** Starts this process's worker and the triggers above (instrumentation-node.ts calls it at start). */
export async function startBackgroundWork(work: BackgroundWork): Promise<void> {
  const { db, queue } = work;
  await queue.work(jobHandlers(work));
  await queueRevalidationIfTrustChanged(db, queue, trustStoreFingerprint(work.trustStore()));
  work.repeat(
    "download roll-up",
    () => {
      queue
        .send("roll-up-downloads", {}, { singletonKey: "roll-up" })
        .catch((failure: unknown) => console.error("[signet] queueing the download roll-up:", failure));
    },
    downloadRollUpSeconds() * 1000,
  );
}
