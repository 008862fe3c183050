// The web page's two steps: previewPackage judges an upload and keeps it as a PREVIEW attempt
// with its file under pending/, so the person reads the verdict first; submitPreview judges it
// again (owners, certificates and reservations may have changed) and decides; cancelPreview and
// removeStalePreviews drop previews nobody will submit.

import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import type { PackageStorage } from "@/lib/storage";
import type { UploadJudgement } from "@/lib/validation/judge-upload";
import type { AttemptTarget } from "./publish";
import { discardReceivedPackage, type ReceivedPackage } from "./receive";
import { attemptVerdictFields, previewKey } from "./records";
import { decideUpload, judgeStagedFile, restageStoredPackage, type JudgingContext, type UploadOutcome } from "./submit";

/** Previews older than this are dropped with their files: nobody came back to submit them. */
export const PREVIEW_LIFETIME_MS = 24 * 60 * 60 * 1000;

async function deletePreviews(db: Db, storage: PackageStorage, previews: readonly { id: string; storageKey: string | null }[]): Promise<number> {
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

export interface PreviewOptions extends JudgingContext {
  uploaderId: string;
}

/**
 * The web page's first step: judges the package and keeps it under pending/<attemptId>.nupkg
 * as a PREVIEW attempt, so the person can read the verdict before submitting.
 */
export async function previewPackage(
  db: Db,
  storage: PackageStorage,
  received: ReceivedPackage,
  options: PreviewOptions,
): Promise<{ attemptId: string; judgement: UploadJudgement }> {
  const now = options.now ?? new Date();
  try {
    const judgement = await judgeStagedFile(db, received, { ...options, now });
    const attemptId = randomUUID();
    const key = previewKey(attemptId);
    await storage.move(received.stagingKey, key);
    try {
      await db.uploadAttempt.create({
        data: { id: attemptId, uploaderId: options.uploaderId, source: "WEB", status: "PREVIEW", storageKey: key, createdAt: now, ...attemptVerdictFields(judgement, received) },
      });
    } catch (failure) {
      await storage.delete(key);
      throw failure;
    }
    // Opportunistic housekeeping: a failure here must not cost the person their preview.
    await removeStalePreviews(db, storage, now).catch((failure: unknown) => console.warn("[signet] removing stale previews failed", failure));
    return { attemptId, judgement };
  } finally {
    await discardReceivedPackage(received);
  }
}

function previewNotFound(): IssueError {
  return new IssueError("UPLOAD_NOT_FOUND", "There is no such upload waiting to be submitted; upload the package again.");
}

/**
 * Submits a preview: judged again (owners, certificates and reservations may have changed),
 * then published or quarantined. Only the uploader can submit, and only once.
 */
export async function submitPreview(db: Db, storage: PackageStorage, attemptId: string, options: PreviewOptions): Promise<UploadOutcome> {
  const now = options.now ?? new Date();
  const preview = await db.uploadAttempt.findUnique({ where: { id: attemptId }, select: { uploaderId: true, status: true, storageKey: true } });
  if (!preview || preview.uploaderId !== options.uploaderId || preview.storageKey === null) throw previewNotFound();
  if (preview.status !== "PREVIEW") throw new IssueError("UPLOAD_ATTEMPT_CONFLICT", "This upload was already submitted.");
  const staged = await restageStoredPackage(storage, preview.storageKey);
  try {
    const judgement = await judgeStagedFile(db, staged, { ...options, now });
    const attempt: AttemptTarget = { kind: "existing", id: attemptId, uploaderId: options.uploaderId, expectedStatus: "PREVIEW" };
    const outcome = await decideUpload(db, storage, { judgement, file: staged, attempt, now });
    await storage.delete(preview.storageKey);
    return outcome;
  } finally {
    await discardReceivedPackage(staged);
  }
}

/** Drops the uploader's own preview, row and file; nothing was decided, so nothing is kept. */
export async function cancelPreview(db: Db, storage: PackageStorage, attemptId: string, options: { uploaderId: string }): Promise<void> {
  const preview = await db.uploadAttempt.findUnique({ where: { id: attemptId }, select: { id: true, uploaderId: true, status: true, storageKey: true } });
  if (!preview || preview.uploaderId !== options.uploaderId) throw previewNotFound();
  if (preview.status !== "PREVIEW" || (await deletePreviews(db, storage, [preview])) === 0) {
    throw new IssueError("UPLOAD_ATTEMPT_CONFLICT", "This upload was already submitted, so it can no longer be cancelled.");
  }
}
