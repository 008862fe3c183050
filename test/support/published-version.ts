// For tests and fixtures that write PackageVersion rows straight to the database: the row, its
// publication log entry and its package's search documents in one transaction, as the upload
// pipeline writes them (the database refuses a version without its entry).
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { PackageVersionUncheckedCreateInput } from "@/generated/prisma/sqlite/models/PackageVersion";
import type { Db } from "@/lib/db";
import { refreshSearchDocuments } from "@/lib/search/search-index";
import type { SignatureReport } from "@/lib/signing/report";
import type { PackageStorage } from "@/lib/storage";
import { logPublication } from "@/lib/tlog/record";
import { publishedPackageKey } from "@/lib/uploads/records";

/** A well-formed SHA-512 (base64) standing for a file a fixture does not write. */
export function fixtureSha512(text: string): string {
  return createHash("sha512").update(text).digest("base64");
}

export type PublishedVersionRow = Omit<PackageVersionUncheckedCreateInput, "logIndex">;

/** Logs the publication and creates the row; returns the row's id. */
export async function createPublishedVersion(db: Db, row: PublishedVersionRow): Promise<string> {
  return db.$transaction(async (tx) => {
    const registration = await tx.packageRegistration.findUniqueOrThrow({
      where: { id: row.registrationId },
      select: { packageId: true },
    });
    const logIndex = await logPublication(tx, {
      registrationId: row.registrationId,
      packageId: registration.packageId,
      version: row.version,
      publishedSha512: row.sha512,
      uploadedSha512: row.uploadedSha512 ?? row.sha512,
      report: row.signatureReport ? (JSON.parse(row.signatureReport) as SignatureReport) : null,
      time: row.publishedAt ? new Date(row.publishedAt) : new Date(),
    });
    const version = await tx.packageVersion.create({ data: { ...row, logIndex }, select: { id: true } });
    await refreshSearchDocuments(tx, [row.registrationId]);
    return version.id;
  });
}

export interface UnsignedPublication {
  ownerId: string;
  packageId: string;
  version: string;
  /** The package as uploaded, stored as is. */
  bytes: Uint8Array;
}

/**
 * A version as the gallery published one before it repository-signed what it publishes: the
 * uploaded (unsigned) file stored as it came, its publication logged with no repository
 * certificate, the uploaded SHA-512 equal to the served one (as migration 0007 left such rows).
 * What `npm run repo-sign:backfill` finds to sign.
 */
export async function createUnsignedPublishedVersion(
  db: Db,
  storage: PackageStorage,
  publication: UnsignedPublication,
): Promise<{ id: string; storageKey: string; sha512: string }> {
  const registration = await db.packageRegistration.upsert({
    where: { packageIdLower: publication.packageId.toLowerCase() },
    update: {},
    create: {
      packageId: publication.packageId,
      packageIdLower: publication.packageId.toLowerCase(),
      owners: { create: { userId: publication.ownerId } },
    },
  });
  const storageKey = publishedPackageKey(publication.packageId, publication.version);
  await storage.put(storageKey, Readable.from([Buffer.from(publication.bytes)]));
  const sha512 = createHash("sha512").update(publication.bytes).digest("base64");
  const publishedAt = new Date();
  const id = await createPublishedVersion(db, {
    registrationId: registration.id,
    version: publication.version,
    versionLower: publication.version.toLowerCase(),
    originalVersion: publication.version,
    isPrerelease: false,
    isSemVer2: false,
    description: "Published before repository signing.",
    authors: "Signet Tests",
    nuspecXml: "<package />",
    storageKey,
    packageSize: publication.bytes.byteLength,
    sha512,
    uploadedSha512: sha512,
    contentHash: sha512,
    signatureStatus: "UNSIGNED",
    provenSigningTime: publishedAt,
    provenSigningTimeSource: "RECEIVED",
    publisherId: publication.ownerId,
    publishedAt,
  });
  return { id, storageKey, sha512 };
}
