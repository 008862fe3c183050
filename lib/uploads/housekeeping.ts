// Housekeeping: previews nobody submitted and staging files a dead process left behind are
// removed when the server starts and then every TIDY_INTERVAL_MS (instrumentation-node.ts starts
// the timer), and by uploads themselves at most that often.

import type { Db } from "@/lib/db";
import type { PackageStorage } from "@/lib/storage";
import { removeAbandonedStagingFiles, type StagingFiles } from "./receive";

/** Previews older than this are dropped with their files: nobody came back to submit them. */
export const PREVIEW_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Deletes the previews' rows and files; returns how many rows went. */
export async function deletePreviews(
  db: Db,
  storage: PackageStorage,
  previews: readonly { id: string; storageKey: string | null }[],
): Promise<number> {
  // Only rows still in PREVIEW go: one submitted meanwhile keeps its row, and its file has moved on.
  const { count } = await db.uploadAttempt.deleteMany({
    where: { id: { in: previews.map((preview) => preview.id) }, status: "PREVIEW" },
  });
  await Promise.all(previews.map((preview) => (preview.storageKey ? storage.delete(preview.storageKey) : undefined)));
  return count;
}

/** Removes previews nobody submitted within PREVIEW_LIFETIME_MS, rows and files. */
export async function removeStalePreviews(db: Db, storage: PackageStorage, now = new Date()): Promise<number> {
  const stale = await db.uploadAttempt.findMany({
    where: { status: "PREVIEW", createdAt: { lt: new Date(now.getTime() - PREVIEW_LIFETIME_MS) } },
    select: { id: true, storageKey: true },
    take: 100,
  });
  return stale.length === 0 ? 0 : deletePreviews(db, storage, stale);
}

/** How often one process tidies up at most: the queries are cheap, but not free on every upload. */
export const TIDY_INTERVAL_MS = 10 * 60 * 1000;

/** Stale previews and abandoned staging files go now. A failure is logged: it must not cost
 * anyone their upload, nor stop the server. */
export async function tidyUploads(
  db: Db,
  storage: PackageStorage,
  staging: StagingFiles,
  now = new Date(),
): Promise<void> {
  staging.lastTidiedAt = now.getTime();
  try {
    await Promise.all([removeStalePreviews(db, storage, now), removeAbandonedStagingFiles(staging, now)]);
  } catch (failure) {
    console.warn("[signet] tidying up uploads failed", failure);
  }
}

/** Housekeeping called by uploads: tidies at most every TIDY_INTERVAL_MS per process. */
export async function tidyUploadsOccasionally(
  db: Db,
  storage: PackageStorage,
  staging: StagingFiles,
  now = new Date(),
): Promise<void> {
  const last = staging.lastTidiedAt;
  if (last !== undefined && Math.abs(now.getTime() - last) < TIDY_INTERVAL_MS) return;
  await tidyUploads(db, storage, staging, now);
}

/**
 * Tidies at once (what a crash left in incoming/ goes at startup, not when someone next
 * uploads) and then every `intervalMs`, on a timer that does not keep the process alive.
 * Returns a function that stops it. `repeat` keeps the timer (lib/services.ts repeat: one timer
 * per process, however often this is called).
 */
export function startUploadHousekeeping(
  db: Db,
  storage: PackageStorage,
  staging: StagingFiles,
  repeat: (name: string, tick: () => void, intervalMs: number) => () => void,
  intervalMs = TIDY_INTERVAL_MS,
): () => void {
  const tidy = () => void tidyUploads(db, storage, staging);
  tidy();
  return repeat("upload housekeeping", tidy, intervalMs);
}
