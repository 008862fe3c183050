// Publishing and quarantining: the two ways a judged file is decided, wherever it lies (the
// staging folder for a push, pending/ for a submitted preview, quarantine/ for a reviewed one).
//
// Publishing first repository-signs the judged file, read where it lies (repository-sign.ts:
// the gallery's countersignature or primary signature, verified again), into a staging file;
// that file is the one published, and it is gone from staging afterwards whatever happens.
//
// Publishing is atomic. The rows (registration if new, owner, signer certificate, the
// publication log entry, version, the attempt, an audit entry for reviews) are written in one
// transaction, so a version is never served without its log entry (a database trigger refuses
// a version row that does not name its own entry), and the file is
// renamed to its final key as the transaction's last step, after the unique (registration,
// version) index has let this upload through: a concurrent push of the same ID+version fails
// on that index before it can touch the file. If anything fails after the rename, the file is
// renamed back, so a version row never exists without its file, nor a file without its row.

import type { UploadSource, UploadStatus } from "@/generated/prisma/sqlite/enums";
import type { TransactionClient } from "@/generated/prisma/sqlite/internal/prismaNamespace";
import { recordAuditEntry } from "@/lib/audit";
import { certificateDetails } from "@/lib/certificates/registry";
import { isNewSignerOfPackage, recordSignedPublication } from "@/lib/identity/publication";
import { deliverOutboxSoon } from "@/lib/outbox/delivery";
import type { Db } from "@/lib/db";
import { isUniqueViolation } from "@/lib/db/errors";
import { quarantineLimits } from "@/lib/config";
import { renderReadme } from "@/lib/packages/readme";
import { signerContinuityAtPublish } from "@/lib/packages/signer-continuity";
import { IssueError, warning, type ErrorIssue, type Issue } from "@/lib/issues";
import type { PackageStorage } from "@/lib/storage";
import type { SignatureReport, TrustStore } from "@/lib/signing";
import type { CertificateSummary } from "@/lib/signing/report";
import { refreshSearchDocuments } from "@/lib/search/search-index";
import type { RepositorySigner } from "@/lib/trust/repository-signing";
import { logPublication } from "@/lib/tlog/record";
import { duplicateVersionIssue, type UploadJudgement } from "@/lib/validation/judge-upload";
import { checkPackageOwnership } from "@/lib/validation/rules/package-ownership";
import { formatSize } from "@/lib/validation/rules/wording";
import {
  attemptVerdictFields,
  type AttemptVerdict,
  publishedPackageKey,
  quarantineKey,
  versionMetadataFields,
  versionSignatureFields,
  type PublishableJudgement,
  type StoredFile,
} from "./records";
import { discardReceivedPackage, type StagingFiles } from "./receive";
import { repositorySignPackageFile, type RepositorySignedFile } from "./repository-sign";

// The schema's enums under names that say they are the values, not the Prisma types.
export type UploadSourceName = UploadSource;
export type UploadStatusName = UploadStatus;

/** The attempt a verdict is written to: a new row, or an existing one still in the expected state
 * (so two submissions of one preview, or two reviews of one attempt, cannot both win). */
export type AttemptTarget =
  | { kind: "new"; id: string; uploaderId: string; source: UploadSourceName }
  | { kind: "existing"; id: string; uploaderId: string; expectedStatus: UploadStatusName };

export interface ReviewRecord {
  reviewerId: string;
  reason: string | null;
  action: "upload.revalidate" | "upload.approve" | "upload.delete";
}

/** What publishing a version takes of the gallery besides the upload: the process's (lib/services.ts) or a test's. */
export interface PublishingServices {
  /** The roots the upload was judged against; the repository signature is verified against them too. */
  trust: TrustStore;
  /** The gallery's signer, asked for only once a version is to be published, so a refused upload never loads it. */
  repositorySigner: () => Promise<RepositorySigner>;
  /** The process's staging files: the repository-signed copy is staged there, and uploads tidy them now and then. */
  staging: StagingFiles;
}

/** The services alone, out of a flow's options that carry them among its own inputs. */
export function publishingServices({ trust, repositorySigner, staging }: PublishingServices): PublishingServices {
  return { trust, repositorySigner, staging };
}

