// Admin review of refused uploads. Each action changes the attempt and writes its
// AuditLogEntry in the same transaction, so the log never claims what did not happen:
// - revalidate: judge the quarantined file again with today's rules, owners and trust; publish
//   it when it now passes, otherwise record the new issues (the API key of a push is not kept,
//   so its scope is not judged again: the uploader's ownership still is);
// - approve: publish despite the issues, with a recorded reason; still impossible when the
//   manifest gives no usable ID and version, or that version exists;
// - delete: remove the quarantined file; the attempt stays, DELETED, for the audit trail.

import type { Db } from "@/lib/db";
import { hasErrors, IssueError } from "@/lib/issues";
import type { PackageStorage } from "@/lib/storage";
import {
  publishingServices,
  publishPackage,
  recordReview,
  updateAttempt,
  writeAttempt,
  type AttemptTarget,
  type ReviewRecord,
} from "./publish";
import { attemptVerdictFields, isPublishable, type StoredFile } from "./records";
import { attemptFile, judgeStoredFile, learnSigner, type JudgingContext, type UploadOutcome } from "./submit";
import type { UploadJudgement } from "@/lib/validation/judge-upload";

export interface ReviewOptions extends JudgingContext {
  reviewerId: string;
}

export interface ReasonedReviewOptions extends ReviewOptions {
  reason: string;
}

interface QuarantinedAttempt {
  id: string;
  uploaderId: string;
  /** The quarantined file, judged where it lies. */
  file: StoredFile;
  /** When the gallery received the file: an untimestamped signature's proven signing time. */
  receivedAt: Date;
}

/** A REJECTED attempt that still has its quarantined file: the only kind review acts on. */
async function loadQuarantinedAttempt(db: Db, storage: PackageStorage, attemptId: string): Promise<QuarantinedAttempt> {
  const attempt = await db.uploadAttempt.findUnique({
    where: { id: attemptId },
    select: {
      id: true,
      uploaderId: true,
      status: true,
      storageKey: true,
      createdAt: true,
      fileSize: true,
      sha512: true,
    },
  });
  if (!attempt) throw new IssueError("UPLOAD_NOT_FOUND", "There is no such upload.");
  if (attempt.status !== "REJECTED") {
    throw new IssueError(
      "UPLOAD_ATTEMPT_CONFLICT",
      `Only refused uploads can be reviewed; this one is ${attempt.status.toLowerCase()}.`,
    );
  }
  if (attempt.storageKey === null) {
    throw new IssueError(
      "UPLOAD_FILE_NOT_FOUND",
      "This refused upload kept no file (it only repeated an existing version), so there is nothing to review.",
    );
  }
  return {
    id: attempt.id,
    uploaderId: attempt.uploaderId,
    file: await attemptFile(storage, { ...attempt, storageKey: attempt.storageKey }),
    receivedAt: attempt.createdAt,
  };
}

function requireReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed === "") throw new IssueError("REVIEW_REASON_REQUIRED", "Give a reason; it is kept in the audit log.");
  return trimmed;
}

/** Judges the quarantined file where it lies, with today's rules, records and trust; a decision, so the signer is learnt. */
async function judgeQuarantined(
  db: Db,
  storage: PackageStorage,
  attempt: QuarantinedAttempt,
  options: ReviewOptions,
  now: Date,
): Promise<UploadJudgement> {
  const judgement = await judgeStoredFile(db, storage, attempt.file, {
    ...options,
    uploaderId: attempt.uploaderId,
    now,
    receivedAt: attempt.receivedAt,
  });
  await learnSigner(db, judgement);
  return judgement;
}

function reviewTarget(attempt: QuarantinedAttempt): Extract<AttemptTarget, { kind: "existing" }> {
  return { kind: "existing", id: attempt.id, uploaderId: attempt.uploaderId, expectedStatus: "REJECTED" };
}

