// The gallery revision must move with every change a package page can show, and must not move
// when a change rolls back. A package page's stamp (what the page cache compares) must move with
// every change that page can show, and not with writes elsewhere, which would empty the cache.
import { describe, expect, it } from "vitest";
import { readGalleryRevision, readListingStamp, readPackagePageStamp } from "@/lib/db/revision";
import { refreshSearchDocuments, setPackageDownloads } from "@/lib/search/search-index";
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
    expect(
      await moves(
        async () => (userId = (await db.user.create({ data: { email: "r@example.test", username: "r" } })).id),
      ),
    ).toBe(true);
    let registrationId = "";
    expect(
      await moves(
        async () =>
          (registrationId = (
            await db.packageRegistration.create({ data: { packageId: "Rev.Pkg", packageIdLower: "rev.pkg" } })
          ).id),
      ),
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
    expect(await moves(() => db.packageVersion.update({ where: { id: versionId }, data: { listed: false } }))).toBe(
      true,
    );
    expect(
      await moves(() =>
        db.packageVersion.update({
          where: { id: versionId },
          data: { provenSigningTime: new Date("2026-10-01T00:00:00Z"), provenSigningTimeSource: "TIMESTAMP" },
        }),
      ),
    ).toBe(true);
    let reservationId = "";
    expect(
      await moves(
        async () =>
          (reservationId = (
            await db.prefixReservation.create({ data: { pattern: "Rev", patternLower: "rev", isPrefix: true } })
          ).id),
      ),
    ).toBe(true);
    expect(await moves(() => db.prefixReservationOwner.create({ data: { reservationId, userId } }))).toBe(true);
    expect(await moves(() => db.prefixReservationOwner.deleteMany({ where: { reservationId } }))).toBe(true);
    let certificateId = "";
    expect(
      await moves(
        async () =>
          (certificateId = (await db.certificate.create({ data: { sha256Fingerprint: "ab".repeat(32) } })).id),
      ),
    ).toBe(true);
    expect(
      await moves(() =>
        db.certificate.update({
          where: { id: certificateId },
          data: { compromisedAt: new Date(), compromisedReason: "key leaked" },
        }),
      ),
    ).toBe(true);
    expect(await moves(() => db.registeredCertificate.create({ data: { userId, certificateId } }))).toBe(true);
    expect(await moves(() => db.registeredCertificate.deleteMany({ where: { userId } }))).toBe(true);
    expect(await moves(() => db.prefixReservation.delete({ where: { id: reservationId } }))).toBe(true);
    expect(await moves(() => db.user.update({ where: { id: userId }, data: { displayName: "Renamed" } }))).toBe(true);
  });

  it("moves a package page's stamp with what the page shows, and not with other packages or sign-ups", async () => {
    const db = database();
    const stamp = () => readPackagePageStamp(db, "stamp.pkg");
    /** Runs a change and reports whether the stamp moved once it committed. */
    async function stampMoves(change: () => Promise<unknown>): Promise<boolean> {
      const before = await stamp();
      await change();
      return (await stamp()) !== before;
    }
    const owner = await db.user.create({ data: { email: "owner@example.test", username: "stamp-owner" } });
    const other = await db.user.create({ data: { email: "other@example.test", username: "stamp-other" } });
    const versionOf = (registrationId: string, version: string) => ({
      registrationId,
      version,
      versionLower: version,
      originalVersion: version,
      isPrerelease: false,
      isSemVer2: false,
      description: "d",
      authors: "a",
      nuspecXml: "<package />",
      storageKey: `packages/${registrationId}/${version}.nupkg`,
      packageSize: 1,
      sha512: fixtureSha512(`${registrationId}/${version}`),
      contentHash: "Y29udGVudA==",
      signatureStatus: "UNSIGNED" as const,
      provenSigningTime: new Date("2026-11-01T00:00:00Z"),
      provenSigningTimeSource: "RECEIVED" as const,
      publisherId: owner.id,
    });

    // Its 404 changes once the package exists.
    let registrationId = "";
    expect(
      await stampMoves(
        async () =>
          (registrationId = (
            await db.packageRegistration.create({ data: { packageId: "Stamp.Pkg", packageIdLower: "stamp.pkg" } })
          ).id),
      ),
    ).toBe(true);
    expect(await stampMoves(() => db.packageOwner.create({ data: { registrationId, userId: owner.id } }))).toBe(true);
    let versionId = "";
    expect(
      await stampMoves(async () => (versionId = await createPublishedVersion(db, versionOf(registrationId, "1.0.0")))),
    ).toBe(true);
    expect(
      await stampMoves(() => db.packageVersion.update({ where: { id: versionId }, data: { listed: false } })),
    ).toBe(true);
    // Deprecating a version, changing the deprecation and withdrawing it (the page shows each).
    expect(
      await stampMoves(() =>
        db.packageDeprecation.create({ data: { versionId, reasons: "Legacy", deprecatedById: owner.id } }),
      ),
    ).toBe(true);
    expect(
      await stampMoves(() => db.packageDeprecation.update({ where: { versionId }, data: { message: "Use 2.0." } })),
    ).toBe(true);
    expect(await stampMoves(() => db.packageDeprecation.delete({ where: { versionId } }))).toBe(true);

    // Writes that no page of this package shows.
    const unrelated = await db.packageRegistration.create({
      data: { packageId: "Elsewhere.Pkg", packageIdLower: "elsewhere.pkg" },
    });
    expect(await stampMoves(() => createPublishedVersion(db, versionOf(unrelated.id, "1.0.0")))).toBe(false);
    expect(
      await stampMoves(() => db.packageOwner.create({ data: { registrationId: unrelated.id, userId: other.id } })),
    ).toBe(false);
    expect(
      await stampMoves(() => db.user.create({ data: { email: "signup@example.test", username: "stamp-signup" } })),
    ).toBe(false);
    expect(await stampMoves(() => db.user.update({ where: { id: other.id }, data: { displayName: "Other" } }))).toBe(
      false,
    );

    // Gallery-wide facts the page shows: the owner's name, reservations, certificates.
    expect(
      await stampMoves(() => db.user.update({ where: { id: owner.id }, data: { username: "stamp-owner-renamed" } })),
    ).toBe(true);
    expect(
      await stampMoves(() =>
        db.prefixReservation.create({ data: { pattern: "Stamp", patternLower: "stamp", isPrefix: true } }),
      ),
    ).toBe(true);
    const certificate = await db.certificate.create({ data: { sha256Fingerprint: "cd".repeat(32) } });
    expect(
      await stampMoves(() =>
        db.certificate.update({
          where: { id: certificate.id },
          data: { compromisedAt: new Date(), compromisedReason: "key leaked" },
        }),
      ),
    ).toBe(true);
    expect(
      await stampMoves(() =>
        db.registeredCertificate.create({ data: { userId: owner.id, certificateId: certificate.id } }),
      ),
    ).toBe(true);
    let identityId = "";
    expect(
      await stampMoves(
        async () =>
          (identityId = (
            await db.signerIdentity.create({
              data: {
                userId: owner.id,
                kind: "ISSUER_SUBJECT",
                caFingerprint: "ef".repeat(32),
                matchKey: "stamp-identity",
              },
            })
          ).id),
      ),
    ).toBe(true);
    expect(
      await stampMoves(() =>
        db.signerIdentityCertificate.create({ data: { identityId, certificateId: certificate.id } }),
      ),
    ).toBe(true);
    // A package ID appearing (a dependency the page may now link).
    expect(
      await stampMoves(() =>
        db.packageRegistration.create({ data: { packageId: "Stamp.Dependency", packageIdLower: "stamp.dependency" } }),
      ),
    ).toBe(true);
  });

  it("moves the home and /packages stamp with the search index, and not with sign-ups or a package page's own facts", async () => {
    const db = database();
    /** Runs a change and reports whether the listing stamp moved once it committed. */
    async function listingMoves(change: () => Promise<unknown>): Promise<boolean> {
      const before = await readListingStamp(db);
      await change();
      return (await readListingStamp(db)) !== before;
    }
    const owner = await db.user.create({ data: { email: "lister@example.test", username: "lister" } });
    const second = await db.user.create({ data: { email: "second@example.test", username: "second-lister" } });
    const registration = await db.packageRegistration.create({
      data: { packageId: "Listed.Pkg", packageIdLower: "listed.pkg" },
    });
    await db.packageOwner.create({ data: { registrationId: registration.id, userId: owner.id } });
    const row = (version: string) => ({
      registrationId: registration.id,
      version,
      versionLower: version,
      originalVersion: version,
      isPrerelease: false,
      isSemVer2: false,
      description: "d",
      authors: "a",
      nuspecXml: "<package />",
      storageKey: `packages/listed.pkg/${version}.nupkg`,
      packageSize: 1,
      sha512: fixtureSha512(`listed.pkg/${version}`),
      contentHash: "Y29udGVudA==",
      signatureStatus: "UNSIGNED" as const,
      provenSigningTime: new Date("2026-11-01T00:00:00Z"),
      provenSigningTimeSource: "RECEIVED" as const,
      publisherId: owner.id,
    });
    /** A change to a package's rows followed by its search documents, in one transaction, as the gallery writes them. */
    const indexed = (change: (tx: Parameters<Parameters<typeof db.$transaction>[0]>[0]) => Promise<unknown>) =>
      db.$transaction(async (tx) => {
        await change(tx);
        await refreshSearchDocuments(tx, [registration.id]);
      });

    // Publish, unlist, relist, owner change, downloads: each rewrites what the listings show.
    let versionId = "";
    expect(await listingMoves(async () => (versionId = await createPublishedVersion(db, row("1.0.0"))))).toBe(true);
    expect(
      await listingMoves(() =>
        indexed((tx) => tx.packageVersion.update({ where: { id: versionId }, data: { listed: false } })),
      ),
    ).toBe(true);
    expect(
      await listingMoves(() =>
        indexed((tx) => tx.packageVersion.update({ where: { id: versionId }, data: { listed: true } })),
      ),
    ).toBe(true);
    expect(
      await listingMoves(() =>
        indexed((tx) => tx.packageOwner.create({ data: { registrationId: registration.id, userId: second.id } })),
      ),
    ).toBe(true);
    expect(
      await listingMoves(() => setPackageDownloads(db, [{ registrationId: registration.id, downloads: 42n }])),
    ).toBe(true);
    // Reservations and usernames (the home page lists reservations; cards name owners).
    expect(
      await listingMoves(() =>
        db.prefixReservation.create({ data: { pattern: "Listed", patternLower: "listed", isPrefix: true } }),
      ),
    ).toBe(true);
    expect(
      await listingMoves(() => db.user.update({ where: { id: second.id }, data: { username: "second-renamed" } })),
    ).toBe(true);
    // A change made in a transaction that rolls back leaves it.
    const rolledBack = () =>
      indexed(async (tx) => {
        await tx.packageVersion.update({ where: { id: versionId }, data: { listed: false } });
        throw new Error("rolled back on purpose");
      }).catch((failure: unknown) => expect(failure).toMatchObject({ message: "rolled back on purpose" }));
    expect(await listingMoves(rolledBack)).toBe(false);

    // Writes the listings do not show: a sign-up, a display name, a deprecation (shown on the package page only).
    expect(
      await listingMoves(() => db.user.create({ data: { email: "newcomer@example.test", username: "newcomer" } })),
    ).toBe(false);
    expect(await listingMoves(() => db.user.update({ where: { id: owner.id }, data: { displayName: "Lister" } }))).toBe(
      false,
    );
    expect(
      await listingMoves(() =>
        db.packageDeprecation.create({ data: { versionId, reasons: "Legacy", deprecatedById: owner.id } }),
      ),
    ).toBe(false);
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
    await db.auditLogEntry.create({
      data: { actorId: user.id, action: "test.action", targetType: "Test", targetId: "x" },
    });
    await db.uploadAttempt.create({ data: { uploaderId: user.id, source: "API", status: "REJECTED", fileSize: 1 } });
    expect(await readGalleryRevision(db)).toBe(before);
  });
});
