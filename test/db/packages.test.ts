import { describe, expect, it } from "vitest";
import { countGallery } from "@/lib/search/gallery-counts";
import { markCertificateCompromised } from "@/lib/admin/certificates";
import { DEFAULT_SEARCH, searchPackages } from "@/lib/search/search";
import { refreshSearchDocuments } from "@/lib/search/search-index";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";
import { createPublishedVersion, fixtureSha512 } from "@/test/support/published-version";

describe.each(testDialects())("countGallery on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);

  async function publish(
    packageId: string,
    version: string,
    publishedAt: string,
    listed = true,
    signerCertificateId: string | null = null,
  ) {
    const publisher = await database().user.upsert({
      where: { email: "publisher@example.test" },
      update: {},
      create: { email: "publisher@example.test", username: "publisher" },
    });
    const registration = await database().packageRegistration.upsert({
      where: { packageIdLower: packageId.toLowerCase() },
      update: {},
      create: { packageId, packageIdLower: packageId.toLowerCase() },
    });
    await createPublishedVersion(database(), {
      registrationId: registration.id,
      version,
      versionLower: version.toLowerCase(),
      originalVersion: version,
      isPrerelease: version.includes("-"),
      isSemVer2: false,
      listed,
      description: `${packageId} ${version}`,
      authors: "Contoso",
      nuspecXml: "<package />",
      storageKey: `packages/${packageId.toLowerCase()}/${version}.nupkg`,
      packageSize: 1024,
      sha512: fixtureSha512(`${packageId}/${version}`),
      contentHash: "Y29udGVudA==",
      signatureStatus: "VALID",
      signerCertificateId,
      provenSigningTime: new Date(publishedAt),
      provenSigningTimeSource: "RECEIVED",
      publisherId: publisher.id,
      publishedAt: new Date(publishedAt),
    });
    // As the upload pipeline does, in its transaction: the counts are the index's.
    await refreshSearchDocuments(database(), [registration.id]);
  }

  it("counts nothing before anything is published", async () => {
    expect(await countGallery(database())).toEqual({ packages: 0, listedVersions: 0, signedVersions: 0 });
  });

  it("counts packages and versions that are listed, and the validly signed ones", async () => {
    await publish("Contoso.Utils", "1.0.0", "2026-11-01T10:00:00Z");
    await publish("Contoso.Utils", "1.1.0", "2026-11-03T10:00:00Z");
    await publish("Fabrikam.Core", "2.0.0-beta", "2026-11-02T10:00:00Z");
    await publish("Fabrikam.Core", "2.0.0", "2026-11-04T10:00:00Z", false);
    // Fabrikam.Core has a listed prerelease, so it counts; its unlisted 2.0.0 does not.
    expect(await countGallery(database())).toEqual({ packages: 2, listedVersions: 3, signedVersions: 3 });
  });

  it("leaves out of the signed count exactly the versions a badge shows as compromised", async () => {
    const db = database();
    const certificate = await db.certificate.create({
      data: { sha256Fingerprint: "ef".repeat(32), subject: "CN=Stolen" },
    });
    await publish("Stolen.Key", "1.0.0", "2026-11-05T09:59:59.999Z", true, certificate.id);
    await publish("Stolen.Key", "1.1.0", "2026-11-05T10:00:00.000Z", true, certificate.id);
    await publish("Stolen.Key", "1.2.0", "2026-11-06T10:00:00.000Z", true, certificate.id);
    expect((await countGallery(db)).signedVersions).toBe(6);
    const publisherId = (await db.user.findUniqueOrThrow({ where: { username: "publisher" } })).id;
    await markCertificateCompromised(db, publisherId, certificate.id, {
      compromisedAt: "2026-11-05T10:00:00.000Z",
      reason: "Key stolen",
    });
    expect((await countGallery(db)).signedVersions).toBe(4);
    // The badge of the shown version agrees: Stolen.Key shows 1.2.0, proven signed after the mark.
    const { hits } = await searchPackages(db, { ...DEFAULT_SEARCH, text: "Stolen.Key" });
    expect(hits[0]?.shown).toMatchObject({ version: "1.2.0", signing: { kind: "compromised" } });
  });
});