export interface Publication extends PublishingServices {
  judgement: PublishableJudgement;
  file: StoredFile;
  attempt: AttemptTarget;
  status: "ACCEPTED" | "APPROVED";
  /** Set for an admin's revalidation or approval: recorded on the attempt and in the audit log. */
  review?: ReviewRecord;
  now: Date;
  /** JSON TrustedPublishingProvenance when pushed with a trusted-publishing key. */
  provenance?: string;
}

export interface PublishedVersion {
  id: string;
  packageId: string;
  version: string;
}

function attemptChanged(): IssueError {
  return new IssueError(
    "UPLOAD_ATTEMPT_CONFLICT",
    "This upload was changed by another request in the meantime; reload it and try again.",
  );
}

/** An attempt's state columns; the verdict columns come from attemptVerdictFields. */
export interface AttemptState {
  status: UploadStatusName;
  storageKey?: string | null;
  decidedAt?: Date | null;
  reviewerId?: string | null;
  reviewReason?: string | null;
  packageVersionId?: string | null;
}

/** Moves an existing attempt to a new state, only while it is still in the expected one. */
export async function updateAttempt(
  tx: TransactionClient,
  target: Extract<AttemptTarget, { kind: "existing" }>,
  data: Partial<AttemptVerdict> & AttemptState,
): Promise<void> {
  const { count } = await tx.uploadAttempt.updateMany({
    where: { id: target.id, status: target.expectedStatus },
    data,
  });
  if (count !== 1) throw attemptChanged();
}

/** Writes the attempt row with its verdict: created, or updated while in the expected state. */
export async function writeAttempt(
  tx: TransactionClient,
  target: AttemptTarget,
  data: AttemptVerdict & AttemptState,
): Promise<void> {
  if (target.kind === "existing") return updateAttempt(tx, target, data);
  await tx.uploadAttempt.create({
    data: { id: target.id, uploaderId: target.uploaderId, source: target.source, ...data },
  });
}

/** The audit entry of a review action, written with the change it records. */
export function recordReview(
  tx: TransactionClient,
  review: ReviewRecord,
  attemptId: string,
  details: Record<string, unknown>,
): Promise<void> {
  return recordAuditEntry(tx, {
    actorId: review.reviewerId,
    action: review.action,
    targetType: "UploadAttempt",
    targetId: attemptId,
    reason: review.reason,
    details,
  });
}

/**
 * The registration for the ID, created with the uploader as owner when new. An ID that
 * appeared since judging (another first push won the race) accepts this version only from one
 * of its owners, unless an admin approves it.
 */
async function ensureRegistration(tx: TransactionClient, publication: Publication): Promise<string> {
  const { judgement, attempt } = publication;
  const existing = await tx.packageRegistration.findUnique({
    where: { packageIdLower: judgement.packageId.toLowerCase() },
    select: { id: true, owners: { select: { userId: true } } },
  });
  if (!existing) {
    const created = await tx.packageRegistration.create({
      data: {
        packageId: judgement.packageId,
        packageIdLower: judgement.packageId.toLowerCase(),
        owners: { create: { userId: attempt.uploaderId } },
      },
      select: { id: true },
    });
    return created.id;
  }
  if (publication.status === "APPROVED") return existing.id;
  const [notOwned] = checkPackageOwnership({
    packageId: judgement.packageId,
    isNewId: false,
    pusherUserId: attempt.uploaderId,
    ownerUserIds: existing.owners.map((owner) => owner.userId),
  });
  if (notOwned) throw new IssueError(notOwned.code, notOwned.message);
  return existing.id;
}

/** The signer's Certificate row, created from the report when the gallery has not seen it. */
async function signerCertificateId(tx: TransactionClient, report: SignatureReport | null): Promise<string | null> {
  const signer = report?.author?.signer;
  if (!signer) return null;
  const details = certificateDetails(signer);
  const row = await tx.certificate.upsert({
    where: { sha256Fingerprint: signer.sha256Fingerprint.toLowerCase() },
    create: { sha256Fingerprint: signer.sha256Fingerprint.toLowerCase(), ...details },
    update: {},
    select: { id: true },
  });
  return row.id;
}

