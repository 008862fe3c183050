// The web page's two steps: previewPackage judges an upload and keeps a publishable one as a
// PREVIEW attempt with its file under pending/, so the person reads the verdict first (judging
// writes nothing else: the signer's certificate details wait for the decision); submitPreview
// judges it again where it lies (owners, certificates, reservations, roots and the time may have
// changed; its bytes have not, so what they alone said is reused rather than read again) and
// decides; cancelPreview drops one the person no longer wants (housekeeping.ts drops those nobody
// came back for). An upload the rules refuse is not a preview: like a refused push it becomes a
// REJECTED attempt with its file in quarantine for an administrator, at once. Only a preview the
// author abandons expires.

import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db";
import { hasErrors, IssueError } from "@/lib/issues";
import type { PackageStorage } from "@/lib/storage";
import type { UploadJudgement } from "@/lib/validation/judge-upload";
import { publishingServices, type AttemptTarget } from "./publish";
import { deletePreviews, tidyUploadsOccasionally } from "./housekeeping";
import { discardReceivedPackage, type ReceivedPackage } from "./receive";
import { attemptVerdictFields, factsColumn, previewKey, recordedFacts } from "./records";
import {
  attemptFile,
  decideUpload,
  judgeStoredFile,
  stagedFile,
  type JudgingContext,
  type UploadOutcome,
} from "./submit";

export interface PreviewOptions extends JudgingContext {
  uploaderId: string;
}

export interface PreviewResult {
  attemptId: string;
  judgement: UploadJudgement;
  /** Refused by the rules: recorded REJECTED with its file quarantined, nothing left to submit. */
  refused: boolean;
}

/**
 * The web page's first step: judges the package. A publishable one is kept under
 * pending/<attemptId>.nupkg as a PREVIEW attempt, so the person can read the verdict before
 * submitting; a refused one is quarantined as a REJECTED attempt, as a refused push is.
 */
export async function previewPackage(
  db: Db,
  storage: PackageStorage,
  received: ReceivedPackage,
  options: PreviewOptions,
): Promise<PreviewResult> {
  const now = options.now ?? new Date();
  try {
    const file = stagedFile(received);
    const judgement = await judgeStoredFile(db, storage, file, { ...options, now });
    const attemptId = randomUUID();
    if (hasErrors(judgement.issues)) {
      const attempt: AttemptTarget = { kind: "new", id: attemptId, uploaderId: options.uploaderId, source: "WEB" };
      const { issues } = await decideUpload(db, storage, {
        judgement,
        file,
        attempt,
        now,
        ...publishingServices(options),
      });
      await tidyUploadsOccasionally(db, storage, options.staging, now);
      return { attemptId, judgement: { ...judgement, issues }, refused: true };
    }
    const key = previewKey(attemptId);
    await storage.move(file.key, key);
    try {
      await db.uploadAttempt.create({
        data: {
          id: attemptId,
          uploaderId: options.uploaderId,
          source: "WEB",
          status: "PREVIEW",
          storageKey: key,
          createdAt: now,
          ...attemptVerdictFields(judgement, received),
          judgedFacts: factsColumn(judgement),
        },
      });
    } catch (failure) {
      await storage.delete(key);
      throw failure;
    }
    await tidyUploadsOccasionally(db, storage, options.staging, now);
    return { attemptId, judgement, refused: false };
  } finally {
    await discardReceivedPackage(received);
  }
}

function previewNotFound(): IssueError {
  return new IssueError(
    "UPLOAD_NOT_FOUND",
    "There is no such upload waiting to be submitted; upload the package again.",
  );
}

/**
 * Submits a preview: judged again where it lies (owners, certificates and reservations may have
 * changed), then published or quarantined. Only the uploader can submit, and only once.
 */
export async function submitPreview(
  db: Db,
  storage: PackageStorage,
  attemptId: string,
  options: PreviewOptions,
): Promise<UploadOutcome> {
  const now = options.now ?? new Date();
  const preview = await db.uploadAttempt.findUnique({
    where: { id: attemptId },
    select: {
      uploaderId: true,
      status: true,
      storageKey: true,
      createdAt: true,
      fileSize: true,
      sha512: true,
      judgedFacts: true,
    },
  });
  if (!preview || preview.uploaderId !== options.uploaderId || preview.storageKey === null) throw previewNotFound();
  if (preview.status !== "PREVIEW")
    throw new IssueError("UPLOAD_ATTEMPT_CONFLICT", "This upload was already submitted.");
  const file = await attemptFile(storage, { ...preview, storageKey: preview.storageKey });
  // The file arrived with the preview: that, not the submission, is when it provably existed.
  // Its bytes have not changed since (the entries' data and the hashes are taken as the preview
  // found them); the roots, the time and the gallery's records may have, and are judged afresh.
  const knownFacts = recordedFacts(preview.judgedFacts);
  const judgement = await judgeStoredFile(db, storage, file, {
    ...options,
    now,
    receivedAt: preview.createdAt,
    ...(knownFacts ? { knownFacts } : {}),
  });
  const attempt: AttemptTarget = {
    kind: "existing",
    id: attemptId,
    uploaderId: options.uploaderId,
    expectedStatus: "PREVIEW",
  };
  const outcome = await decideUpload(db, storage, {
    judgement,
    file,
    attempt,
    now,
    ...publishingServices(options),
  });
  // Published, its signed copy was stored; quarantined, it was moved already; otherwise it goes.
  await storage.delete(preview.storageKey);
  return outcome;
}

/** Drops the uploader's own preview, row and file; nothing was decided, so nothing is kept. */
export async function cancelPreview(
  db: Db,
  storage: PackageStorage,
  attemptId: string,
  options: { uploaderId: string },
): Promise<void> {
  const preview = await db.uploadAttempt.findUnique({
    where: { id: attemptId },
    select: { id: true, uploaderId: true, status: true, storageKey: true },
  });
  if (!preview || preview.uploaderId !== options.uploaderId) throw previewNotFound();
  if (preview.status !== "PREVIEW" || (await deletePreviews(db, storage, [preview])) === 0) {
    throw new IssueError(
      "UPLOAD_ATTEMPT_CONFLICT",
      "This upload was already submitted, so it can no longer be cancelled.",
    );
  }
}
