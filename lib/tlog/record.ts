// What the gallery writes to the publication log, each inside the transaction of the change it
// records: a publication (before its PackageVersion row, which must name the entry), the
// repository signature added to a version published without one, an unlisting or relisting, a
// certificate compromise mark or its removal.

import type { TransactionClient } from "@/generated/prisma/sqlite/internal/prismaNamespace";
import type { SignatureReport } from "@/lib/signing/report";
import { appendEntry } from "./store";

export interface PublicationFacts {
  registrationId: string;
  packageId: string;
  version: string;
  /** Base64 SHA-512 of the file the gallery serves. */
  publishedSha512: string;
  /** Base64 SHA-512 of the bytes the author uploaded. */
  uploadedSha512: string;
  /** The published file's signatures, as the engine reported them. */
  report: SignatureReport | null;
  time: Date;
}

/** Logs a publication, naming the registration's owners as they are in this transaction; returns the entry's index. */
export async function logPublication(tx: TransactionClient, facts: PublicationFacts): Promise<number> {
  const owners = await tx.packageOwner.findMany({
    where: { registrationId: facts.registrationId },
    select: { user: { select: { username: true } } },
  });
  return appendEntry(tx, {
    kind: "publish",
    packageId: facts.packageId,
    version: facts.version,
    publishedSha512: facts.publishedSha512,
    uploadedSha512: facts.uploadedSha512,
    authorSigner: facts.report?.author?.signer?.sha256Fingerprint.toLowerCase() ?? null,
    repositoryCertificate: facts.report?.repository?.signer?.sha256Fingerprint.toLowerCase() ?? null,
    owners: owners.map((owner) => owner.user.username),
    time: facts.time,
  });
}

/** Logs that the gallery now serves the version repository-signed, as the file with `publishedSha512`. */
export function logRepositorySigning(
  tx: TransactionClient,
  signing: { packageId: string; version: string; publishedSha512: string; repositoryCertificate: string; time: Date },
): Promise<number> {
  return appendEntry(tx, {
    kind: "repository-signed",
    ...signing,
    repositoryCertificate: signing.repositoryCertificate.toLowerCase(),
  });
}

export function logListingChange(
  tx: TransactionClient,
  change: { packageId: string; version: string; listed: boolean; by: string; time: Date },
): Promise<number> {
  return appendEntry(tx, {
    kind: change.listed ? "relist" : "unlist",
    packageId: change.packageId,
    version: change.version,
    by: change.by,
    time: change.time,
  });
}

/** Logs a compromise mark (from `compromisedFrom`), or its removal when that is null. */
export function logCompromiseMark(
  tx: TransactionClient,
  mark: { certificate: string; compromisedFrom: Date | null; time: Date },
): Promise<number> {
  const certificate = mark.certificate.toLowerCase();
  return mark.compromisedFrom
    ? appendEntry(tx, {
        kind: "certificate-compromised",
        certificate,
        compromisedFrom: mark.compromisedFrom,
        time: mark.time,
      })
    : appendEntry(tx, { kind: "certificate-compromise-cleared", certificate, time: mark.time });
}
