// The gallery's repository signature, added as a package is published (as nuget.org signs what it accepts):
// the judged file, read where it lies, is repository-signed (lib/signing/sign) and streamed into a second
// staging file, which is then verified again like any upload, now requiring the gallery's own
// repository signature, the same content hash and an author signature no worse than judged.
// Only that file is published; the uploaded one is discarded by the caller as before.

import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { repositoryServiceIndexUrl } from "@/lib/config";
import { IssueError, type ErrorCode } from "@/lib/issues";
import { verifyPackageSignatures, type SignatureReport, type TrustStore } from "@/lib/signing";
import { vouchingTimestamp } from "@/lib/signing/report";
import { repositorySignPackage } from "@/lib/signing/sign";
import type { RepositorySigner } from "@/lib/trust/repository-signing";
import { openFileSource, type ByteSource } from "@/lib/zip/source";
import { discardReceivedPackage, receivePackageStream, type ReceivedPackage, type StagingFiles } from "./receive";

export interface RepositorySigningRequest {
  /** The judged package's bytes (the caller opens and closes it). */
  source: ByteSource;
  /** The judged report (of the package as the gallery signs it: other repositories' signatures removed). */
  judgedReport: SignatureReport | null;
  /** Usernames the signature vouches for as the package's owners. */
  owners: readonly string[];
  signer: RepositorySigner;
  /** The roots uploads are judged against; the signer's own roots are added for its signature. */
  trust: TrustStore;
  /** Where the signed copy is staged. */
  staging: StagingFiles;
}

export interface RepositorySignedFile extends ReceivedPackage {
  /** The verified report of the signed file (what the package page shows). */
  report: SignatureReport;
  /** When the repository signature's timestamp says it was made. */
  signedAt: Date;
}

/** Streams a source; a source may reuse its buffers, and the file writer keeps them, so each chunk is copied. */
async function* copiedChunks(source: ByteSource): AsyncIterable<Uint8Array> {
  for await (const chunk of source.stream(0, source.size)) yield chunk.slice();
}

// The engine indexes each root list once, keyed by the list itself, so the merged lists are kept too.
const mergedTrust = new WeakMap<TrustStore, WeakMap<RepositorySigner, TrustStore>>();

/** The judging roots plus the signer's own (the development root), the same arrays every time. */
export function withOwnRoots(trust: TrustStore, signer: RepositorySigner): TrustStore {
  const bySigner = mergedTrust.get(trust) ?? new WeakMap<RepositorySigner, TrustStore>();
  mergedTrust.set(trust, bySigner);
  let merged = bySigner.get(signer);
  if (!merged) {
    merged = {
      codeSigningRoots: [...trust.codeSigningRoots, ...signer.ownRoots.codeSigningRoots],
      timestampingRoots: [...trust.timestampingRoots, ...signer.ownRoots.timestampingRoots],
    };
    bySigner.set(signer, merged);
  }
  return merged;
}

function refusal(code: ErrorCode, message: string): IssueError {
  return new IssueError(code, message);
}

function checkSignedReport(report: SignatureReport, request: RepositorySigningRequest, serviceIndexUrl: string): Date {
  const repository = report.repository;
  const fingerprint = createHash("sha256")
    .update(new Uint8Array(request.signer.key.certificate.toSchema().toBER()))
    .digest("hex");
  if (
    !repository?.valid ||
    repository.signer?.sha256Fingerprint !== fingerprint ||
    repository.serviceIndexUrl !== serviceIndexUrl
  ) {
    const reasons = report.issues
      .filter((issue) => issue.level === "error")
      .map((issue) => `${issue.code}: ${issue.message}`);
    throw refusal(
      "REPOSITORY_SIGNATURE_INVALID",
      `The gallery's repository signature on this package did not verify${reasons.length > 0 ? ` (${reasons.join(" ")})` : ""}; the package was not published.`,
    );
  }
  const judged = request.judgedReport;
  if (judged?.contentHash !== undefined && report.contentHash !== judged.contentHash) {
    throw refusal(
      "REPOSITORY_SIGNING_CHANGED_CONTENT",
      "Repository signing changed the package's content hash; the package was not published.",
    );
  }
  if (judged?.status === "valid" && report.status !== "valid") {
    throw refusal(
      "REPOSITORY_SIGNING_BROKE_SIGNATURE",
      "The package's signature no longer verified after the gallery countersigned it; the package was not published.",
    );
  }
  const timestamp = vouchingTimestamp(repository);
  if (!timestamp)
    throw refusal(
      "REPOSITORY_SIGNATURE_INVALID",
      "The gallery's repository signature has no valid timestamp; the package was not published.",
    );
  return new Date(timestamp.time);
}

/** The repository-signed package in a new staging file, verified; throws an IssueError (nothing left behind) when it cannot be. */
export async function repositorySignPackageFile(request: RepositorySigningRequest): Promise<RepositorySignedFile> {
  const serviceIndexUrl = repositoryServiceIndexUrl();
  const signed = await repositorySignPackage(request.source, {
    key: request.signer.key,
    serviceIndexUrl,
    owners: request.owners,
    timestamper: request.signer.timestamper,
  });
  const written = await receivePackageStream(Readable.from(copiedChunks(signed.package)), {
    maxBytes: Number.MAX_SAFE_INTEGER,
    staging: request.staging,
  });
  try {
    const signedSource = await openFileSource(written.path);
    const report = await verifyPackageSignatures(signedSource, {
      trust: withOwnRoots(request.trust, request.signer),
      includeContentHash: true,
    }).finally(() => signedSource.close());
    return { ...written, report, signedAt: checkSignedReport(report, request, serviceIndexUrl) };
  } catch (failure) {
    await discardReceivedPackage(written);
    throw failure;
  }
}
