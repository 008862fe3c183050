// The registration hives (RegistrationsBaseUrl) and the flat container's version list, through
// their route handlers on a migrated database: the documents have the shapes the NuGet client
// deserialises (test/support/nuget-client-shapes.ts); unlisted versions are present with
// listed:false (and, for restore, in the flat container); SemVer 2 versions only in the /3.6.0
// hive; pages from 128 versions on; a 304 for an unchanged document and a fresh one after a
// change; 404s with a sentence. (Gzip is the server's, so e2e/dotnet-feed.spec.ts checks it.)
import { beforeAll, describe, expect, it } from "vitest";
import authorSigned from "@/test/support/gallery-fixtures/author-and-repository-signed.report.json";
import { seedVersion } from "@/test/support/gallery-fixtures/seed-gallery";
import type { SignatureReport } from "@/lib/signing/report";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import {
  registrationIndex,
  registrationLeafDocument,
  registrationPage,
  signetSignature,
} from "@/test/support/nuget-client-shapes";

type IndexRoute = typeof import("@/app/v3/[hive]/[id]/index.json/route");
type LeafRoute = typeof import("@/app/v3/[hive]/[id]/[leaf]/route");
type PageRoute = typeof import("@/app/v3/[hive]/[id]/page/[lower]/[upper]/route");
type VersionsRoute = typeof import("@/app/v3-flatcontainer/[id]/index.json/route");

const ORIGIN = "http://gallery.test";
const signedReport = authorSigned as SignatureReport;

interface Leaf {
  "@id": string;
  catalogEntry: Record<string, unknown> & { version: string; listed: boolean; published: string };
  packageContent: string;
  "signet:signature": unknown;
}
interface Page {
  "@id": string;
  count: number;
  lower: string;
  upper: string;
  items?: Leaf[];
}
interface Index {
  count: number;
  items: Page[];
}

