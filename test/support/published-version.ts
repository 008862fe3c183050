// For tests and fixtures that write PackageVersion rows straight to the database: the row and
// its publication log entry in one transaction, as the upload pipeline writes them (the
// database refuses a version without its entry).
import { createHash } from "node:crypto";
import type { PackageVersionUncheckedCreateInput } from "@/generated/prisma/sqlite/models/PackageVersion";
import type { Db } from "@/lib/db";
import type { SignatureReport } from "@/lib/signing/report";
import { logPublication } from "@/lib/tlog/record";

/** A well-formed SHA-512 (base64) standing for a file a fixture does not write. */
export function fixtureSha512(text: string): string {
  return createHash("sha512").update(text).digest("base64");
}

export type PublishedVersionRow = Omit<PackageVersionUncheckedCreateInput, "logIndex">;

/** Logs the publication and creates the row; returns the row's id. */
export async function createPublishedVersion(db: Db, row: PublishedVersionRow): Promise<string> {
  return db.$transaction(async (tx) => {
    const registration = await tx.packageRegistration.findUniqueOrThrow({ where: { id: row.registrationId }, select: { packageId: true } });
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
    return version.id;
  });
}
