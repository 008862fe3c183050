// Judging a stored file where it lies and deciding it: publish or quarantine. submitPackage does
// both at once for pushes and direct uploads; the web page's preview steps (previews.ts) and
// admin review (review.ts) reuse the same pieces. Judging writes nothing; every decision records
// an UploadAttempt.

import { createHash, randomUUID } from "node:crypto";
import { maxPackageBytes } from "@/lib/config";
import { fillPendingCertificateDetails } from "@/lib/certificates/registry";
import { deliverOutboxSoon } from "@/lib/outbox/delivery";
import type { Db } from "@/lib/db";
import { hasErrors, type Issue } from "@/lib/issues";
import type { PackageStorage } from "@/lib/storage";
import type { ApiKeyGrant } from "@/lib/validation/rules/api-key";
import { judgeUpload, type PackageFacts, type UploadJudgement } from "@/lib/validation/judge-upload";
import {
  publishingServices,
  publishPackage,
  quarantinePackage,
  type AttemptTarget,
  type PublishingServices,
  type PublishedVersion,
  type ReviewRecord,
  type UploadSourceName,
} from "./publish";
import { tidyUploadsOccasionally } from "./housekeeping";
import { discardReceivedPackage, type ReceivedPackage } from "./receive";
import { judgeRecordsFrom } from "./judge-records";
import { isPublishable, type StoredFile } from "./records";

export type UploadOutcome =
  | { status: "accepted"; attemptId: string; packageVersion: PublishedVersion; issues: Issue[] }
  | { status: "rejected"; attemptId: string; issues: Issue[] };

/** What every flow is given besides its own inputs: the gallery's services, and the clock (tests). */
export interface JudgingContext extends PublishingServices {
  now?: Date;
}

export interface SubmitOptions extends JudgingContext {
  uploaderId: string;
  source: UploadSourceName;
  apiKey?: ApiKeyGrant;
  /** JSON TrustedPublishingProvenance of a trusted-publishing key, recorded on the version. */
  provenance?: string;
}

interface JudgeRequest extends JudgingContext {
  uploaderId: string;
  apiKey?: ApiKeyGrant;
  /** When the gallery received the file, if before `now` (a preview submitted later, a refused upload reviewed). */
  receivedAt?: Date;
  /** What an earlier judgement of the same file learnt from its bytes (a submitted preview's). */
  knownFacts?: PackageFacts;
}

/** The received upload as a stored file: in the staging folder, under its staging key. */
export function stagedFile(received: ReceivedPackage): StoredFile {
  return { key: received.stagingKey, size: received.size, sha512: received.sha512 };
}

/** An attempt's kept file. Its SHA-512 is the one recorded when the file arrived; only a row
 * recorded before attempts kept one costs a streamed pass over the file to learn it. */
export async function attemptFile(
  storage: PackageStorage,
  row: { storageKey: string; fileSize: number; sha512: string | null },
): Promise<StoredFile> {
  if (row.sha512 !== null) return { key: row.storageKey, size: row.fileSize, sha512: row.sha512 };
  const hash = createHash("sha512");
  for await (const chunk of await storage.get(row.storageKey)) hash.update(chunk as Uint8Array);
  return { key: row.storageKey, size: row.fileSize, sha512: hash.digest("base64") };
}

/** Judges a stored file where it lies, by ranged reads of the storage; writes nothing. */
export async function judgeStoredFile(
  db: Db,
  storage: PackageStorage,
  file: StoredFile,
  request: JudgeRequest,
): Promise<UploadJudgement> {
  const source = await storage.open(file.key);
  try {
    return await judgeUpload(judgeRecordsFrom(db), {
      source,
      uploaderId: request.uploaderId,
      maxBytes: maxPackageBytes(),
      apiKey: request.apiKey,
      now: request.now,
      receivedAt: request.receivedAt,
      trust: request.trust,
      ...(request.knownFacts ? { knownFacts: request.knownFacts } : {}),
    });
  } finally {
    await source.close();
  }
}

/**
 * What a decided upload teaches the gallery about its signer: a certificate registered by
 * fingerprint alone gets its subject, issuer and validity from the signature (and its owners a
 * mail). Only a decision does: a preview nobody submits leaves no trace outside its own record.
 */
export async function learnSigner(db: Db, judgement: UploadJudgement): Promise<void> {
  const report = judgement.signatureReport;
  const signer = report?.author?.signer;
  if (!report || !signer) return;
  const packageLabel = judgement.packageId
    ? `${judgement.packageId} ${judgement.version ?? judgement.originalVersion ?? ""}`.trim()
    : "an uploaded package";
  if (await fillPendingCertificateDetails(db, signer, report, packageLabel)) deliverOutboxSoon(db);
}

export interface Decision extends PublishingServices {
  judgement: UploadJudgement;
  file: StoredFile;
  attempt: AttemptTarget;
  now: Date;
  review?: ReviewRecord;
  /** JSON TrustedPublishingProvenance, for a push with a trusted-publishing key. */
  provenance?: string;
}

/** Publishes a judgement without errors; quarantines any other (including a lost race). The
 * file stays where it lies unless it was quarantined: the caller removes it. */
export async function decideUpload(db: Db, storage: PackageStorage, decision: Decision): Promise<UploadOutcome> {
  const { judgement, attempt } = decision;
  await learnSigner(db, judgement);
  if (!hasErrors(judgement.issues) && isPublishable(judgement)) {
    const result = await publishPackage(db, storage, { ...decision, judgement, status: "ACCEPTED" });
    if (result.published)
      return { status: "accepted", attemptId: attempt.id, packageVersion: result.version, issues: judgement.issues };
    const lost = { ...judgement, issues: [...judgement.issues, ...result.issues] };
    return {
      status: "rejected",
      attemptId: attempt.id,
      issues: await quarantinePackage(db, storage, { ...decision, judgement: lost }),
    };
  }
  return { status: "rejected", attemptId: attempt.id, issues: await quarantinePackage(db, storage, decision) };
}

/**
 * Judges a received package and publishes or quarantines it; always records an UploadAttempt.
 * The staged file is gone afterwards (published, quarantined or removed).
 */
export async function submitPackage(
  db: Db,
  storage: PackageStorage,
  received: ReceivedPackage,
  options: SubmitOptions,
): Promise<UploadOutcome> {
  const now = options.now ?? new Date();
  try {
    const file = stagedFile(received);
    const judgement = await judgeStoredFile(db, storage, file, { ...options, now });
    const attempt: AttemptTarget = {
      kind: "new",
      id: randomUUID(),
      uploaderId: options.uploaderId,
      source: options.source,
    };
    const outcome = await decideUpload(db, storage, {
      judgement,
      file,
      attempt,
      now,
      ...publishingServices(options),
      provenance: options.provenance,
    });
    await tidyUploadsOccasionally(db, storage, options.staging, now);
    return outcome;
  } finally {
    await discardReceivedPackage(received);
  }
}
