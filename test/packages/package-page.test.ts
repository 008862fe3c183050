import { beforeAll, describe, expect, it } from "vitest";
import type { SignatureReport } from "@/lib/signing/report";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";
import authorSigned from "@/test/support/gallery-fixtures/author-and-repository-signed.report.json";
import { seedReservation, seedUser, seedVersion } from "@/test/support/gallery-fixtures/seed-gallery";
import { downloadUrl, loadPackagePage } from "@/lib/packages/package-page";
import { renderUnrenderedReadmes } from "@/lib/packages/readme-backfill";

const FEED = {
  serviceIndexUrl: "https://gallery.example.test/v3/index.json",
  sourceName: "gallery.example.test",
  repositoryServiceIndexUrl: "https://gallery.example.test/v3/index.json",
};
const NOW = new Date("2024-01-15T00:00:00Z");
const signedReport = authorSigned as SignatureReport;
const signerFingerprint = signedReport.author!.signer!.sha256Fingerprint;

describe.each(testDialects())("loadPackagePage on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);

  beforeAll(async () => {
    const db = database();
    await seedReservation(db, "Contoso.", ["alice"]);
    await seedVersion(db, {
      packageId: "Contoso.Core",
      version: "0.9.0",
      owners: ["alice", "bob"],
      publishedAt: "2026-10-01T00:00:00Z",
    });
    await seedVersion(db, {
      packageId: "Contoso.Core",
      version: "1.0.0",
      owners: ["alice", "bob"],
      report: signedReport,
      tags: "json, serializer  fast",
      projectUrl: "javascript:alert(1)",
      licenseUrl: "https://example.test/license",
      readme: "# Contoso Core\n\n<img src=x onerror=alert(1)>",
      dependencyGroups: [
        {
          targetFramework: "net8.0",
          dependencies: [
            { id: "contoso.core", range: "[0.9.0, )" },
            { id: "Elsewhere.Lib", range: "[2.0.0]" },
          ],
        },
      ],
      publishedAt: "2026-11-01T00:00:00Z",
    });
    await seedVersion(db, {
      packageId: "Contoso.Core",
      version: "2.0.0-beta.1",
      owners: ["alice"],
      publishedAt: "2026-11-10T00:00:00Z",
      signerContinuity: "DROPPED",
      signerPreviousVersion: "1.1.0",
    });
    await seedVersion(db, {
      packageId: "Contoso.Core",
      version: "1.1.0",
      owners: ["alice"],
      listed: false,
      publishedAt: "2026-11-05T00:00:00Z",
    });
    const bob = await seedUser(db, "bob");
    const certificate = await db.certificate.findUniqueOrThrow({ where: { sha256Fingerprint: signerFingerprint } });
    await db.registeredCertificate.create({ data: { userId: bob.id, certificateId: certificate.id } });
  });

  it("shows the latest listed stable version by default, with the versions table", async () => {
    const page = await loadPackagePage(database(), "contoso.core", undefined, { feed: FEED });
    expect(page).toMatchObject({
      packageId: "Contoso.Core",
      version: "1.0.0",
      isLatest: true,
      owners: ["alice", "bob"],
    });
    expect(page?.versions.map((row) => [row.version, row.signing.kind, row.current])).toEqual([
      ["2.0.0-beta.1", "unsigned", false],
      ["1.0.0", "signed", true],
      ["0.9.0", "unsigned", false],
    ]);
  });

  it("gives the signer panel, who registered the certificate and the verified reason", async () => {
    const page = await loadPackagePage(database(), "Contoso.Core", "1.0", { feed: FEED });
    expect(page?.signing).toEqual({ kind: "signed", signerName: "Microsoft Corporation" });
    expect(page?.signer?.author?.signer?.sha256Fingerprint).toBe(signerFingerprint);
    expect(page?.certificateRegisteredBy).toEqual(["bob"]);
    expect(page?.verification).toEqual({
      verified: true,
      sentence: "Verified: the ID prefix Contoso.* is reserved for package owner alice.",
    });
  });

  it("says what each consumer policy does with the version, and why", async () => {
    const signed = await loadPackagePage(database(), "Contoso.Core", "1.0.0", { feed: FEED, now: NOW });
    expect(signed?.verdicts.map((verdict) => [verdict.mode, verdict.outcome, verdict.code])).toEqual([
      ["developer", "accept", null],
      ["default", "accept", null],
      ["secure", "accept", null],
    ]);
    expect(signed?.verdicts[2]?.sentence).toBe(
      "Accepted: it is signed by Microsoft Corporation, a trusted signer in the suggested configuration, and the signature verifies.",
    );
    const unsigned = await loadPackagePage(database(), "Contoso.Core", "0.9.0", { feed: FEED, now: NOW });
    expect(unsigned?.verdicts.map((verdict) => [verdict.mode, verdict.outcome, verdict.code])).toEqual([
      ["developer", "accept", null],
      ["default", "accept", null],
      ["secure", "refuse", "NU3004"],
    ]);
  });

  it("carries the signer continuity recorded at publish, with a notice when it matters", async () => {
    const dropped = await loadPackagePage(database(), "Contoso.Core", "2.0.0-beta.1", { feed: FEED, now: NOW });
    expect(dropped?.continuity).toEqual({
      value: "DROPPED",
      previousVersion: "1.1.0",
      notice: { level: "warning", sentence: "Not author-signed, although 1.1.0 was: the signature was dropped." },
    });
    expect(
      (await loadPackagePage(database(), "Contoso.Core", "1.0.0", { feed: FEED, now: NOW }))?.continuity.notice,
    ).toBeNull();
  });

  it("shows the readme HTML stored at publish without rendering it; a readme published before that shows as text until db:migrate renders it", async () => {
    const db = database();
    const stored = await seedVersion(db, {
      packageId: "Contoso.Readme",
      version: "2.0.0",
      owners: ["alice"],
      readme: "# Readme",
    });
    // What the page shows is the stored HTML, not the text rendered again.
    await db.packageVersion.update({ where: { id: stored }, data: { readmeHtml: "<p>as rendered at publish</p>" } });
    expect((await loadPackagePage(db, "Contoso.Readme", "2.0.0", { feed: FEED }))?.metadata.readme).toEqual({
      html: "<p>as rendered at publish</p>",
    });

    const earlier = await seedVersion(db, {
      packageId: "Contoso.Readme",
      version: "1.0.0",
      owners: ["alice"],
      readme: "# Old <script>x</script>",
    });
    await db.packageVersion.update({ where: { id: earlier }, data: { readmeHtml: null } });
    expect((await loadPackagePage(db, "Contoso.Readme", "1.0.0", { feed: FEED }))?.metadata.readme).toEqual({
      text: "# Old <script>x</script>",
    });
    expect(await renderUnrenderedReadmes(db)).toBe(1);
    // Shown as text, the page was not kept: the rendered HTML shows as soon as it is stored.
    expect((await loadPackagePage(db, "Contoso.Readme", "1.0.0", { feed: FEED }))?.metadata.readme).toEqual({
      html: "<h3>Old </h3>\n",
    });
  });

  it("shows metadata safely: web links only, split tags, readme as sanitized HTML", async () => {
    const page = await loadPackagePage(database(), "Contoso.Core", "1.0.0", { feed: FEED });
    expect(page?.metadata).toMatchObject({
      projectUrl: null,
      licenseUrl: "https://example.test/license",
      tags: ["json", "serializer", "fast"],
    });
    expect(page?.metadata.readme).toEqual({ html: "<h3>Contoso Core</h3>\n<img>" });
    expect(page?.dependencyGroups).toEqual([
      {
        targetFramework: "net8.0",
        dependencies: [
          { id: "contoso.core", range: "≥ 0.9.0", galleryId: "Contoso.Core" },
          { id: "Elsewhere.Lib", range: "= 2.0.0", galleryId: null },
        ],
      },
    ]);
    // Contoso.* is reserved, so that is what a nuget.config maps to this gallery.
    expect(page?.mappingPatterns).toEqual(["Contoso.*"]);
    expect(page?.downloadUrl).toBe("/v3-flatcontainer/contoso.core/1.0.0/contoso.core.1.0.0.nupkg");
  });

  it("shows no signer panel for an unsigned version, even with the engine's 'unsigned' report stored", async () => {
    const unsignedReport: SignatureReport = {
      status: "unsigned",
      packageHashAlgorithm: null,
      integrity: null,
      author: null,
      repository: null,
      issues: [],
    };
    await seedVersion(database(), {
      packageId: "Plain.Package",
      version: "1.0.0",
      owners: ["carol"],
      report: unsignedReport,
    });
    const page = await loadPackagePage(database(), "Plain.Package", undefined, { feed: FEED });
    expect(page).toMatchObject({
      signing: { kind: "unsigned" },
      signer: null,
      certificateRegisteredBy: [],
      verification: { verified: false },
    });
    // No reservation covers it: a nuget.config maps the ID itself.
    expect(page?.mappingPatterns).toEqual(["Plain.Package"]);
  });

  it("names the publication log entry of the version it shows", async () => {
    // Seeded in this order: 0.9.0, 1.0.0, 2.0.0-beta.1, 1.1.0.
    expect((await loadPackagePage(database(), "Contoso.Core", "1.0.0"))?.logIndex).toBe(1);
    expect((await loadPackagePage(database(), "Contoso.Core", "1.1.0"))?.logIndex).toBe(3);
  });

  it("opens an unlisted version by its URL and marks it", async () => {
    const page = await loadPackagePage(database(), "Contoso.Core", "1.1.0", { feed: FEED });
    expect(page).toMatchObject({ version: "1.1.0", listed: false, isLatest: false, signer: null });
    expect(page?.versions.find((row) => row.current)?.version).toBe("1.1.0");
  });

  it("reads compromise fresh: a certificate flagged before the signing time is never trusted", async () => {
    const db = database();
    await db.certificate.update({
      where: { sha256Fingerprint: signerFingerprint },
      data: { compromisedAt: new Date("2023-01-01T00:00:00Z"), compromisedReason: "Key leaked" },
    });
    const page = await loadPackagePage(db, "Contoso.Core", "1.0.0", { feed: FEED });
    expect(page?.signing.kind).toBe("compromised");
    expect(page?.compromisedReason).toBe("Key leaked");
    expect(page?.verdicts.find((verdict) => verdict.mode === "secure")).toMatchObject({
      outcome: "refuse",
      code: "NU3034",
    });
    await db.certificate.update({
      where: { sha256Fingerprint: signerFingerprint },
      data: { compromisedAt: null, compromisedReason: null },
    });
  });

  it("shows downloads as the roll-up counted them: the package total, each version's, and the last 30 UTC days", async () => {
    const db = database();
    const { DownloadCounter, rollUpDownloads } = await import("@/lib/jobs/downloads");
    const versions = await db.packageVersion.findMany({
      where: { registration: { packageIdLower: "contoso.core" } },
      select: { id: true, registrationId: true, version: true },
    });
    const versionId = (version: string) => versions.find((row) => row.version === version)!.id;
    const registrationId = versions[0]!.registrationId;
    // Publishing indexes the package for search, which keeps its total; seeded versions are not.
    await db.searchPackageStats.upsert({
      where: { registrationId },
      create: { registrationId, listedVersions: 3, trustedVersions: 1 },
      update: {},
    });
    const counter = new DownloadCounter(() => db, 3_600_000);
    for (let i = 0; i < 3; i += 1)
      counter.count({ registrationId, packageVersionId: versionId("1.0.0") }, new Date("2024-01-14T12:00:00Z"));
    counter.count({ registrationId, packageVersionId: versionId("0.9.0") }, new Date("2024-01-15T00:00:00Z"));
    // Older than the days shown: in the totals only.
    counter.count({ registrationId, packageVersionId: versionId("0.9.0") }, new Date("2023-12-01T00:00:00Z"));
    await counter.flush();
    await rollUpDownloads(db);

    const page = await loadPackagePage(db, "Contoso.Core", undefined, { feed: FEED, now: NOW });
    expect(page?.versions.map((row) => [row.version, row.downloads])).toEqual([
      ["2.0.0-beta.1", 0],
      ["1.0.0", 3],
      ["0.9.0", 2],
    ]);
    expect(page?.downloads.total).toBe(5);
    expect(page?.downloads.perDay).toHaveLength(30);
    expect(page?.downloads.perDay[0]).toEqual({ day: "2023-12-17", downloads: 0 });
    expect(page?.downloads.perDay.slice(-2)).toEqual([
      { day: "2024-01-14", downloads: 3 },
      { day: "2024-01-15", downloads: 1 },
    ]);
    expect(page?.downloads.perDay.reduce((sum, day) => sum + day.downloads, 0)).toBe(4);
  });

  it("is null for unknown or malformed IDs and versions", async () => {
    const db = database();
    for (const [id, version] of [
      ["Nobody.Here", undefined],
      ["..", undefined],
      ["a/b", undefined],
      ["x".repeat(500), undefined],
      ["Contoso.Core", "9.9.9"],
      ["Contoso.Core", ".."],
      ["Contoso.Core", "1.0.0/../2"],
      ["Ünïcödé.Package", undefined],
    ] as const) {
      expect(await loadPackagePage(db, id, version, { feed: FEED }), `${id} ${version}`).toBeNull();
    }
  });
});

describe("downloadUrl", () => {
  it("uses the flat-container layout in lower case", () => {
    expect(downloadUrl("Contoso.Core", "2.0.0-Beta.1")).toBe(
      "/v3-flatcontainer/contoso.core/2.0.0-beta.1/contoso.core.2.0.0-beta.1.nupkg",
    );
  });
});