/** The RepositorySigningCertificate row of the certificate that signed, added to the list the first time it signs. */
export async function repositoryCertificateId(
  tx: TransactionClient,
  signer: RepositorySigner,
  summary: CertificateSummary,
): Promise<string> {
  const row = await tx.repositorySigningCertificate.upsert({
    where: { sha256Fingerprint: summary.sha256Fingerprint },
    create: {
      sha256Fingerprint: summary.sha256Fingerprint,
      subject: summary.subject,
      issuer: summary.issuer,
      notBefore: new Date(summary.notBefore),
      notAfter: new Date(summary.notAfter),
      der: new Uint8Array(signer.key.certificate.toSchema().toBER()),
    },
    update: {},
    select: { id: true },
  });
  return row.id;
}

/** The owners a repository signature vouches for: the registration's, or the uploader for a new ID. */
async function ownerUsernames(db: Db, publication: Publication): Promise<string[]> {
  const registration = await db.packageRegistration.findUnique({
    where: { packageIdLower: publication.judgement.packageId.toLowerCase() },
    select: { owners: { select: { user: { select: { username: true } } } } },
  });
  const owners = registration?.owners.map((owner) => owner.user.username) ?? [];
  if (owners.length > 0) return owners.sort();
  const uploader = await db.user.findUnique({
    where: { id: publication.attempt.uploaderId },
    select: { username: true },
  });
  return uploader ? [uploader.username] : [];
}

interface SignedPublication {
  file: RepositorySignedFile;
  signer: RepositorySigner;
}

/** What publishing writes besides the judgement, prepared before the transaction opens. */
interface PreparedPublication {
  signed: SignedPublication;
  /** The readme as sanitised HTML: rendered once here, so neither the transaction nor any page request renders Markdown. */
  readmeHtml: string | null;
}

async function writePublication(
  tx: TransactionClient,
  storage: PackageStorage,
  publication: Publication,
  prepared: PreparedPublication,
  finalKey: string,
  onMoved: () => void,
): Promise<PublishedVersion> {
  const { judgement, file, attempt, review } = publication;
  const { signed } = prepared;
  const repositorySigner = signed.signer;
  const served = signed.file;
  const repositorySignerSummary = served.report.repository?.signer;
  if (!repositorySignerSummary)
    throw new IssueError("REPOSITORY_SIGNATURE_INVALID", "The repository signature names no certificate.");
  const registrationId = await ensureRegistration(tx, publication);
  const certificateId = await signerCertificateId(tx, judgement.signatureReport);
  const signer = judgement.signatureReport?.author?.signer;
  const newSigner = certificateId !== null && (await isNewSignerOfPackage(tx, registrationId, certificateId));
  const repositoryCertId = await repositoryCertificateId(tx, repositorySigner, repositorySignerSummary);
  const continuity = await signerContinuityAtPublish(tx, registrationId, certificateId);
  // The log append takes the log's lock; every row lock that may be contended (registration,
  // signer and repository certificates) is already held, so two publishes can only wait for each
  // other in one order.
  const logIndex = await logPublication(tx, {
    registrationId,
    packageId: judgement.packageId,
    version: judgement.version,
    publishedSha512: served.sha512,
    uploadedSha512: file.sha512,
    // The served file's signatures: the author's, and the gallery's repository signature.
    report: served.report,
    time: publication.now,
  });
  const version = await tx.packageVersion.create({
    data: {
      registrationId,
      ...versionMetadataFields(judgement),
      readmeHtml: prepared.readmeHtml,
      // Status, proven signing time and content hash describe the package as judged (its author
      // signature); the stored report is the served file's, the gallery's signature included.
      ...versionSignatureFields(judgement.signatureReport, judgement.provenSigningTime, file),
      signatureReport: JSON.stringify(served.report),
      signerCertificateId: certificateId,
      ...continuity,
      signerAuthorization: judgement.signerAuthorization ? JSON.stringify(judgement.signerAuthorization) : null,
      provenance: publication.provenance ?? null,
      repositoryCertificateId: repositoryCertId,
      repositorySignedAt: served.signedAt,
      storageKey: finalKey,
      packageSize: served.size,
      sha512: served.sha512,
      uploadedSha512: file.sha512,
      publisherId: attempt.uploaderId,
      publishedAt: publication.now,
      logIndex,
    },
    select: { id: true, version: true },
  });
  if (certificateId && signer) {
    const signedVersion = {
      authorization: judgement.signerAuthorization,
      signer,
      signerCertificateId: certificateId,
      registrationId,
      packageId: judgement.packageId,
      version: version.version,
      now: publication.now,
    };
    await recordSignedPublication(tx, signedVersion, newSigner);
  }
  await writeAttempt(tx, attempt, {
    ...attemptVerdictFields(judgement, file),
    status: publication.status,
    storageKey: null,
    decidedAt: publication.now,
    packageVersionId: version.id,
    ...(review ? { reviewerId: review.reviewerId, reviewReason: review.reason } : {}),
  });
  if (review)
    await recordReview(tx, review, attempt.id, {
      outcome: publication.status,
      packageId: judgement.packageId,
      version: judgement.version,
      issues: judgement.issues,
    });
  await refreshSearchDocuments(tx, [registrationId]);
  // Last: once the file is in place only the commit remains.
  await storage.move(served.stagingKey, finalKey);
  onMoved();
  return { id: version.id, packageId: judgement.packageId, version: version.version };
}