describe.each(testDialects())("registration hives on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  let indexRoute: IndexRoute;
  let leafRoute: LeafRoute;
  let pageRoute: PageRoute;
  let versionsRoute: VersionsRoute;

  function getIndex(hive: string, id: string, headers: Record<string, string> = {}): Promise<Response> {
    return indexRoute.GET(new Request(`${ORIGIN}/v3/${hive}/${id}/index.json`, { headers }), {
      params: Promise.resolve({ hive, id }),
    });
  }

  async function readIndex(hive: string, id: string): Promise<Index> {
    const response = await getIndex(hive, id);
    expect(response.status).toBe(200);
    return registrationIndex.parse(await response.json()) as Index;
  }

  function leaves(index: Index): Leaf[] {
    return index.items.flatMap((page) => page.items ?? []);
  }

  beforeAll(async () => {
    indexRoute = await import("@/app/v3/[hive]/[id]/index.json/route");
    leafRoute = await import("@/app/v3/[hive]/[id]/[leaf]/route");
    pageRoute = await import("@/app/v3/[hive]/[id]/page/[lower]/[upper]/route");
    versionsRoute = await import("@/app/v3-flatcontainer/[id]/index.json/route");
    const db = database();
    await seedVersion(db, {
      packageId: "Contoso.Core",
      version: "1.0.0",
      owners: ["alice"],
      report: signedReport,
      tags: "json serializer",
      summary: "Core pieces",
      projectUrl: "https://contoso.example/core",
      licenseUrl: "javascript:alert(1)",
      dependencyGroups: [
        { targetFramework: "net8.0", dependencies: [{ id: "Contoso.Abstractions", range: "[1.0.0, 2.0.0)" }] },
        { targetFramework: null, dependencies: [{ id: "Anything.Goes", range: null }] },
      ],
      publishedAt: "2026-11-01T10:00:00Z",
    });
    await seedVersion(db, {
      packageId: "Contoso.Core",
      version: "1.1.0",
      owners: ["alice"],
      listed: false,
      publishedAt: "2026-11-02T10:00:00Z",
    });
    await seedVersion(db, {
      packageId: "Contoso.Core",
      version: "2.0.0-beta",
      owners: ["alice"],
      publishedAt: "2026-11-03T10:00:00Z",
    });
    await seedVersion(db, {
      packageId: "Contoso.Core",
      version: "2.0.0-rc.1+sha.5",
      owners: ["alice"],
      publishedAt: "2026-11-04T10:00:00Z",
    });
    await seedVersion(db, { packageId: "SemVer2.Only", version: "1.0.0-beta.1", owners: ["alice"] });
    for (let minor = 0; minor < 130; minor += 1) {
      await seedVersion(db, { packageId: "Many.Versions", version: `1.${minor}.0`, owners: ["bob"] });
    }
  }, 180_000);

  it("inlines every version in the index, each leaf with the fields the client reads", async () => {
    const index = await readIndex("registration-gz-semver2", "CONTOSO.CORE");
    expect(index.count).toBe(1);
    const [page] = index.items;
    expect(page).toMatchObject({
      "@id": `${ORIGIN}/v3/registration-gz-semver2/contoso.core/index.json#page/1.0.0/2.0.0-rc.1`,
      count: 4,
      lower: "1.0.0",
      upper: "2.0.0-rc.1",
      parent: `${ORIGIN}/v3/registration-gz-semver2/contoso.core/index.json`,
    });
    const [first] = leaves(index);
    expect(first).toMatchObject({
      "@id": `${ORIGIN}/v3/registration-gz-semver2/contoso.core/1.0.0.json`,
      packageContent: `${ORIGIN}/v3-flatcontainer/contoso.core/1.0.0/contoso.core.1.0.0.nupkg`,
      catalogEntry: {
        id: "Contoso.Core",
        version: "1.0.0",
        listed: true,
        published: "2026-11-01T10:00:00.000Z",
        authors: "Contoso Authors",
        description: "Contoso.Core does useful things.",
        summary: "Core pieces",
        tags: ["json", "serializer"],
        projectUrl: "https://contoso.example/core",
        licenseExpression: "MIT",
        requireLicenseAcceptance: false,
        vulnerabilities: [],
        dependencyGroups: [
          {
            targetFramework: "net8.0",
            dependencies: [
              expect.objectContaining({
                id: "Contoso.Abstractions",
                range: "[1.0.0, 2.0.0)",
                registration: `${ORIGIN}/v3/registration-gz-semver2/contoso.abstractions/index.json`,
              }),
            ],
          },
          {
            "@id": expect.any(String),
            "@type": "PackageDependencyGroup",
            dependencies: [expect.objectContaining({ id: "Anything.Goes", range: "(, )" })],
          },
        ],
      },
    });
    // Only http(s) links are passed on.
    expect(first?.catalogEntry).not.toHaveProperty("licenseUrl");
  });

  it("keeps unlisted versions with listed:false and nuget.org's 1900 publish date", async () => {
    const unlisted = leaves(await readIndex("registration-gz-semver2", "contoso.core")).find(
      (leaf) => leaf.catalogEntry.version === "1.1.0",
    );
    expect(unlisted?.catalogEntry).toMatchObject({ listed: false, published: "1900-01-01T00:00:00.000Z" });
  });

  it("leaves SemVer 2 versions out of the plain and /3.4.0 hives, and 404s when nothing is left", async () => {
    const semVer2 = leaves(await readIndex("registration-gz-semver2", "contoso.core")).map(
      (leaf) => leaf.catalogEntry.version,
    );
    expect(semVer2).toEqual(["1.0.0", "1.1.0", "2.0.0-beta", "2.0.0-rc.1+sha.5"]);
    for (const hive of ["registration", "registration-gz-semver1"]) {
      const index = await readIndex(hive, "contoso.core");
      expect(leaves(index).map((leaf) => leaf.catalogEntry.version)).toEqual(["1.0.0", "1.1.0", "2.0.0-beta"]);
      expect(index.items[0]?.upper).toBe("2.0.0-beta");
      expect(leaves(index)[0]?.["@id"]).toBe(`${ORIGIN}/v3/${hive}/contoso.core/1.0.0.json`);
      expect((await getIndex(hive, "SemVer2.Only")).status).toBe(404);
    }
    expect((await getIndex("registration-gz-semver2", "SemVer2.Only")).status).toBe(200);
  });

  it("carries each version's signing state as signet:signature", async () => {
    const [signed, unsigned] = leaves(await readIndex("registration", "contoso.core"));
    expect(signetSignature.parse(signed?.["signet:signature"])).toMatchObject({
      status: "signed",
      trusted: true,
      author: { sha256Fingerprint: signedReport.author?.signer?.sha256Fingerprint },
      repositorySigned: true,
    });
    // Fixture rows were never repository-signed: the file served is the file uploaded.
    const fileHash = signetSignature.parse(unsigned?.["signet:signature"]).publishedSha512;
    expect(unsigned?.["signet:signature"]).toEqual({
      status: "unsigned",
      trusted: false,
      author: null,
      repositorySigned: false,
      repository: null,
      publishedSha512: fileHash,
      uploadedSha512: fileHash,
    });
  });

  it("links pages of 64 by URL from 128 versions on, each page fetched with its leaves", async () => {
    const index = await readIndex("registration", "many.versions");
    expect(index.items.map((page) => [page.count, page.lower, page.upper, page.items === undefined])).toEqual([
      [64, "1.0.0", "1.63.0", true],
      [64, "1.64.0", "1.127.0", true],
      [2, "1.128.0", "1.129.0", true],
    ]);
    expect(index.items[1]?.["@id"]).toBe(`${ORIGIN}/v3/registration/many.versions/page/1.64.0/1.127.0.json`);
    const response = await pageRoute.GET(
      new Request(`${ORIGIN}/v3/registration/many.versions/page/1.64.0/1.127.0.json`),
      {
        params: Promise.resolve({ hive: "registration", id: "many.versions", lower: "1.64.0", upper: "1.127.0.json" }),
      },
    );
    expect(response.status).toBe(200);
    const page = registrationPage.parse(await response.json());
    expect(page.items?.map((leaf) => leaf.catalogEntry.version)).toHaveLength(64);
    expect(page.items?.[0]?.catalogEntry.version).toBe("1.64.0");
    expect(page).toMatchObject({ parent: `${ORIGIN}/v3/registration/many.versions/index.json` });

    const wrongBounds = await pageRoute.GET(new Request(`${ORIGIN}/x`), {
      params: Promise.resolve({ hive: "registration", id: "many.versions", lower: "1.0.0", upper: "1.2.0.json" }),
    });
    expect(wrongBounds.status).toBe(404);
    expect(await wrongBounds.json()).toEqual({
      error: { code: "NOT_FOUND", message: "'many.versions' has no registration page from 1.0.0 to 1.2.0." },
    });
  });

  it("serves a version's leaf on its own, and 404s for unknown versions, hives and file names", async () => {
    const leaf = (hive: string, id: string, file: string) =>
      leafRoute.GET(new Request(`${ORIGIN}/v3/${hive}/${id}/${file}`), {
        params: Promise.resolve({ hive, id, leaf: file }),
      });
    const response = await leaf("registration", "contoso.core", "1.1.json");
    expect(response.status).toBe(200);
    const document = registrationLeafDocument.parse(await response.json());
    expect(document).toMatchObject({
      "@id": `${ORIGIN}/v3/registration/contoso.core/1.1.0.json`,
      listed: false,
      published: "1900-01-01T00:00:00.000Z",
      registration: `${ORIGIN}/v3/registration/contoso.core/index.json`,
      "signet:signature": { status: "unsigned" },
    });
    expect((await leaf("registration", "contoso.core", "2.0.0-rc.1.json")).status).toBe(404);
    expect((await leaf("registration-gz-semver2", "contoso.core", "2.0.0-rc.1.json")).status).toBe(200);
    expect((await leaf("registration", "contoso.core", "9.0.0.json")).status).toBe(404);
    expect((await leaf("registration", "contoso.core", "1.0.0.xml")).status).toBe(404);
    expect((await leaf("registration", "contoso.core", "not-a-version.json")).status).toBe(404);
    expect((await getIndex("registration-gz-semver9", "contoso.core")).status).toBe(404);
    const missing = await getIndex("registration", "Contoso.Missing");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { code: "PACKAGE_NOT_FOUND", message: "There is no package with ID 'Contoso.Missing'." },
    });
  });

  it("answers 304 while the gallery is unchanged and a new document after a change", async () => {
    const first = await getIndex("registration", "contoso.core");
    const tag = first.headers.get("etag");
    expect(tag).toMatch(/^"\d+-/);
    expect(first.headers.get("cache-control")).toBe("public, no-cache");
    expect(first.headers.get("vary")).toBe("Accept-Encoding");
    const again = await getIndex("registration", "contoso.core", { "if-none-match": tag ?? "" });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(tag);
    await database().packageVersion.updateMany({ where: { versionLower: "2.0.0-beta" }, data: { listed: false } });
    const changed = await getIndex("registration", "contoso.core", { "if-none-match": tag ?? "" });
    expect(changed.status).toBe(200);
    const beta = leaves(registrationIndex.parse(await changed.json()) as Index).find(
      (leaf) => leaf.catalogEntry.version === "2.0.0-beta",
    );
    expect(beta?.catalogEntry.listed).toBe(false);
    await database().packageVersion.updateMany({ where: { versionLower: "2.0.0-beta" }, data: { listed: true } });
  });

  it("lists unlisted versions in the flat container, which restore reads even for an exact version", async () => {
    const response = await versionsRoute.GET(new Request(`${ORIGIN}/v3-flatcontainer/contoso.core/index.json`), {
      params: Promise.resolve({ id: "contoso.core" }),
    });
    expect(await response.json()).toEqual({ versions: ["1.0.0", "1.1.0", "2.0.0-beta", "2.0.0-rc.1"] });
  });
});
