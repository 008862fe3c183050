// Judging a staged file and deciding it: publish or quarantine. submitPackage does both at once
// for pushes and direct uploads; the web page's preview steps (previews.ts) and admin review
// (review.ts) reuse the same pieces. Every decision records an UploadAttempt.

import { randomUUID } from "node:crypto";
import { maxPackageBytes } from "@/lib/config";
import { fillPendingCertificateDetails } from "@/lib/certificates/registry";
import { deliverOutboxSoon } from "@/lib/outbox/delivery";
import type { Db } from "@/lib/db";
import { hasErrors, type Issue } from "@/lib/issues";
import type { TrustStore } from "@/lib/signing";
import type { PackageStorage } from "@/lib/storage";
import type { RepositorySigner } from "@/lib/trust/repository-signing";
import { galleryTrustStore } from "@/lib/trust/gallery-trust-store";
import type { ApiKeyGrant } from "@/lib/validation/rules/api-key";
import { judgeUpload, type UploadJudgement } from "@/lib/validation/judge-upload";
import { publishPackage, quarantinePackage, type AttemptTarget, type PublishedVersion, type ReviewRecord, type StagedFile, type UploadSourceName } from "./publish";
import { tidyUploadsOccasionally } from "./housekeeping";
import { discardReceivedPackage, receivePackageStream, type ReceivedPackage } from "./receive";
import { judgeRecordsFrom } from "./judge-records";
import { isPublishable } from "./records";

export type UploadOutcome =
  | { status: "accepted"; attemptId: string; packageVersion: PublishedVersion; issues: Issue[] }
  | { status: "rejected"; attemptId: string; issues: Issue[] };

/** What every flow may be told besides its own inputs: the clock, the trusted roots and the repository signer (tests). */
export interface JudgingContext {
  now?: Date;
  trust?: TrustStore;
  repositorySigner?: RepositorySigner;
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
}

/**
 * Judges a staged file. A signed package also teaches the gallery its signer: a certificate
 * registered by fingerprint alone gets its subject, issuer and validity from the signature.
 */
export async function judgeStagedFile(db: Db, file: ReceivedPackage, request: JudgeRequest): Promise<UploadJudgement> {
  const judgement = await judgeUpload(judgeRecordsFrom(db), {
    path: file.path,
    size: file.size,
    uploaderId: request.uploaderId,
    maxBytes: maxPackageBytes(),
    apiKey: request.apiKey,
    now: request.now,
    receivedAt: request.receivedAt,
    trust: request.trust ?? galleryTrustStore(),
  });
  const report = judgement.signatureReport;
  const signer = report?.author?.signer;
  if (report && signer) {
    const packageLabel = judgement.packageId ? `${judgement.packageId} ${judgement.version ?? judgement.originalVersion ?? ""}`.trim() : "an uploaded package";
    if (await fillPendingCertificateDetails(db, signer, report, packageLabel)) deliverOutboxSoon(db);
  }
  return judgement;
}

export interface Decision {
  judgement: UploadJudgement;
  file: StagedFile;
  attempt: AttemptTarget;
  now: Date;
  review?: ReviewRecord;
  /** The roots the upload was judged against; its repository signature is verified against them too. */
  trust?: TrustStore;
  repositorySigner?: RepositorySigner;
  /** JSON TrustedPublishingProvenance, for a push with a trusted-publishing key. */
  provenance?: string;
}

/** Publishes a judgement without errors; quarantines any other (including a lost race). */
export async function decideUpload(db: Db, storage: PackageStorage, decision: Decision): Promise<UploadOutcome> {
  const { judgement, attempt } = decision;
  if (!hasErrors(judgement.issues) && isPublishable(judgement)) {
    const result = await publishPackage(db, storage, { ...decision, judgement, status: "ACCEPTED" });
    if (result.published) return { status: "accepted", attemptId: attempt.id, packageVersion: result.version, issues: judgement.issues };
    const lost = { ...judgement, issues: [...judgement.issues, ...result.issues] };
    return { status: "rejected", attemptId: attempt.id, issues: await quarantinePackage(db, storage, { ...decision, judgement: lost }) };
  }
  return { status: "rejected", attemptId: attempt.id, issues: await quarantinePackage(db, storage, decision) };
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
    const outcome = await decideUpload(db, storage, { judgement, file: received, attempt, now, trust: options.trust, repositorySigner: options.repositorySigner, provenance: options.provenance });
    await tidyUploadsOccasionally(db, storage, now);
    return outcome;
  } finally {
    await discardReceivedPackage(received);
  }
}

/** Copies a stored file back into the staging folder, so it can be judged and moved like a fresh upload. */
export async function restageStoredPackage(storage: PackageStorage, key: string): Promise<ReceivedPackage> {
  return receivePackageStream(await storage.get(key), { maxBytes: Number.MAX_SAFE_INTEGER });
}