// SQLite runs one write transaction at a time, so concurrent pushes queue for the lock.
export const TRANSACTION_LIMITS = { maxWait: 60_000, timeout: 60_000 } as const;
// A first push of a new ID can lose the race to create its registration; the retry finds it.
const REGISTRATION_RACE_RETRIES = 3;

export type PublishResult = { published: true; version: PublishedVersion } | { published: false; issues: ErrorIssue[] };

async function publishOnce(
  db: Db,
  storage: PackageStorage,
  publication: Publication,
  prepared: PreparedPublication,
  finalKey: string,
): Promise<PublishedVersion> {
  let moved = false;
  try {
    return await db.$transaction(
      (tx) => writePublication(tx, storage, publication, prepared, finalKey, () => (moved = true)),
      TRANSACTION_LIMITS,
    );
  } catch (failure) {
    // The commit itself failed after the rename: put the file back where the caller expects it.
    if (moved) await storage.move(finalKey, prepared.signed.file.stagingKey);
    throw failure;
  }
}

/** The judged file with the gallery's repository signature, in its own staging file; an IssueError when it cannot be signed. */
async function signForPublication(
  db: Db,
  storage: PackageStorage,
  publication: Publication,
): Promise<SignedPublication> {
  const signer = await publication.repositorySigner();
  const owners = await ownerUsernames(db, publication);
  const source = await storage.open(publication.file.key);
  try {
    const file = await repositorySignPackageFile({
      source,
      judgedReport: publication.judgement.signatureReport,
      owners,
      signer,
      trust: publication.trust,
      staging: publication.staging,
    });
    return { file, signer };
  } finally {
    await source.close();
  }
}

async function versionExists(db: Db, packageId: string, version: string): Promise<boolean> {
  const found = await db.packageVersion.count({
    where: { registration: { packageIdLower: packageId.toLowerCase() }, versionLower: version.toLowerCase() },
  });
  return found > 0;
}

/**
 * Publishes the staged file with its rows, or reports why it could not be: PACKAGE_VERSION_EXISTS
 * when another upload of the same ID+version committed first, PACKAGE_NOT_OWNED when another
 * account created the ID meanwhile. The judged file stays where it lies either way: the caller
 * removes it once it is no longer needed.
 */
