// Signer continuity on both databases: decided at publish from the version published before and
// the accounts that registered both certificates, and filled by migration 0010 for versions that
// existed before it (in publishing order, with the registrations as they stand).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import type { SignatureReport } from "@/lib/signing/report";
import { authorSignedBy, seedUser, seedVersion } from "@/test/support/gallery-fixtures/seed-gallery";
import { listOwnedContinuityNotices, signerContinuityAtPublish } from "@/lib/packages/signer-continuity";
import { createScratchDatabase, testDialects, type ScratchDatabase } from "@/test/db/scratch";

async function certificateFor(db: Db, report: SignatureReport, owner: string): Promise<string> {
  const signer = report.author?.signer;
  if (!signer) throw new Error("signed reports only");
  const user = await seedUser(db, owner);
  const certificate = await db.certificate.upsert({
    where: { sha256Fingerprint: signer.sha256Fingerprint },
    update: {},
    create: { sha256Fingerprint: signer.sha256Fingerprint, subject: signer.subject },
  });
  await db.registeredCertificate.create({ data: { userId: user.id, certificateId: certificate.id } });
  return certificate.id;
}

/**
 * Versions of Contoso.Lib published an hour apart: unsigned, A, A, A' (registered by A's owner
 * too), B (registered by a stranger), unsigned. `beforeEach(certificateId)` runs before each is
 * published, as publishing would.
 */
async function publishHistory(
  db: Db,
  beforeEach: (certificateId: string | null) => Promise<void> = async () => undefined,
): Promise<string[]> {
  const [certificateA, renewedA, certificateB] = [
    authorSignedBy("Contoso A"),
    authorSignedBy("Contoso A renewed"),
    authorSignedBy("Mallory B"),
  ];
  const certificates = new Map<SignatureReport, string>([
    [certificateA, await certificateFor(db, certificateA, "alice")],
    [renewedA, await certificateFor(db, renewedA, "alice")],
    [certificateB, await certificateFor(db, certificateB, "mallory")],
  ]);
  const versions = [
    { version: "1.0.0", report: undefined },
    { version: "1.1.0", report: certificateA },
    { version: "1.2.0", report: certificateA },
    { version: "1.3.0", report: renewedA },
    { version: "2.0.0", report: certificateB },
    { version: "2.1.0", report: undefined },
  ];
  const ids: string[] = [];
  for (const [index, entry] of versions.entries()) {
    await beforeEach(entry.report ? (certificates.get(entry.report) ?? null) : null);
    ids.push(
      await seedVersion(db, {
        packageId: "Contoso.Lib",
        ...entry,
        owners: ["alice"],
        publishedAt: new Date(Date.UTC(2026, 0, 1, index)).toISOString(),
      }),
    );
  }
  return ids;
}

const EXPECTED = [
  ["FIRST", null],
  ["ADDED", "1.0.0"],
  ["UNCHANGED", "1.1.0"],
  ["NEW_CERTIFICATE", "1.2.0"],
  ["NEW_SIGNER", "1.3.0"],
  ["DROPPED", "2.0.0"],
];

describe.each(testDialects())("signer continuity on %s", (dialect) => {
  let scratch: ScratchDatabase;
  let db: Db | undefined;

  beforeEach(async () => {
    scratch = await createScratchDatabase(dialect);
  });

  afterEach(async () => {
    await db?.$disconnect();
    db = undefined;
    await scratch.drop();
  });

  it("is filled by the migration for versions published before it", async () => {
    await migrateDatabase(scratch.url);
    db = createDb(scratch.url);
    const ids = await publishHistory(db);
    // Take migration 0010 back out, so it meets these versions the way it met existing galleries.
    await db.$executeRawUnsafe('ALTER TABLE "PackageVersion" DROP COLUMN "signerContinuity"');
    await db.$executeRawUnsafe('ALTER TABLE "PackageVersion" DROP COLUMN "signerPreviousVersion"');
    if (dialect === "postgresql") await db.$executeRawUnsafe('DROP TYPE "SignerContinuity"');
    for (const index of [
      "PackageVersion_sha512_idx",
      "PackageVersion_contentHash_idx",
      "PackageVersion_uploadedSha512_idx",
    ])
      await db.$executeRawUnsafe(`DROP INDEX "${index}"`);
    await db.$executeRawUnsafe(
      `DELETE FROM "_signet_migrations" WHERE "name" = '0010_signer_continuity_and_hash_lookups'`,
    );
    expect(await migrateDatabase(scratch.url)).toEqual(["0010_signer_continuity_and_hash_lookups"]);
    const rows = await Promise.all(
      ids.map((id) =>
        db!.packageVersion.findUniqueOrThrow({
          where: { id },
          select: { signerContinuity: true, signerPreviousVersion: true },
        }),
      ),
    );
    expect(rows.map((row) => [row.signerContinuity, row.signerPreviousVersion])).toEqual(EXPECTED);

    // The owner's account lists the changes that deserve a notice, newest first; others see none of them.
    const alice = await seedUser(db, "alice");
    expect(
      (await listOwnedContinuityNotices(db, alice.id)).map((entry) => [
        entry.version,
        entry.continuity,
        entry.notice.level,
      ]),
    ).toEqual([
      ["2.1.0", "DROPPED", "warning"],
      ["2.0.0", "NEW_SIGNER", "warning"],
      ["1.3.0", "NEW_CERTIFICATE", "info"],
      ["1.1.0", "ADDED", "info"],
    ]);
    expect(await listOwnedContinuityNotices(db, (await seedUser(db, "mallory")).id)).toEqual([]);
  });

  it("is decided at publish against the version published just before", async () => {
    await migrateDatabase(scratch.url);
    db = createDb(scratch.url);
    const registration = await db.packageRegistration.create({
      data: { packageId: "Contoso.Lib", packageIdLower: "contoso.lib" },
    });
    const decided: Array<[string, string | null]> = [];
    await publishHistory(db, async (certificateId) => {
      const result = await db!.$transaction((tx) => signerContinuityAtPublish(tx, registration.id, certificateId));
      decided.push([result.signerContinuity, result.signerPreviousVersion]);
    });
    expect(decided).toEqual(EXPECTED);
  });
});
