// The upload flows: a push or web upload judged and decided at once (submitPackage), and the
// web page's two steps (previewPackage keeps the file as a PREVIEW attempt; submitPreview judges
// it again and decides). Every flow records an UploadAttempt, whatever the verdict.

import { randomUUID } from "node:crypto";
import { maxPackageBytes } from "@/lib/config";
import { fillPendingCertificateDetails } from "@/lib/certificates/registry";
import type { Db } from "@/lib/db";
import { hasErrors, IssueError, type Issue } from "@/lib/issues";
import type { TrustStore } from "@/lib/signing";
import type { PackageStorage } from "@/lib/storage";
import type { ApiKeyGrant } from "@/lib/validation/rules/api-key";
import { judgeUpload, type UploadJudgement } from "@/lib/validation/judge-upload";
import { publishPackage, quarantinePackage, type AttemptTarget, type PublishedVersion, type ReviewRecord, type StagedFile, type UploadSourceName } from "./publish";
import { discardReceivedPackage, receivePackageStream, type ReceivedPackage } from "./receive";
import { attemptVerdictFields, isPublishable, previewKey } from "./records";

export type UploadOutcome =
  | { status: "accepted"; attemptId: string; packageVersion: PublishedVersion; issues: Issue[] }
  | { status: "rejected"; attemptId: string; issues: Issue[] };

/** What every flow may be told besides its own inputs: the clock and the trusted roots (tests). */
export interface JudgingContext {
  now?: Date;
  trust?: TrustStore;
}

export interface SubmitOptions extends JudgingContext {
  uploaderId: string;
  source: UploadSourceName;
  apiKey?: ApiKeyGrant;
}

/** Previews older than this are dropped with their files: nobody came back to submit them. */
export const PREVIEW_LIFETIME_MS = 24 * 60 * 60 * 1000;

interface JudgeRequest extends JudgingContext {
  uploaderId: string;
  apiKey?: ApiKeyGrant;
}

/**
 * Judges a staged file. A signed package also teaches the gallery its signer: a certificate
 * registered by fingerprint alone gets its subject, issuer and validity from the signature.
 */
export async function judgeStagedFile(db: Db, file: ReceivedPackage, request: JudgeRequest): Promise<UploadJudgement> {
  const judgement = await judgeUpload(db, {
    path: file.path,
    size: file.size,
    uploaderId: request.uploaderId,
    maxBytes: maxPackageBytes(),
    ...(request.apiKey ? { apiKey: request.apiKey } : {}),
    ...(request.now ? { now: request.now } : {}),
    ...(request.trust ? { trust: request.trust } : {}),
  });
  const signer = judgement.signatureReport?.author?.signer;
  if (signer) await fillPendingCertificateDetails(db, signer);
  return judgement;
}

export interface Decision {
  judgement: UploadJudgement;
  file: StagedFile;
  attempt: AttemptTarget;
  now: Date;
  review?: ReviewRecord;
}

/** Publishes a judgement without errors; quarantines any other (including a lost race). */
export async function decideUpload(db: Db, storage: PackageStorage, decision: Decision): Promise<UploadOutcome> {
  const { judgement, attempt } = decision;
  if (!hasErrors(judgement.issues) && isPublishable(judgement)) {
    const result = await publishPackage(db, storage, { ...decision, judgement, status: "ACCEPTED" });
    if (result.published) return { status: "accepted", attemptId: attempt.id, packageVersion: result.version, issues: judgement.issues };
    const lost = { ...judgement, issues: [...judgement.issues, ...result.issues] };
    await quarantinePackage(db, storage, { ...decision, judgement: lost });
    return { status: "rejected", attemptId: attempt.id, issues: lost.issues };
  }
  await quarantinePackage(db, storage, decision);
  return { status: "rejected", attemptId: attempt.id, issues: judgement.issues };
}

/**
 * Judges a received package and publishes or quarantines it; always records an UploadAttempt.
 * The staged file is gone afterwards (published, quarantined or removed).
 */
export async function submitPackage(db: Db, storage: PackageStorage, received: ReceivedPackage, options: SubmitOptions): Promise<UploadOutcome> {
  const now = options.now ?? new Date();
  try {
    const judgement = await judgeStagedFile(db, received, { ...options, now });
    const attempt: AttemptTarget = { kind: "new", id: randomUUID(), uploaderId: options.uploaderId, source: options.source };
    return await decideUpload(db, storage, { judgement, file: received, attempt, now });
  } finally {
    await discardReceivedPackage(received);
  }
}

/** Copies a stored file back into the staging folder, so it can be judged and moved like a fresh upload. */
export async function restageStoredPackage(storage: PackageStorage, key: string): Promise<ReceivedPackage> {
  return receivePackageStream(await storage.get(key), { maxBytes: Number.MAX_SAFE_INTEGER });
}

/** Removes previews nobody submitted within PREVIEW_LIFETIME_MS, rows and files. */
export async function removeStalePreviews(db: Db, storage: PackageStorage, now = new Date()): Promise<number> {
  const stale = await db.uploadAttempt.findMany({
    where: { status: "PREVIEW", createdAt: { lt: new Date(now.getTime() - PREVIEW_LIFETIME_MS) } },
    select: { id: true, storageKey: true },
    take: 100,
  });
  if (stale.length === 0) return 0;
  const { count } = await db.uploadAttempt.deleteMany({ where: { id: { in: stale.map((attempt) => attempt.id) }, status: "PREVIEW" } });
  await Promise.all(stale.map((attempt) => (attempt.storageKey ? storage.delete(attempt.storageKey) : undefined)));
  return count;
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