export async function publishPackage(
  db: Db,
  storage: PackageStorage,
  publication: Publication,
): Promise<PublishResult> {
  const { judgement } = publication;
  const finalKey = publishedPackageKey(judgement.packageId, judgement.version);
  let signed: SignedPublication;
  try {
    signed = await signForPublication(db, storage, publication);
  } catch (failure) {
    if (failure instanceof IssueError) return { published: false, issues: [failure.toIssue()] };
    throw failure;
  }
  try {
    const prepared = { signed, readmeHtml: judgement.readme === null ? null : renderReadme(judgement.readme) };
    for (let attempt = 1; ; attempt++) {
      try {
        const version = await publishOnce(db, storage, publication, prepared, finalKey);
        deliverOutboxSoon(db);
        return { published: true, version };
      } catch (failure) {
        if (failure instanceof IssueError && failure.code === "PACKAGE_NOT_OWNED")
          return { published: false, issues: [failure.toIssue()] };
        if (!isUniqueViolation(failure)) throw failure;
        if (await versionExists(db, judgement.packageId, judgement.version)) {
          return { published: false, issues: [duplicateVersionIssue(judgement.packageId, judgement.version)] };
        }
        if (attempt >= REGISTRATION_RACE_RETRIES) throw failure;
      }
    }
  } finally {
    // Published, the signed file was moved; otherwise it goes (a no-op when already moved).
    await discardReceivedPackage(signed.file);
  }
}

/** A refusal that is only "this version exists" keeps no file: there is nothing to review. */
export function isBareDuplicate(issues: readonly Issue[]): boolean {
  const errors = issues.filter((issue) => issue.level === "error");
  return errors.length > 0 && errors.every((issue) => issue.code === "PACKAGE_VERSION_EXISTS");
}

export interface Quarantine {
  judgement: UploadJudgement;
  file: StoredFile;
  attempt: AttemptTarget;
  now: Date;
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * Whether the uploader's refused files may take `size` more bytes of quarantine: within the
 * per-account byte quota and hourly file rate (lib/config quarantineLimits). The warning says
 * why the file was not kept when they may not.
 */
async function quarantineRoomFor(db: Db, uploaderId: string, size: number, now: Date): Promise<Issue | null> {
  const limits = quarantineLimits();
  const kept = { uploaderId, status: "REJECTED" as const, storageKey: { not: null } };
  const [held, lastHour] = await Promise.all([
    db.uploadAttempt.aggregate({ where: kept, _sum: { fileSize: true } }),
    db.uploadAttempt.count({ where: { ...kept, decidedAt: { gte: new Date(now.getTime() - HOUR_MS) } } }),
  ]);
  const heldBytes = held._sum.fileSize ?? 0;
  if (heldBytes + size > limits.bytesPerAccount) {
    return warning(
      "QUARANTINE_FILE_NOT_KEPT",
      `The refused file was not kept for review: this account's refused uploads already take ${formatSize(heldBytes)} of quarantine, and the limit is ${formatSize(limits.bytesPerAccount)}. Its record and reasons are kept.`,
    );
  }
  if (lastHour >= limits.filesPerHour) {
    return warning(
      "QUARANTINE_FILE_NOT_KEPT",
      `The refused file was not kept for review: ${lastHour} refused files of this account were kept in the last hour, the most allowed. Its record and reasons are kept.`,
    );
  }
  return null;
}

/**
 * Keeps a refused upload for review: the file under quarantine/<attemptId>.nupkg (unless the
 * refusal is a bare duplicate, or the uploader's quarantine quota or rate is used up) and the
 * attempt REJECTED with its issues, together: the file is moved as the transaction's last step
 * and moved back if the commit fails. Returns the issues recorded.
 */
export async function quarantinePackage(db: Db, storage: PackageStorage, quarantine: Quarantine): Promise<Issue[]> {
  const { judgement, file, attempt } = quarantine;
  const noRoom = isBareDuplicate(judgement.issues)
    ? null
    : await quarantineRoomFor(db, attempt.uploaderId, file.size, quarantine.now);
  const key = isBareDuplicate(judgement.issues) || noRoom ? null : quarantineKey(attempt.id);
  const recorded = noRoom ? { ...judgement, issues: [...judgement.issues, noRoom] } : judgement;
  let moved = false;
  try {
    await db.$transaction(async (tx) => {
      await writeAttempt(tx, attempt, {
        ...attemptVerdictFields(recorded, file),
        status: "REJECTED",
        storageKey: key,
        decidedAt: quarantine.now,
      });
      if (key) {
        await storage.move(file.key, key);
        moved = true;
      }
    }, TRANSACTION_LIMITS);
  } catch (failure) {
    if (moved && key) await storage.move(key, file.key);
    throw failure;
  }
  return recorded.issues;
}
