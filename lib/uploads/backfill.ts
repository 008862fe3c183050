// Repository-signing the versions published before the gallery signed what it publishes: each
// stored file is copied into staging, signed and verified exactly as at publish
// (repository-sign.ts), and then, in one transaction, the row is updated (served SHA-512, size,
// report, signing certificate; the uploaded SHA-512 kept) only if it is still unsigned, the
// change is appended to the publication log (a "repository-signed" entry with the new SHA-512, so
// `verify --log` and monitors accept the new bytes and still catch any others), and the signed
// file is renamed over the stored one as the last step. Each version is done or not done, so
// the job can be stopped at any moment and run again: it picks up the versions still unsigned.
// When the commit fails after the rename, the stored bytes are put back. Only a process killed
// between its rename and its commit leaves a signed file that neither the row nor the log
// describes (monitors report it); the next run signs that file again (the gallery's own signature
// is replaced, never doubled) and logs it.
// Today a command (`npm run repo-sign:backfill`); a job queue can call the same function.

import type { Db } from "@/lib/db";
import { IssueError, type Issue } from "@/lib/issues";
import type { SignatureReport, TrustStore } from "@/lib/signing";
import type { PackageStorage } from "@/lib/storage";
import { logRepositorySigning } from "@/lib/tlog/record";
import type { RepositorySigner } from "@/lib/trust/repository-signing";
import { repositoryCertificateId, TRANSACTION_LIMITS } from "./publish";
import { discardReceivedPackage, receivePackageStream, type StagingFiles } from "./receive";
import { repositorySignPackageFile, type RepositorySignedFile } from "./repository-sign";

export interface BackfillOptions {
  signer: RepositorySigner;
  trust: TrustStore;
  /** Where each version's copy and its signed copy are staged. */
  staging: StagingFiles;
  /** Versions read per query. */
  batchSize?: number;
  /** Asked before each version; true ends the run cleanly. */
  shouldStop?: () => boolean;
  onProgress?: (event: BackfillEvent) => void;
}

export type BackfillEvent =
  | { kind: "signed"; packageId: string; version: string }
  | { kind: "skipped"; packageId: string; version: string; reason: string }
  | { kind: "failed"; packageId: string; version: string; issue: Issue };

export interface BackfillResult {
  signed: number;
  failed: Array<{ packageId: string; version: string; issue: Issue }>;
  /** Versions still without the gallery's signature when the run ended. */
  remaining: number;
}

interface UnsignedVersion {
  id: string;
  version: string;
  logIndex: number | null;
  storageKey: string;
  sha512: string;
  uploadedSha512: string | null;
  signatureReport: string | null;
  registration: { packageId: string; owners: { user: { username: string } }[] };
}

function storedReport(json: string | null): SignatureReport | null {
  if (json === null) return null;
  try {
    return JSON.parse(json) as SignatureReport;
  } catch {
    return null;
  }
}

async function signVersion(
  db: Db,
  storage: PackageStorage,
  version: UnsignedVersion,
  { signer, trust, staging }: BackfillOptions,
): Promise<boolean> {
  // Its repository signing must follow its publication in the log.
  if (version.logIndex === null) {
    throw new IssueError(
      "VERSION_NOT_LOGGED",
      "This version has no publication entry in the log yet; run npm run db:migrate (which logs it), then this command again.",
    );
  }
  // A copy of the stored bytes: what is put back if the commit fails after the signed file replaced them.
  const staged = await receivePackageStream(await storage.get(version.storageKey), {
    maxBytes: Number.MAX_SAFE_INTEGER,
    staging,
  });
  try {
    const source = await storage.open(staged.stagingKey);
    let signed: RepositorySignedFile;
    try {
      signed = await repositorySignPackageFile({
        source,
        judgedReport: storedReport(version.signatureReport),
        owners: version.registration.owners.map((owner) => owner.user.username).sort(),
        signer,
        trust,
        staging,
      });
    } finally {
      await source.close();
    }
    try {
      const summary = signed.report.repository?.signer;
      if (!summary)
        throw new IssueError("REPOSITORY_SIGNATURE_INVALID", "The repository signature names no certificate.");
      let moved = false;
      try {
        return await db.$transaction(async (tx) => {
          const { count } = await tx.packageVersion.updateMany({
            where: { id: version.id, repositoryCertificateId: null },
            data: {
              sha512: signed.sha512,
              uploadedSha512: version.uploadedSha512 ?? version.sha512,
              packageSize: signed.size,
              signatureReport: JSON.stringify(signed.report),
              repositoryCertificateId: await repositoryCertificateId(tx, signer, summary),
              repositorySignedAt: signed.signedAt,
            },
          });
          // Signed meanwhile by another run: leave its file alone.
          if (count === 0) return false;
          // After the row's lock, as publishing and listing changes take them.
          await logRepositorySigning(tx, {
            packageId: version.registration.packageId,
            version: version.version,
            publishedSha512: signed.sha512,
            repositoryCertificate: summary.sha256Fingerprint,
            time: new Date(),
          });
          await storage.move(signed.stagingKey, version.storageKey);
          moved = true;
          return true;
        }, TRANSACTION_LIMITS);
      } catch (failure) {
        // The commit failed after the rename: serve the bytes the row and the log still describe.
        if (moved) await storage.move(staged.stagingKey, version.storageKey);
        throw failure;
      }
    } finally {
      await discardReceivedPackage(signed);
    }
  } finally {
    await discardReceivedPackage(staged);
  }
}

/** Repository-signs every stored version that lacks the gallery's signature; see the file comment. */
export async function repositorySignPublishedVersions(
  db: Db,
  storage: PackageStorage,
  options: BackfillOptions,
): Promise<BackfillResult> {
  const batchSize = options.batchSize ?? 50;
  const result: BackfillResult = { signed: 0, failed: [], remaining: 0 };
  const failedIds: string[] = [];
  for (;;) {
    const batch: UnsignedVersion[] = await db.packageVersion.findMany({
      where: { repositoryCertificateId: null, id: { notIn: failedIds } },
      orderBy: [{ publishedAt: "asc" }, { id: "asc" }],
      take: batchSize,
      select: {
        id: true,
        version: true,
        logIndex: true,
        storageKey: true,
        sha512: true,
        uploadedSha512: true,
        signatureReport: true,
        registration: { select: { packageId: true, owners: { select: { user: { select: { username: true } } } } } },
      },
    });
    if (batch.length === 0) break;
    for (const version of batch) {
      if (options.shouldStop?.()) {
        result.remaining = await db.packageVersion.count({ where: { repositoryCertificateId: null } });
        return result;
      }
      const names = { packageId: version.registration.packageId, version: version.version };
      try {
        if (await signVersion(db, storage, version, options)) {
          result.signed++;
          options.onProgress?.({ kind: "signed", ...names });
        } else {
          options.onProgress?.({ kind: "skipped", ...names, reason: "signed by another run" });
        }
      } catch (failure) {
        if (!(failure instanceof IssueError)) throw failure;
        failedIds.push(version.id);
        result.failed.push({ ...names, issue: failure.toIssue() });
        options.onProgress?.({ kind: "failed", ...names, issue: failure.toIssue() });
      }
    }
  }
  result.remaining = await db.packageVersion.count({ where: { repositoryCertificateId: null } });
  return result;
}
