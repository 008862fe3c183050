// The gallery revision must move with every change a package page can show (the page cache
// trusts it to know when a cached page is stale), and must not move when a change rolls back.
import { describe, expect, it } from "vitest";
import { readGalleryRevision } from "@/lib/db/revision";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";
import { createPublishedVersion, fixtureSha512 } from "@/test/support/published-version";

describe.each(testDialects())("gallery revision on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);

  /** Runs a change and reports whether the revision moved once it committed. */
  async function moves(change: () => Promise<unknown>): Promise<boolean> {
    const before = await readGalleryRevision(database());
    await change();
    return (await readGalleryRevision(database())) > before;
  }

  it("moves when accounts, packages, owners, versions, reservations and certificates change", async () => {
    const db = database();
    let userId = "";
    expect(await moves(async () => (userId = (await db.user.create({ data: { email: "r@example.test", username: "r" } })).id))).toBe(true);
    let registrationId = "";
    expect(
      await moves(async () => (registrationId = (await db.packageRegistration.create({ data: { packageId: "Rev.Pkg", packageIdLower: "rev.pkg" } })).id)),
    ).toBe(true);
    expect(await moves(() => db.packageOwner.create({ data: { registrationId, userId } }))).toBe(true);
    const version = {
      registrationId,
      version: "1.0.0",
      versionLower: "1.0.0",
      originalVersion: "1.0.0",
      isPrerelease: false,
      isSemVer2: false,
      description: "d",
      authors: "a",
      nuspecXml: "<package />",
      storageKey: "packages/rev.pkg/1.0.0/rev.pkg.1.0.0.nupkg",
      packageSize: 1,
      sha512: fixtureSha512("rev.pkg/1.0.0"),
      contentHash: "Y29udGVudA==",
      signatureStatus: "UNSIGNED" as const,
      provenSigningTime: new Date("2026-11-01T00:00:00Z"),
      provenSigningTimeSource: "RECEIVED" as const,
      publisherId: userId,
    };
    let versionId = "";
    expect(await moves(async () => (versionId = await createPublishedVersion(db, version)))).toBe(true);
    expect(await moves(() => db.packageVersion.update({ where: { id: versionId }, data: { listed: false } }))).toBe(true);
    expect(
      await moves(() => db.packageVersion.update({ where: { id: versionId }, data: { provenSigningTime: new Date("2026-10-01T00:00:00Z"), provenSigningTimeSource: "TIMESTAMP" } })),
    ).toBe(true);
    let reservationId = "";
    expect(
      await moves(async () => (reservationId = (await db.prefixReservation.create({ data: { pattern: "Rev", patternLower: "rev", isPrefix: true } })).id)),
    ).toBe(true);
    expect(await moves(() => db.prefixReservationOwner.create({ data: { reservationId, userId } }))).toBe(true);
    expect(await moves(() => db.prefixReservationOwner.deleteMany({ where: { reservationId } }))).toBe(true);
    let certificateId = "";
    expect(await moves(async () => (certificateId = (await db.certificate.create({ data: { sha256Fingerprint: "ab".repeat(32) } })).id))).toBe(true);
    expect(await moves(() => db.certificate.update({ where: { id: certificateId }, data: { compromisedAt: new Date(), compromisedReason: "key leaked" } }))).toBe(true);
    expect(await moves(() => db.registeredCertificate.create({ data: { userId, certificateId } }))).toBe(true);
    expect(await moves(() => db.registeredCertificate.deleteMany({ where: { userId } }))).toBe(true);
    expect(await moves(() => db.prefixReservation.delete({ where: { id: reservationId } }))).toBe(true);
    expect(await moves(() => db.user.update({ where: { id: userId }, data: { displayName: "Renamed" } }))).toBe(true);
  });

  it("does not move for a change that rolls back, nor for upload attempts and audit entries", async () => {
    const db = database();
    const user = await db.user.create({ data: { email: "s@example.test", username: "s" } });
    const before = await readGalleryRevision(db);
    const rolledBack = db.$transaction(async (tx) => {
      await tx.packageRegistration.create({ data: { packageId: "Rev.Gone", packageIdLower: "rev.gone" } });
      throw new Error("rolled back on purpose");
    });
    await expect(rolledBack).rejects.toThrow("rolled back on purpose");
    await db.auditLogEntry.create({ data: { actorId: user.id, action: "test.action", targetType: "Test", targetId: "x" } });
    await db.uploadAttempt.create({ data: { uploaderId: user.id, source: "API", status: "REJECTED", fileSize: 1 } });
    expect(await readGalleryRevision(db)).toBe(before);
  });
});
