// Housekeeping run by uploads themselves rather than by a scheduler: previews nobody submitted
// and staging files a dead process left behind are removed, at most every TIDY_INTERVAL_MS.

import type { Db } from "@/lib/db";
import type { PackageStorage } from "@/lib/storage";
import { removeAbandonedStagingFiles } from "./receive";

/** Previews older than this are dropped with their files: nobody came back to submit them. */
export const PREVIEW_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Deletes the previews' rows and files; returns how many rows went. */
export async function deletePreviews(db: Db, storage: PackageStorage, previews: readonly { id: string; storageKey: string | null }[]): Promise<number> {
  // Only rows still in PREVIEW go: one submitted meanwhile keeps its row, and its file has moved on.
  const { count } = await db.uploadAttempt.deleteMany({ where: { id: { in: previews.map((preview) => preview.id) }, status: "PREVIEW" } });
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

const tidying = globalThis as typeof globalThis & { signetUploadsTidiedAt?: number };

/**
 * Opportunistic housekeeping, called by uploads rather than by a scheduler: stale previews and
 * abandoned staging files go. A failure here must not cost anyone their upload, so it is logged.
 */
export async function tidyUploadsOccasionally(db: Db, storage: PackageStorage, now = new Date()): Promise<void> {
  const last = tidying.signetUploadsTidiedAt;
  if (last !== undefined && Math.abs(now.getTime() - last) < TIDY_INTERVAL_MS) return;
  tidying.signetUploadsTidiedAt = now.getTime();
  try {
    await Promise.all([removeStalePreviews(db, storage, now), removeAbandonedStagingFiles(now)]);
  } catch (failure) {
    console.warn("[signet] tidying up uploads failed", failure);
  }
}