/** Records a revalidation that still fails: the new verdict on the attempt, and the audit entry. */
async function recordStillRefused(
  db: Db,
  attempt: QuarantinedAttempt,
  judgement: UploadJudgement,
  review: ReviewRecord,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await writeAttempt(tx, reviewTarget(attempt), {
      ...attemptVerdictFields(judgement, attempt.file),
      status: "REJECTED",
      reviewerId: review.reviewerId,
    });
    await recordReview(tx, review, attempt.id, { outcome: "REJECTED", issues: judgement.issues });
  });
}

/** Judges a quarantined upload again; publishes it (ACCEPTED) if it now passes. */
export async function revalidateAttempt(
  db: Db,
  storage: PackageStorage,
  attemptId: string,
  options: ReviewOptions,
): Promise<UploadOutcome> {
  const attempt = await loadQuarantinedAttempt(db, storage, attemptId);
  const now = options.now ?? new Date();
  const review: ReviewRecord = { reviewerId: options.reviewerId, reason: null, action: "upload.revalidate" };
  const judgement = await judgeQuarantined(db, storage, attempt, options, now);
  if (!hasErrors(judgement.issues) && isPublishable(judgement)) {
    const result = await publishPackage(db, storage, {
      judgement,
      file: attempt.file,
      attempt: reviewTarget(attempt),
      status: "ACCEPTED",
      review,
      now,
      ...publishingServices(options),
    });
    if (result.published) {
      await storage.delete(attempt.file.key);
      return { status: "accepted", attemptId, packageVersion: result.version, issues: judgement.issues };
    }
    judgement.issues.push(...result.issues);
  }
  // Still refused: the file stays in quarantine, where it was judged.
  await recordStillRefused(db, attempt, judgement, review);
  return { status: "rejected", attemptId, issues: judgement.issues };
}

/** Publishes a refused upload despite its issues (APPROVED), with the reviewer's reason. */
export async function approveAttempt(
  db: Db,
  storage: PackageStorage,
  attemptId: string,
  options: ReasonedReviewOptions,
): Promise<UploadOutcome> {
  const reason = requireReason(options.reason);
  const attempt = await loadQuarantinedAttempt(db, storage, attemptId);
  const now = options.now ?? new Date();
  const review: ReviewRecord = { reviewerId: options.reviewerId, reason, action: "upload.approve" };
  const judgement = await judgeQuarantined(db, storage, attempt, options, now);
  if (!isPublishable(judgement)) {
    throw new IssueError(
      "UPLOAD_IDENTITY_UNKNOWN",
      "This upload cannot be approved: its manifest gives no valid package ID and version to publish it under.",
    );
  }
  const result = await publishPackage(db, storage, {
    judgement,
    file: attempt.file,
    attempt: reviewTarget(attempt),
    status: "APPROVED",
    review,
    now,
    ...publishingServices(options),
  });
  if (!result.published) {
    const [first] = result.issues;
    throw new IssueError(first?.code ?? "PACKAGE_VERSION_EXISTS", first?.message ?? "The package cannot be published.");
  }
  await storage.delete(attempt.file.key);
  return { status: "accepted", attemptId, packageVersion: result.version, issues: judgement.issues };
}

/** Removes a refused upload's file; the attempt is kept as DELETED with the reviewer's reason. */
export async function deleteAttempt(
  db: Db,
  storage: PackageStorage,
  attemptId: string,
  options: Pick<ReasonedReviewOptions, "reviewerId" | "reason" | "now">,
): Promise<void> {
  const reason = requireReason(options.reason);
  const attempt = await loadQuarantinedAttempt(db, storage, attemptId);
  const review: ReviewRecord = { reviewerId: options.reviewerId, reason, action: "upload.delete" };
  await db.$transaction(async (tx) => {
    await updateAttempt(tx, reviewTarget(attempt), {
      status: "DELETED",
      storageKey: null,
      reviewerId: options.reviewerId,
      reviewReason: reason,
      decidedAt: options.now ?? new Date(),
    });
    await recordReview(tx, review, attempt.id, { outcome: "DELETED", storageKey: attempt.file.key });
  });
  // After the commit: a file left behind by a failed delete is harmless, a record pointing at
  // a file that is gone would not be.
  await storage.delete(attempt.file.key);
}
