// The dependency graph view on a real database: resolution over the versions the gallery offers,
// each node's signing facts and flags, the missing packages, the verdicts per mode and the
// suggested nuget.config.

import { beforeAll, describe, expect, it } from "vitest";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";
import { authorSignedBy, seedReservation, seedUser, seedVersion } from "@/test/support/gallery-fixtures/seed-gallery";
import { loadGraphView } from "./dependency-graph";

const FEED = {
  serviceIndexUrl: "https://gallery.example.test/v3/index.json",
  sourceName: "gallery.example.test",
  repositoryServiceIndexUrl: "https://gallery.example.test/v3/index.json",
};
const NOW = new Date("2024-01-15T00:00:00Z");

const group = (dependencies: Record<string, string>, targetFramework?: string) => ({
  targetFramework,
  dependencies: Object.entries(dependencies).map(([id, range]) => ({ id, range })),
});

describe.each(testDialects())("loadGraphView on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  const contoso = authorSignedBy("Contoso Signing");
  const stolen = authorSignedBy("Stolen Signing");

  beforeAll(async () => {
    const db = database();
    await seedReservation(db, "Contoso.", ["alice"]);
    await seedVersion(db, {
      packageId: "Contoso.App",
      version: "1.0.0",
      owners: ["alice"],
      report: contoso,
      dependencyGroups: [
        group({ "Contoso.Core": "[1.0.0, 2.0.0)", "Fabrikam.Util": "1.0.0" }, "net8.0"),
        group({ "Contoso.Legacy": "1.0.0" }, ".NETFramework4.7.2"),
      ],
    });
    // Unlisted, and still the lowest version in range: restore reads the flat container's list, unlisted versions included.
    await seedVersion(db, {
      packageId: "Contoso.Core",
      version: "1.0.0",
      owners: ["alice"],
      listed: false,
      dependencyGroups: [group({ "Gone.Away": "1.0.0" })],
    });
    await seedVersion(db, { packageId: "Contoso.Core", version: "1.5.0", owners: ["alice"] });
    await seedVersion(db, { packageId: "Contoso.Core", version: "0.9.0", owners: ["alice"], listed: false });
    await seedVersion(db, {
      packageId: "Fabrikam.Util",
      version: "1.0.0",
      owners: ["mallory"],
      report: stolen,
      signerContinuity: "NEW_SIGNER",
      signerPreviousVersion: "0.9.0",
    });
    await seedVersion(db, { packageId: "Contoso.Legacy", version: "1.0.0", owners: ["alice"] });
    const alice = await seedUser(db, "alice");
    const certificate = await db.certificate.findUniqueOrThrow({
      where: { sha256Fingerprint: contoso.author?.signer?.sha256Fingerprint ?? "" },
    });
    await db.registeredCertificate.create({ data: { userId: alice.id, certificateId: certificate.id } });
    await db.certificate.update({
      where: { sha256Fingerprint: stolen.author?.signer?.sha256Fingerprint ?? "" },
      data: { compromisedAt: new Date("2020-01-01T00:00:00Z") },
    });
  });

  it("resolves the graph for the version's first framework and describes every package", async () => {
    const view = await loadGraphView(database(), FEED, "contoso.app", "1.0", undefined, NOW);
    expect(view).toMatchObject({
      packageId: "Contoso.App",
      version: "1.0.0",
      framework: "net8.0",
      frameworks: ["net8.0", "net472"],
    });
    expect(
      view?.nodes.map((node) => [node.id, node.version, node.depth, node.signing.kind, node.verified, node.flags]),
    ).toEqual([
      ["Contoso.App", "1.0.0", 1, "signed", true, []],
      ["Contoso.Core", "1.0.0", 2, "unsigned", true, ["unsigned"]],
      ["Fabrikam.Util", "1.0.0", 2, "compromised", false, ["compromised", "unregistered-signer", "signer-changed"]],
    ]);
    expect(view?.nodes[1]?.requestedBy).toEqual([{ parent: "Contoso.App", range: "≥ 1.0.0 && < 2.0.0" }]);
    expect(view?.missing).toEqual([
      {
        id: "Gone.Away",
        range: "≥ 1.0.0",
        code: "NU1101",
        requestedBy: [{ parent: "Contoso.Core", range: "≥ 1.0.0" }],
      },
    ]);
  });

  it("judges each package and the whole graph under each mode", async () => {
    const view = await loadGraphView(database(), FEED, "Contoso.App", "1.0.0", "net8.0", NOW);
    const secure = (id: string) =>
      view?.nodes.find((node) => node.id === id)?.verdicts.find((verdict) => verdict.mode === "secure");
    expect(secure("Contoso.App")).toMatchObject({ outcome: "accept" });
    expect(secure("Contoso.Core")).toMatchObject({ outcome: "refuse", code: "NU3004" });
    expect(secure("Fabrikam.Util")).toMatchObject({ outcome: "refuse", code: "NU3034" });
    // The missing package fails restore whatever the mode; the generated nuget.config maps it to
    // no source, so restore says NU1100 rather than NU1101.
    expect(view?.verdicts.map((verdict) => [verdict.mode, verdict.outcome, verdict.code])).toEqual([
      ["developer", "refuse", "NU1100"],
      ["default", "refuse", "NU1100"],
      ["secure", "refuse", "NU1100"],
    ]);
    expect(view?.verdicts[2]?.errorCodes).toEqual(["NU1100", "NU3004", "NU3034"]);
  });

  it("suggests trusting the registered author only, and maps every package to the gallery", async () => {
    const view = await loadGraphView(database(), FEED, "Contoso.App", "1.0.0", "net8.0", NOW);
    expect(view?.trust.signers).toEqual([
      { kind: "author", name: "Contoso Signing", fingerprints: [contoso.author?.signer?.sha256Fingerprint] },
    ]);
    expect(view?.trust.excluded).toEqual([{ packageId: "Fabrikam.Util", version: "1.0.0", reason: "compromised" }]);
    expect(view?.nugetConfigs.secure).toContain('<package pattern="Fabrikam.Util" />');
    expect(view?.nugetConfigs.secure).toContain(
      "Not on this gallery (restore fails until a source provides them): Gone.Away.",
    );
    expect(view?.nugetConfigs.secure).toContain('<author name="Contoso Signing">');
    expect(view?.nugetConfigs.secure).toContain('<add key="signatureValidationMode" value="require" />');
    expect(view?.nugetConfigs.default).toContain('<add key="signatureValidationMode" value="accept" />');
    expect(view?.nugetConfigs.default).not.toContain("<trustedSigners>");
  });

  it("follows the dependency group of the chosen framework", async () => {
    const view = await loadGraphView(database(), FEED, "Contoso.App", "1.0.0", ".NETFramework4.7.2", NOW);
    expect(view?.framework).toBe("net472");
    expect(view?.nodes.map((node) => node.id)).toEqual(["Contoso.App", "Contoso.Legacy"]);
    expect(view?.verdicts.map((verdict) => verdict.outcome)).toEqual(["accept", "accept", "refuse"]);
  });

  it("is null for what the gallery does not have", async () => {
    expect(await loadGraphView(database(), FEED, "Contoso.App", "9.9.9")).toBeNull();
    expect(await loadGraphView(database(), FEED, "No.Such.Package", "1.0.0")).toBeNull();
    expect(await loadGraphView(database(), FEED, "../etc", "1.0.0")).toBeNull();
    expect(await loadGraphView(database(), FEED, "Contoso.App", "not a version")).toBeNull();
  });
});
