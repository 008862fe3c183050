import { beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import authorSigned from "@/test/support/gallery-fixtures/author-and-repository-signed.report.json";
import { seedReservation, seedVersion } from "@/test/support/gallery-fixtures/seed-gallery";
import tampered from "@/test/support/gallery-fixtures/tampered.report.json";
import type { SignatureReport } from "@/lib/signing/report";
import { isVerifiedPackage } from "@/lib/validation/rules/prefix-reservation";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";
import { fixtureSha512 } from "@/test/support/published-version";
import { readAllReservations } from "@/lib/packages/page-queries";
import {
  DEFAULT_SEARCH,
  searchPackages,
  type CandidateWalk,
  type PackageSearchQuery,
  type SearchBounds,
} from "./search";
import type { Db } from "@/lib/db";
import { PostgresReadPool } from "@/lib/db/postgres-reads";
import { SqliteReadPool } from "@/lib/db/read-pool";
import { compactSearchIndex, setPackageDownloads } from "./search-index";

const signedReport = authorSigned as SignatureReport;
const query = (overrides: Partial<PackageSearchQuery>): PackageSearchQuery => ({
  ...DEFAULT_SEARCH,
  take: 100,
  ...overrides,
});
/** Rolls up these downloads by package ID; every other package has none. */
/** One version of each package, owned by tess, then each package's downloads. */
async function seedDownloaded(
  db: Db,
  downloads: Record<string, number>,
  versionOf: (packageId: string) => { version?: string; description: string },
): Promise<void> {
  for (const packageId of Object.keys(downloads))
    await seedVersion(db, { packageId, version: "1.0.0", owners: ["tess"], ...versionOf(packageId) });
  await setDownloadsById(db, downloads);
}

async function setDownloadsById(db: Db, downloads: Record<string, number>): Promise<void> {
  const registrations = await db.packageRegistration.findMany({ select: { id: true, packageId: true } });
  await setPackageDownloads(
    db,
    registrations.map((registration) => ({
      registrationId: registration.id,
      downloads: BigInt(downloads[registration.packageId] ?? 0),
    })),
  );
}

/**
 * On PostgreSQL, ANALYZE's statistics of the database, read now through fresh modules: statistics
 * read once stay for minutes (word-frequencies.ts), and other tests' databases have none.
 */
async function withFreshStatistics(db: Db) {
  await db.$executeRawUnsafe(`ANALYZE "SearchDocument"`);
  vi.resetModules();
  const frequencies = await import("./word-frequencies");
  await frequencies.readCommonWords(db);
  return { ...frequencies, fresh: await import("./search") };
}

/** The statements of a spied `$queryRaw` that count matches: those with subsets or the matches as CTEs. */
function countStatements(reads: MockInstance): string[] {
  return reads.mock.calls
    .map(([statement]) => String((statement as { sql?: unknown }).sql))
    .filter((sql) => /"(subset\d|matches)" AS MATERIALIZED/.test(sql));
}

/** What NuGet clients ask for by default: stable, SemVer 1, the highest version shown. */
const clientQuery = (overrides: Partial<PackageSearchQuery>): PackageSearchQuery =>
  query({ includePrerelease: false, includeSemVer2: false, preferStable: false, ...overrides });

describe.each(testDialects())("searchPackages on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  const ids = async (overrides: Partial<PackageSearchQuery>) =>
    (await searchPackages(database(), query(overrides))).hits.map((hit) => hit.packageId);

  beforeAll(async () => {
    const db = database();
    await seedReservation(db, "Contoso.", ["alice"]);
    await seedReservation(db, "Fabrikam_Exact", ["bob"], { isPrefix: false });
    await seedVersion(db, {
      packageId: "Contoso.Signed",
      version: "1.0.0",
      owners: ["alice"],
      report: signedReport,
      tags: "json serializer",
    });
    await seedVersion(db, {
      packageId: "Contoso.Unsigned",
      version: "2.0.0",
      owners: ["alice"],
      title: "Contoso Handy Tools",
      summary: "Small helpers for big jobs",
      authors: "Jane Doe",
    });
    // Signed once, but the version shown (the highest) is not: not "signed only".
    await seedVersion(db, { packageId: "Contoso.Lapsed", version: "1.0.0", owners: ["carol"], report: signedReport });
    await seedVersion(db, { packageId: "Contoso.Lapsed", version: "1.1.0", owners: ["carol"] });
    await seedVersion(db, {
      packageId: "Fabrikam_Exact",
      version: "3.0.0",
      owners: ["bob"],
      report: tampered as SignatureReport,
      description: "100% pure LIKE_wildcards",
    });
    await seedVersion(db, { packageId: "Hidden.Package", version: "1.0.0", owners: ["alice"], listed: false });
    for (let index = 0; index < 23; index += 1) {
      const day = String(index + 1).padStart(2, "0");
      await seedVersion(db, {
        packageId: `Many.Package${String(index).padStart(2, "0")}`,
        version: "1.0.0",
        owners: ["dave"],
        publishedAt: `2026-10-${day}T00:00:00Z`,
      });
    }
    await seedVersion(db, { packageId: "Preview.Only", version: "0.9.0-alpha", owners: ["erin"] });
    await seedVersion(db, { packageId: "Preview.Only", version: "1.0.0-beta.1", owners: ["erin"] });
    await seedVersion(db, { packageId: "Metadata.Only", version: "1.0.0+sha.abc", owners: ["erin"] });
    await seedVersion(db, { packageId: "Mixed.Versions", version: "1.0.0", owners: ["frank"] });
    await seedVersion(db, { packageId: "Mixed.Versions", version: "1.5.0+build.7", owners: ["frank"] });
    await seedVersion(db, { packageId: "Mixed.Versions", version: "2.0.0-beta", owners: ["frank"] });
    await seedVersion(db, { packageId: "Mixed.Versions", version: "3.0.0", owners: ["frank"], listed: false });
    await seedVersion(db, {
      packageId: "Tool.Package",
      version: "1.0.0",
      owners: ["frank"],
      packageTypes: ["DotnetTool"],
      publishedAt: "2026-12-01T00:00:00Z",
    });
    await seedVersion(db, {
      packageId: "Aa.Legacy",
      version: "1.0.0",
      owners: ["frank"],
      packageTypes: ["Legacy Dependency"],
    });
    await seedVersion(db, { packageId: "NotJson", version: "1.0.0", owners: ["grace"] });
    await seedVersion(db, { packageId: "Json.Extensions", version: "1.0.0", owners: ["grace"] });
    await seedVersion(db, { packageId: "Json", version: "1.0.0", owners: ["grace"] });
  });

  it("finds by ID, title, tags, description, summary, authors and owner, case-insensitively, never unlisted versions", async () => {
    expect(await ids({ text: "CONTOSO.SIGNED" })).toEqual(["Contoso.Signed"]);
    expect(await ids({ text: "handy tools" })).toEqual(["Contoso.Unsigned"]);
    expect(await ids({ text: "Serializer" })).toEqual(["Contoso.Signed"]);
    expect(await ids({ text: "big jobs" })).toEqual(["Contoso.Unsigned"]);
    expect(await ids({ text: "jane" })).toEqual(["Contoso.Unsigned"]);
    expect(await ids({ text: "CAROL" })).toEqual(["Contoso.Lapsed"]);
    expect(await ids({ text: "hidden" })).toEqual([]);
  });

  it("takes LIKE wildcards in the text literally", async () => {
    expect(await ids({ text: "100%" })).toEqual(["Fabrikam_Exact"]);
    expect(await ids({ text: "e_w" })).toEqual(["Fabrikam_Exact"]);
    // Unescaped, "%" and "_" would match "pure LIKE" and "useful" here.
    expect(await ids({ text: "re%li" })).toEqual([]);
    expect(await ids({ text: "u_eful" })).toEqual([]);
  });

  it("reads NuGet's field filters, each of which must match", async () => {
    expect(await ids({ text: "id:json" })).toEqual(["Json", "Json.Extensions", "NotJson"]);
    expect(await ids({ text: "packageid:JSON" })).toEqual(["Json"]);
    expect(await ids({ text: "owner:grace" })).toEqual(["Json", "Json.Extensions", "NotJson"]);
    expect(await ids({ text: "owner:grac" })).toEqual([]);
    expect(await ids({ text: "tags:json" })).toEqual(["Contoso.Signed"]);
    expect(await ids({ text: 'title:"handy tools"' })).toEqual(["Contoso.Unsigned"]);
    expect(await ids({ text: "author:doe summary:helpers" })).toEqual(["Contoso.Unsigned"]);
    expect(await ids({ text: "description:wildcards" })).toEqual(["Fabrikam_Exact"]);
    expect(await ids({ text: "version:1.5.0 id:mixed" })).toEqual(["Mixed.Versions"]);
    expect(await ids({ text: "version:1.1" })).toEqual(["Contoso.Lapsed"]);
    expect(await ids({ text: "version:not-a-version" })).toEqual([]);
    // Both filters must hold; an unknown field name is an ordinary word.
    expect(await ids({ text: "owner:grace id:extensions" })).toEqual(["Json.Extensions"]);
    expect(await ids({ text: "color:blue" })).toEqual([]);
  });

  it("pages through an owner's packages in downloads order, and by recency, when they are more than are counted", async () => {
    const page = async (skip: number) => {
      const result = await searchPackages(database(), query({ text: "owner:DAVE", skip, take: 5 }), {
        countedMatches: 3,
        idCandidates: 2,
      });
      return { total: result.total, more: result.totalIsLowerBound, ids: result.hits.map((hit) => hit.packageId) };
    };
    const many = (from: number) =>
      Array.from({ length: 5 }, (_, index) => `Many.Package${String(from + index).padStart(2, "0")}`);
    expect(await page(0)).toEqual({ total: 5, more: true, ids: many(0) });
    expect(await page(10)).toEqual({ total: 15, more: true, ids: many(10) });
    // Last published first, as when every match is counted and ranked.
    const recent = async (bounds?: SearchBounds) =>
      (
        await searchPackages(database(), query({ text: "owner:dave", order: "recent", skip: 3, take: 4 }), bounds)
      ).hits.map((hit) => hit.packageId);
    expect(await recent({ countedMatches: 3, idCandidates: 2 })).toEqual(await recent());
    expect(await recent()).toHaveLength(4);
  });

  it("tells many matches of a text from few by the IDs starting with it, under the other conditions too", async () => {
    const bounds = { countedMatches: 3, idCandidates: 2 };
    const page = async (overrides: Partial<PackageSearchQuery>) => {
      const result = await searchPackages(database(), query({ take: 5, ...overrides }), bounds);
      return { total: result.total, more: result.totalIsLowerBound, ids: result.hits.map((hit) => hit.packageId) };
    };
    const many = Array.from({ length: 5 }, (_, index) => `Many.Package${String(index).padStart(2, "0")}`);
    expect(await page({ text: "many.pack" })).toEqual({ total: 5, more: true, ids: many });
    expect(await page({ match: "id", text: "MANY.P", preferStable: false })).toEqual({
      total: 5,
      more: true,
      ids: many,
    });
    // None of them is signed: no match, however many IDs start with the text.
    expect(await page({ text: "many.pack", signedOnly: true })).toEqual({ total: 0, more: false, ids: [] });
  });

  it("puts the ID itself first, then IDs starting with the text, then IDs containing it, then other matches", async () => {
    expect(await ids({ text: "json" })).toEqual(["Json", "Json.Extensions", "NotJson", "Contoso.Signed"]);
  });

  it("shows the highest version the query allows, and every version it may show", async () => {
    const hit = async (overrides: Partial<PackageSearchQuery>) => {
      const [found] = (
        await searchPackages(database(), clientQuery({ text: "packageid:Mixed.Versions", ...overrides }))
      ).hits;
      return (
        found && { shown: found.shown.fullVersion, versions: found.versions.map((version) => version.fullVersion) }
      );
    };
    expect(await hit({})).toEqual({ shown: "1.0.0", versions: ["1.0.0"] });
    expect(await hit({ includeSemVer2: true })).toEqual({
      shown: "1.5.0+build.7",
      versions: ["1.0.0", "1.5.0+build.7"],
    });
    expect(await hit({ includeSemVer2: true, includePrerelease: true })).toEqual({
      shown: "2.0.0-beta",
      versions: ["1.0.0", "1.5.0+build.7", "2.0.0-beta"],
    });
    // The site prefers the highest stable version where there is one.
    expect(await hit({ includeSemVer2: true, includePrerelease: true, preferStable: true })).toMatchObject({
      shown: "1.5.0+build.7",
    });
  });

  it("leaves out packages with only prerelease or only SemVer 2 versions unless asked for", async () => {
    expect(await searchPackages(database(), clientQuery({ text: "id:preview" }))).toEqual({
      total: 0,
      totalIsLowerBound: false,
      hits: [],
    });
    const semVer1 = (await searchPackages(database(), clientQuery({ text: "id:preview", includePrerelease: true })))
      .hits[0];
    expect(semVer1?.shown.version).toBe("0.9.0-alpha");
    const semVer2 = (
      await searchPackages(
        database(),
        clientQuery({ text: "id:preview", includePrerelease: true, includeSemVer2: true }),
      )
    ).hits[0];
    expect(semVer2?.versions.map((version) => version.version)).toEqual(["0.9.0-alpha", "1.0.0-beta.1"]);
    expect(await searchPackages(database(), clientQuery({ text: "id:metadata" }))).toEqual({
      total: 0,
      totalIsLowerBound: false,
      hits: [],
    });
    expect((await searchPackages(database(), clientQuery({ text: "id:metadata", includeSemVer2: true }))).total).toBe(
      1,
    );
  });

  it("filters by package type, a version without one being a Dependency", async () => {
    expect(await ids({ packageType: "DotnetTool" })).toEqual(["Tool.Package"]);
    expect(await ids({ packageType: "dotnettool" })).toEqual(["Tool.Package"]);
    expect(await ids({ packageType: "Template" })).toEqual([]);
    const dependencies = await ids({ packageType: "Dependency" });
    expect(dependencies).toContain("Json");
    expect(dependencies).not.toContain("Tool.Package");
    // A page of two reads only the first of the type's documents and finds the same first rows: on SQLite from the
    // type's full-text rows, most downloaded first, not testing each document against the type's list; on
    // PostgreSQL, most being dependencies, by walking the downloads index (commonType).
    const reads = vi.spyOn(SqliteReadPool.prototype, "query");
    try {
      expect(await ids({ packageType: "Dependency", take: 2 })).toEqual(dependencies.slice(0, 2));
      if (dialect === "sqlite") {
        const statements = reads.mock.calls.map(([sql]) => sql);
        expect(statements[0]).toMatch(/"SearchText" MATCH/);
        expect(statements.filter((sql) => sql.includes('"SearchDocumentType"'))).toEqual([]);
      }
    } finally {
      reads.mockRestore();
    }
    expect(await ids({ packageType: "Dependency", skip: 1, take: 2 })).toEqual(dependencies.slice(1, 3));
    // A type name holding a space is that type alone, also where the walk reads the types as one text
    // (first by ID among equal downloads, so in the walked pages above).
    expect(dependencies).not.toContain("Aa.Legacy");
    expect(await ids({ packageType: "legacy dependency" })).toEqual(["Aa.Legacy"]);
    const [tool] = (await searchPackages(database(), query({ text: "packageid:Tool.Package" }))).hits;
    expect(tool?.shown.packageTypes).toEqual(["DotnetTool"]);
    const [json] = (await searchPackages(database(), query({ text: "packageid:Json" }))).hits;
    expect(json?.shown.packageTypes).toEqual(["Dependency"]);
  });

  it("gives each hit its owners, verified check and the shown version's signing", async () => {
    const { hits } = await searchPackages(database(), query({ text: "id:contoso" }));
    expect(
      hits.map((hit) => [
        hit.packageId,
        hit.shown.version,
        hit.shown.signing.kind,
        hit.verification.verified,
        hit.owners,
      ]),
    ).toEqual([
      ["Contoso.Lapsed", "1.1.0", "unsigned", false, ["carol"]],
      ["Contoso.Signed", "1.0.0", "signed", true, ["alice"]],
      ["Contoso.Unsigned", "2.0.0", "unsigned", true, ["alice"]],
    ]);
    const author = signedReport.author?.signer;
    const repository = signedReport.repository?.signer;
    expect(hits[1]?.shown.signature).toEqual({
      status: "signed",
      trusted: true,
      author: {
        subject: author?.subject,
        sha256Fingerprint: author?.sha256Fingerprint,
        provenSigningTime: signedReport.author?.timestamps[0]?.time,
        provenSigningTimeSource: "timestamp",
        certificateCompromisedAt: null,
      },
      repositorySigned: true,
      repository: {
        subject: repository?.subject,
        sha256Fingerprint: repository?.sha256Fingerprint,
        serviceIndexUrl: "https://api.nuget.org/v3/index.json",
      },
      // Fixture rows are served as stored: the file served is the file uploaded.
      publishedSha512: fixtureSha512("Contoso.Signed/1.0.0"),
      uploadedSha512: fixtureSha512("Contoso.Signed/1.0.0"),
    });
    expect(hits[2]?.shown.signature).toEqual({
      status: "unsigned",
      trusted: false,
      author: null,
      repositorySigned: false,
      repository: null,
      publishedSha512: fixtureSha512("Contoso.Unsigned/2.0.0"),
      uploadedSha512: fixtureSha512("Contoso.Unsigned/2.0.0"),
    });
    const [invalid] = (await searchPackages(database(), query({ text: "packageid:Fabrikam_Exact" }))).hits;
    expect(invalid?.shown.signature).toMatchObject({ status: "invalid", trusted: false });
  });

  it("words the Verified check from the reservations as the page shows them, read again only once they or a username change", async () => {
    const db = database();
    const reads = vi.spyOn(SqliteReadPool.prototype, "query");
    const postgresReads = vi.spyOn(PostgresReadPool.prototype, "query");
    const reservationReads = () =>
      [...reads.mock.calls, ...postgresReads.mock.calls].filter(([sql]) => /FROM "PrefixReservation"/.test(sql)).length;
    const sentence = async () =>
      (await searchPackages(db, query({ text: "packageid:Contoso.Signed" }))).hits[0]?.verification.sentence;
    try {
      expect(await sentence()).toBe("Verified: the ID prefix Contoso.* is reserved for package owner alice.");
      const read = reservationReads();
      expect(await sentence()).toBe("Verified: the ID prefix Contoso.* is reserved for package owner alice.");
      expect(reservationReads()).toBe(read);
      await db.user.update({ where: { username: "alice" }, data: { username: "alicia" } });
      expect(await sentence()).toBe("Verified: the ID prefix Contoso.* is reserved for package owner alicia.");
      expect(reservationReads()).toBe(read + 1);
    } finally {
      reads.mockRestore();
      postgresReads.mockRestore();
      await db.user.update({ where: { username: "alicia" }, data: { username: "alice" } });
    }
  });

  it("keeps only trusted signed packages with 'signed only'", async () => {
    const { hits, total } = await searchPackages(database(), query({ signedOnly: true }));
    expect(hits.map((hit) => hit.packageId)).toEqual(["Contoso.Signed"]);
    expect(total).toBe(1);
  });

  it("filters verified IDs exactly as isVerifiedPackage decides", async () => {
    const db = database();
    const found = await ids({ verifiedOnly: true });
    expect(found).toEqual(["Contoso.Signed", "Contoso.Unsigned", "Fabrikam_Exact"]);
    const reservations = (await readAllReservations(db)).map((reservation) => ({
      ...reservation,
      ownerIds: reservation.owners.map((owner) => owner.id),
    }));
    const everything = await db.packageRegistration.findMany({
      select: { packageId: true, owners: { select: { userId: true } } },
    });
    const expected = everything
      .filter((registration) => registration.packageId !== "Hidden.Package")
      .filter((registration) =>
        isVerifiedPackage(
          registration.packageId,
          registration.owners.map((owner) => owner.userId),
          reservations,
        ),
      )
      .map((registration) => registration.packageId)
      .sort();
    expect(found).toEqual(expected);
  });

  it("pages with skip and take, counting every match", async () => {
    const first = await searchPackages(database(), query({ text: "many.", take: 20 }));
    expect(first.total).toBe(23);
    expect(first.hits).toHaveLength(20);
    const second = await searchPackages(database(), query({ text: "many.", skip: 20, take: 20 }));
    expect(second.hits.map((hit) => hit.packageId)).toEqual(["Many.Package20", "Many.Package21", "Many.Package22"]);
    expect((await searchPackages(database(), query({ text: "many.", skip: 200 }))).hits).toEqual([]);
  });

  it("orders by the last publication for the home page", async () => {
    expect((await ids({ order: "recent", take: 3 })).slice(0, 1)).toEqual(["Tool.Package"]);
    expect(await ids({ order: "recent", text: "id:many.package0", take: 3 })).toEqual([
      "Many.Package09",
      "Many.Package08",
      "Many.Package07",
    ]);
  });

  it("matches only IDs when completing an ID, prefixes first", async () => {
    expect(await ids({ match: "id", text: "json" })).toEqual(["Json", "Json.Extensions", "NotJson"]);
    // Field syntax means nothing to autocomplete: the text is a piece of an ID.
    expect(await ids({ match: "id", text: "id:json" })).toEqual([]);
  });
});

describe.each(testDialects())("search relevance on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  const ids = async (overrides: Partial<PackageSearchQuery>) =>
    (await searchPackages(database(), query(overrides))).hits.map((hit) => hit.packageId);

  beforeAll(async () => {
    const db = database();
    const downloads: Record<string, number> = {
      "Newtonsoft.Json": 5_000,
      "Newtonsoft.Json.Bson": 9_000,
      "Json.Net.Tools": 20_000,
      "Serializer.Suite": 900_000,
      "Some.Newtonsoft.Json.Helpers": 50_000,
      "Microsoft.AspNetCore.Mvc": 1_000,
      "AspNetCore.Helpers": 70_000,
    };
    await seedReservation(db, "Newtonsoft.", ["james"]);
    await seedVersion(db, {
      packageId: "Newtonsoft.Json",
      version: "13.0.3",
      owners: ["james"],
      description: "Json.NET is a popular high-performance JSON framework",
      report: signedReport,
    });
    await seedVersion(db, {
      packageId: "Newtonsoft.Json",
      version: "14.0.0-beta1",
      owners: ["james"],
      description: "A preview of the next Json.NET",
    });
    await seedVersion(db, {
      packageId: "Newtonsoft.Json.Bson",
      version: "1.0.2",
      owners: ["james"],
      description: "BSON for Json.NET",
    });
    await seedVersion(db, {
      packageId: "Json.Net.Tools",
      version: "1.0.0",
      owners: ["mallory"],
      description: "Tools around json",
    });
    await seedVersion(db, {
      packageId: "Serializer.Suite",
      version: "1.0.0",
      owners: ["mallory"],
      description: "Serializers for json, xml and yaml",
      packageTypes: ["DotnetTool"],
    });
    await seedVersion(db, {
      packageId: "Some.Newtonsoft.Json.Helpers",
      version: "1.0.0",
      owners: ["mallory"],
      description: "Helpers",
    });
    await seedVersion(db, {
      packageId: "Microsoft.AspNetCore.Mvc",
      version: "2.2.0",
      owners: ["msft"],
      description: "ASP.NET Core MVC",
    });
    await seedVersion(db, {
      packageId: "AspNetCore.Helpers",
      version: "1.0.0",
      owners: ["mallory"],
      description: "Helpers for web apps",
    });
    await seedVersion(db, {
      packageId: "Only.Preview",
      version: "1.0.0-rc.1",
      owners: ["mallory"],
      description: "Nothing stable yet: json",
    });
    await seedVersion(db, {
      packageId: "Newtonsoft.Superbson",
      version: "1.0.0",
      owners: ["mallory"],
      description: "Extras",
    });
    await setDownloadsById(db, downloads);
  });

  it("puts the exact ID first, however many downloads the others have", async () => {
    expect((await ids({ text: "Newtonsoft.Json" }))[0]).toBe("Newtonsoft.Json");
    expect((await ids({ text: "newtonsoft.json" }))[0]).toBe("Newtonsoft.Json");
  });

  it("reads words with spaces as an ID's parts: 'newtonsoft json' finds Newtonsoft.Json first", async () => {
    expect(await ids({ text: "newtonsoft json" })).toEqual([
      "Newtonsoft.Json",
      "Newtonsoft.Json.Bson",
      "Some.Newtonsoft.Json.Helpers",
    ]);
  });

  it("ranks IDs starting with the text, then IDs holding its words, then other text, each by downloads", async () => {
    // Starts with "json": Json.Net.Tools; IDs with the word: the Newtonsoft family by downloads; text only: Serializer.Suite and Only.Preview.
    expect(await ids({ text: "json" })).toEqual([
      "Json.Net.Tools",
      "Some.Newtonsoft.Json.Helpers",
      "Newtonsoft.Json.Bson",
      "Newtonsoft.Json",
      "Serializer.Suite",
      "Only.Preview",
    ]);
  });

  it("finds camel-cased ID parts by their words", async () => {
    expect(await ids({ text: "net core" })).toEqual(["AspNetCore.Helpers", "Microsoft.AspNetCore.Mvc"]);
    expect(await ids({ text: "aspnetcore" })).toEqual(["AspNetCore.Helpers", "Microsoft.AspNetCore.Mvc"]);
  });

  it("words start words: a beginning finds, a middle does not, except inside an ID", async () => {
    expect(await ids({ text: "serial" })).toEqual(["Serializer.Suite"]);
    expect(await ids({ text: "ializer" })).toEqual(["Serializer.Suite"]);
    expect(await ids({ text: "erformance" })).toEqual([]);
  });

  it("finds a piece of three words or more anywhere in an ID, its words in that order", async () => {
    // The first word ends an ID word, the last starts one: "tonsoft" in Newtonsoft, "b" in Bson.
    expect(await ids({ match: "id", text: "tonsoft.json.b" })).toEqual(["Newtonsoft.Json.Bson"]);
    expect(await ids({ text: "id:soft.json.hel" })).toEqual(["Some.Newtonsoft.Json.Helpers"]);
    expect(await ids({ match: "id", text: "newtonsoft.json.helpers" })).toEqual(["Some.Newtonsoft.Json.Helpers"]);
    // The same words, not in that order.
    expect(await ids({ match: "id", text: "json.newtonsoft.bson" })).toEqual([]);
    expect(await ids({ match: "id", text: "tonsoft.json.b", verifiedOnly: true })).toEqual(["Newtonsoft.Json.Bson"]);
  });

  it("shows prereleases only when asked, and ranks a package by the version it shows", async () => {
    expect(await ids({ text: "json", includePrerelease: false })).not.toContain("Only.Preview");
    const [stable] = (
      await searchPackages(
        database(),
        query({ text: "packageid:Newtonsoft.Json", preferStable: false, includePrerelease: false }),
      )
    ).hits;
    expect(stable?.shown.version).toBe("13.0.3");
    const [preview] = (
      await searchPackages(database(), query({ text: "packageid:Newtonsoft.Json", preferStable: false }))
    ).hits;
    expect(preview?.shown.version).toBe("14.0.0-beta1");
    // The site shows the stable version, and its text is what matches.
    expect(await ids({ text: "next" })).toEqual([]);
    expect(await ids({ text: "next", preferStable: false })).toEqual(["Newtonsoft.Json"]);
  });

  it("applies the filters together with the words, and counts what they leave", async () => {
    expect(await ids({ text: "json", verifiedOnly: true })).toEqual(["Newtonsoft.Json.Bson", "Newtonsoft.Json"]);
    expect(await ids({ text: "json", verifiedOnly: true, signedOnly: true })).toEqual(["Newtonsoft.Json"]);
    expect(
      await ids({ text: "json", verifiedOnly: true, signedOnly: true, includePrerelease: false, preferStable: false }),
    ).toEqual(["Newtonsoft.Json"]);
    // The preview is what NuGet clients asking for prereleases are shown, and it is not signed.
    expect(await ids({ text: "json", signedOnly: true, preferStable: false })).toEqual([]);
    expect(await ids({ text: "json", packageType: "DotnetTool" })).toEqual(["Serializer.Suite"]);
    expect(await ids({ text: "json owner:mallory", packageType: "dotnettool" })).toEqual(["Serializer.Suite"]);
    const { total, hits } = await searchPackages(database(), query({ text: "json", take: 2 }));
    expect([total, hits.length]).toEqual([6, 2]);
    expect(await ids({ packageType: "DotnetTool" })).toEqual(["Serializer.Suite"]);
    // The filters' own words in the index are never matched as typed words.
    expect(await ids({ text: "verified" })).toEqual([]);
    expect(await ids({ text: "dotnettool" })).toEqual([]);
  });

  it("matches several words as word starts together, and only when no package has them all so, inside IDs", async () => {
    // Newtonsoft.Json.Bson has both words at word starts, so Newtonsoft.Superbson, with "bson" inside an ID word, is not looked for.
    expect(await ids({ text: "newtonsoft bson" })).toEqual(["Newtonsoft.Json.Bson"]);
    expect(await ids({ text: "newtonsoft superb" })).toEqual(["Newtonsoft.Superbson"]);
    // No word starts with "son": each word may then match inside an ID (json, superbson); by downloads, none ranking above another.
    expect(await ids({ text: "newtonsoft son" })).toEqual([
      "Some.Newtonsoft.Json.Helpers",
      "Newtonsoft.Json.Bson",
      "Newtonsoft.Json",
      "Newtonsoft.Superbson",
    ]);
  });

  it.runIf(dialect === "postgresql")(
    "finds the same packages when PostgreSQL's statistics send the index to the rarer words alone, and test the word counts first",
    async () => {
      const { indexedWordsOf, estimatedDocuments, commonestWordDocuments, fresh } =
        await withFreshStatistics(database());
      expect(indexedWordsOf("terms", ["newtonsoft", "json", "bson"])).toEqual(["bson"]);
      const found = async (text: string) =>
        (await fresh.searchPackages(database(), query({ text }))).hits.map((hit) => hit.packageId);
      expect(await found("newtonsoft json bson")).toEqual(["Newtonsoft.Json.Bson"]);
      // The index reads "yaml" alone (Serializer.Suite), which has no "newtonsoft".
      expect(indexedWordsOf("terms", ["newtonsoft", "json", "yaml"])).toEqual(["yaml"]);
      expect(await found("newtonsoft json yaml")).toEqual([]);
      // A word no common word starts ("bsonx": none) is read alone, not beside "bson", rare as that is beside the others.
      expect(indexedWordsOf("terms", ["newtonsoft", "json", "bson", "bsonx"])).toEqual(["bsonx"]);
      expect(await found("newtonsoft json bson bsonx")).toEqual([]);
      // "json" starts a word of four IDs: with a bound of one, counting those shows the matches are
      // many (sql.ts idWordsCondition), and the answer is the one counting every match gives.
      expect(estimatedDocuments("idTerms", ["json"])).toBeGreaterThanOrEqual(4);
      const bounds: SearchBounds = { countedMatches: 1, idCandidates: 2 };
      // They also put more than twice that bound's documents at the word "json": the word counts are then tested in a
      // statement of their own, which shows the matches are many and spares the count (Matching.countsShowMany).
      expect(commonestWordDocuments("terms", "json")).toBeGreaterThan(2);
      // The fresh modules read through the client itself: the read pool is the other modules' (lib/db readQuery).
      const reads = vi.spyOn(database(), "$queryRaw");
      try {
        const counted = await fresh.searchPackages(database(), query({ text: "json", take: 1 }), bounds);
        expect(counted.totalIsLowerBound).toBe(true);
        const statements = reads.mock.calls.map(([statement]) => String((statement as { sql?: unknown }).sql));
        expect(statements.filter((sql) => /"SearchWordCount"/.test(sql))).toHaveLength(1);
        // No count (the IDs starting with the text are read in a statement of their own: readStartingIds).
        expect(statements.filter((sql) => /string_agg/.test(sql) && !/"starting"/.test(sql))).toEqual([]);
        expect(counted).toEqual(await searchPackages(database(), query({ text: "json", take: 1 }), bounds));
      } finally {
        reads.mockRestore();
      }
    },
  );

  it("finds an ID piece whose inner words are whole parts of the ID, and only as a piece of it", async () => {
    const pieces = async (text: string) => ids({ match: "id", text, preferStable: false });
    expect(await pieces("T.JSON.B")).toEqual(["Newtonsoft.Json.Bson"]);
    expect(await pieces("e.newtonsoft.json.hel")).toEqual(["Some.Newtonsoft.Json.Helpers"]);
    expect(await pieces("t.aspnetcore.m")).toEqual(["Microsoft.AspNetCore.Mvc"]);
    // Each ID has the words, but not this piece.
    expect(await pieces("e.json.hel")).toEqual([]);
    expect(await pieces("t.jso.b")).toEqual([]);
  });

  it("reads words matched each as a word start or inside an ID from the rarest, and none when one has no match", async () => {
    // On the client's reader: a read thread on SQLite (read-pool.ts), node-postgres's pool on PostgreSQL (postgres-reads.ts).
    const reads = vi.spyOn(SqliteReadPool.prototype, "query");
    const postgresReads = vi.spyOn(PostgresReadPool.prototype, "query");
    const counts = () =>
      [...reads.mock.calls, ...postgresReads.mock.calls]
        .map(([sql, values]) => ({ sql, values }))
        .filter((statement) => /AS "ids"/.test(statement.sql));
    try {
      // No ID has a word starting with "ewtonsoft": each word is then also found inside IDs.
      expect(await ids({ text: "json ewtonsoft" })).toEqual([
        "Some.Newtonsoft.Json.Helpers",
        "Newtonsoft.Json.Bson",
        "Newtonsoft.Json",
      ]);
      const [, fallback] = counts();
      // On SQLite the three IDs holding "ewtonsoft" drive the reading, not the matches of "json".
      if (dialect === "sqlite") {
        const strings = fallback?.values.filter((value): value is string => typeof value === "string") ?? [];
        expect(
          strings
            .slice(
              0,
              strings.findIndex((value) => value.includes("json")),
            )
            .join(" "),
        ).toContain("ewtonsoft");
      }
      reads.mockClear();
      postgresReads.mockClear();
      expect(await ids({ text: "json qwzx" })).toEqual([]);
      // Nothing holds "qwzx" in any way, so on SQLite the matches are not read a second time.
      expect(counts()).toHaveLength(dialect === "sqlite" ? 1 : 2);
    } finally {
      reads.mockRestore();
      postgresReads.mockRestore();
    }
  });

  describe("with more matches than are counted", () => {
    // Tiny bounds, so six matches of "json" are "many": counted to the bound, ranked from candidates.
    const bounds: SearchBounds = { countedMatches: 3, idCandidates: 2 };
    const page = async (overrides: Partial<PackageSearchQuery>, searchBounds = bounds) => {
      const result = await searchPackages(database(), query(overrides), searchBounds);
      return { total: result.total, more: result.totalIsLowerBound, ids: result.hits.map((hit) => hit.packageId) };
    };
    const ranked = [
      "Json.Net.Tools",
      "Some.Newtonsoft.Json.Helpers",
      "Newtonsoft.Json.Bson",
      "Newtonsoft.Json",
      "Serializer.Suite",
      "Only.Preview",
    ];

    it("says the total is a lower bound, counting at least to the end of the page asked for", async () => {
      expect(await page({ text: "json", take: 2 })).toEqual({ total: 3, more: true, ids: ranked.slice(0, 2) });
      expect(await page({ text: "json", skip: 2, take: 2 })).toEqual({ total: 4, more: true, ids: ranked.slice(2, 4) });
      expect(await page({ text: "json", skip: 4, take: 2 })).toEqual({
        total: 6,
        more: false,
        ids: ranked.slice(4, 6),
      });
      expect(await page({ text: "json", take: 2 }, { countedMatches: 6, idCandidates: 2 })).toEqual({
        total: 6,
        more: false,
        ids: ranked.slice(0, 2),
      });
    });

    it("ranks the exact ID, IDs holding the text and the most downloaded as the full ranking does", async () => {
      for (const [skip, take] of [
        [0, 1],
        [1, 1],
        [0, 3],
        [3, 3],
        [2, 2],
      ] as const) {
        expect((await page({ text: "json", skip, take })).ids).toEqual(ranked.slice(skip, skip + take));
      }
      expect((await page({ text: "newtonsoft.json", take: 1 })).ids).toEqual(["Newtonsoft.Json"]);
      expect((await page({ text: "json", order: "downloads", take: 3 })).ids).toEqual([
        "Serializer.Suite",
        "Some.Newtonsoft.Json.Helpers",
        "Json.Net.Tools",
      ]);
      expect((await page({ match: "id", text: "json", preferStable: false, take: 2 })).ids).toEqual([
        "Json.Net.Tools",
        "Some.Newtonsoft.Json.Helpers",
      ]);
    });

    it.runIf(dialect === "postgresql")(
      "tells from the word counts the index keeps that one word's matches are many, reading none of them",
      async () => {
        const postgresReads = vi.spyOn(PostgresReadPool.prototype, "query");
        try {
          // Five documents every variant shows hold "json" (SearchWordCount): more than the three counted.
          expect(await page({ text: "json", take: 2 })).toEqual({ total: 3, more: true, ids: ranked.slice(0, 2) });
          const [count] = postgresReads.mock.calls.flatMap(([sql], index) =>
            /string_agg/.test(sql) ? [postgresReads.mock.results[index]?.value] : [],
          );
          expect(await count).toEqual([{ ids: null, count: 0n, many: true }]);
          // With six counted, no word count shows more: the matches are read and counted.
          postgresReads.mockClear();
          expect(await page({ text: "json", take: 2 }, { countedMatches: 6, idCandidates: 2 })).toEqual({
            total: 6,
            more: false,
            ids: ranked.slice(0, 2),
          });
        } finally {
          postgresReads.mockRestore();
        }
      },
    );

    it.runIf(dialect === "postgresql")(
      "keeps the plan of a page read from a list of ids; reads a page of ranked candidates by its ids, chosen first",
      async () => {
        const postgresReads = vi.spyOn(PostgresReadPool.prototype, "query");
        // The statements after the count: the page's (what its hits show), and one choosing it first.
        const pageReads = () =>
          postgresReads.mock.calls.flatMap(([sql, , options]) =>
            /AS "sharedFacts"/.test(sql)
              ? [{ hits: true, options }]
              : /^SELECT d."id" FROM .* ORDER BY .* LIMIT/s.test(sql)
                ? [{ hits: false, options }]
                : [],
          );
        try {
          // All six matches counted: the page is read from their ids, on a kept plan.
          expect((await page({ text: "json", take: 2 }, { countedMatches: 6, idCandidates: 2 })).ids).toEqual(
            ranked.slice(0, 2),
          );
          expect(pageReads()).toEqual([{ hits: true, options: { samePlanForAnyValues: true } }]);
          // More than three: the page is chosen from the candidates and the most downloaded, then read by its ids.
          postgresReads.mockClear();
          expect((await page({ text: "json", take: 2 })).ids).toEqual(ranked.slice(0, 2));
          expect(pageReads()).toEqual([
            { hits: false, options: {} },
            { hits: true, options: { samePlanForAnyValues: true } },
          ]);
          // Without words, walked in downloads order: one statement, planned anew.
          postgresReads.mockClear();
          expect((await page({ text: "", take: 2 })).ids).toHaveLength(2);
          expect(pageReads()).toEqual([{ hits: true, options: { samePlanForAnyValues: false } }]);
        } finally {
          postgresReads.mockRestore();
        }
      },
    );

    it("past the candidates, lists a less downloaded ID that starts with the text among the other matches", async () => {
      // One ID candidate for a page of one: the most downloaded ID holding "json", not Json.Net.Tools, which starts with it.
      expect((await page({ text: "json", take: 1 }, { countedMatches: 3, idCandidates: 1 })).ids).toEqual([
        "Some.Newtonsoft.Json.Helpers",
      ]);
      expect((await page({ text: "json", take: 1 }, { countedMatches: 3, idCandidates: 2 })).ids).toEqual([
        "Json.Net.Tools",
      ]);
    });
  });

  it("orders a search without words by downloads", async () => {
    expect((await ids({ take: 3 })).slice(0, 3)).toEqual([
      "Serializer.Suite",
      "AspNetCore.Helpers",
      "Some.Newtonsoft.Json.Helpers",
    ]);
  });

  it("orders the matches of words by downloads alone when asked (the site's 'Sort by Downloads')", async () => {
    expect(await ids({ text: "json", order: "downloads" })).toEqual([
      "Serializer.Suite",
      "Some.Newtonsoft.Json.Helpers",
      "Json.Net.Tools",
      "Newtonsoft.Json.Bson",
      "Newtonsoft.Json",
      "Only.Preview",
    ]);
  });
});

describe.each(testDialects())("the most downloaded matches on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  // Tiny bounds: five matches are "many", so a page is chosen from the most downloaded matches,
  // which SQLite reads in the order of its documents' ids (lib/search/document-ids.ts).
  const bounds: SearchBounds = { countedMatches: 3, idCandidates: 2 };
  const page = async (overrides: Partial<PackageSearchQuery>) =>
    (await searchPackages(database(), query({ text: "relay", take: 2, ...overrides }), bounds)).hits.map(
      (hit) => hit.packageId,
    );
  const setDownloads = (downloads: Record<string, number>) => setDownloadsById(database(), downloads);

  beforeAll(async () => {
    // Published out of alphabetical order, so ids in order of publication are not in ID order.
    for (const packageId of ["Relay.Echo", "Relay.Alpha", "Relay.Delta", "Relay.Bravo", "Relay.Charlie"]) {
      await seedVersion(database(), { packageId, version: "1.0.0", owners: ["oscar"], description: "relay" });
    }
  });

  it("orders equally downloaded matches by ID, however they were published", async () => {
    await setDownloads({});
    expect(await page({ order: "downloads" })).toEqual(["Relay.Alpha", "Relay.Bravo"]);
    expect(await page({ order: "downloads", skip: 2 })).toEqual(["Relay.Charlie", "Relay.Delta"]);
    expect(await page({})).toEqual(["Relay.Alpha", "Relay.Bravo"]);
  });

  it("follows a roll-up that moves a package past the others", async () => {
    const counts = { "Relay.Alpha": 100, "Relay.Bravo": 90, "Relay.Charlie": 80, "Relay.Delta": 70, "Relay.Echo": 5 };
    await setDownloads(counts);
    // A publish indexes a package by its count as it stands; Echo's documents are last written at 5.
    for (const packageId of ["Relay.Alpha", "Relay.Bravo", "Relay.Charlie", "Relay.Delta"]) {
      await seedVersion(database(), { packageId, version: "1.1.0", owners: ["oscar"], description: "relay" });
    }
    expect(await page({ order: "downloads" })).toEqual(["Relay.Alpha", "Relay.Bravo"]);
    await setDownloads({ ...counts, "Relay.Echo": 1000 });
    expect(await page({ order: "downloads" })).toEqual(["Relay.Echo", "Relay.Alpha"]);
    expect(await page({ match: "id" })).toEqual(["Relay.Echo", "Relay.Alpha"]);
    expect(await page({ text: "owner:oscar", order: "downloads", take: 3 })).toEqual([
      "Relay.Echo",
      "Relay.Alpha",
      "Relay.Bravo",
    ]);
  });

  it("takes the page's most downloaded matches from the count's when it read past the page end's bucket", async () => {
    const reads = vi.spyOn(SqliteReadPool.prototype, "query");
    const pageStatement = () => reads.mock.calls.map(([sql]) => sql).find((sql) => sql.includes("OFFSET"));
    try {
      // Each in its own bucket (document-ids.ts): the count's four first matches hold the two most downloaded and
      // reach past the second one's bucket, so the page reads no full-text rows.
      await setDownloads({ "Relay.Alpha": 100, "Relay.Bravo": 90, "Relay.Charlie": 80, "Relay.Delta": 70 });
      expect(await page({ order: "downloads" })).toEqual(["Relay.Alpha", "Relay.Bravo"]);
      if (dialect === "sqlite") expect(pageStatement()).not.toMatch(/MATCH/);
      reads.mockClear();
      // Equally downloaded, one bucket: the count's four may not hold all of the second one's bucket; the page reads it.
      await setDownloads({});
      expect(await page({ order: "downloads" })).toEqual(["Relay.Alpha", "Relay.Bravo"]);
      if (dialect === "sqlite") expect(pageStatement()).toMatch(/MATCH/);
    } finally {
      reads.mockRestore();
    }
  });
});

describe.each(testDialects())("ID candidates whose ID is not all ASCII on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);

  beforeAll(async () => {
    const db = database();
    for (const [packageId, description] of [
      ["Ｊｓｏｎ.Fullwidth", "Wide letters"],
      ["Json.Plain", "Plain letters"],
      ["Downloads.King", "Reads json"],
    ] as const) {
      await seedVersion(db, { packageId, version: "1.0.0", owners: ["wendy"], description });
    }
    await setDownloadsById(db, { "Downloads.King": 1_000, "Ｊｓｏｎ.Fullwidth": 500, "Json.Plain": 10 });
  });

  it("include an ID whose words hold the text only once folded (NFKC), which the ID itself does not", async () => {
    const first = async (bounds?: SearchBounds) =>
      (await searchPackages(database(), query({ text: "json", take: 1 }), bounds)).hits.map((hit) => hit.packageId);
    // Its first word starts with "json", and it is the more downloaded of the two IDs holding it.
    expect(await first()).toEqual(["Ｊｓｏｎ.Fullwidth"]);
    // One ID candidate: the most downloaded ID holding the text, as when every match is ranked.
    expect(await first({ countedMatches: 1, idCandidates: 1 })).toEqual(["Ｊｓｏｎ.Fullwidth"]);
  });
});

describe.each(testDialects())("counting an ID word's documents on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);

  beforeAll(async () => {
    for (const packageId of ["Zquj.ZqujPatch.ZqujSchema.ZqujTools", "Other.Zquj"])
      await seedVersion(database(), { packageId, version: "1.0.0", owners: ["yann"], description: "Words" });
  });

  it("counts a document once however many of its ID words start with the word", async () => {
    if (dialect === "postgresql") await database().$executeRawUnsafe(`ANALYZE "SearchDocument"`);
    // Fresh modules, so that PostgreSQL's statistics are read now: they put five IDs' words at "zquj" (four of one
    // ID), enough for a count of its ID words to be tried first (sql.ts idWordsCondition).
    vi.resetModules();
    const fresh = await import("./search");
    const bounds: SearchBounds = { countedMatches: 2, idCandidates: 2 };
    const result = await fresh.searchPackages(database(), query({ text: "zquj", take: 2 }), bounds);
    if (dialect === "postgresql") {
      const { estimatedDocuments } = await import("./word-frequencies");
      expect(estimatedDocuments("idTerms", ["zquj"])).toBeGreaterThanOrEqual(((2 + 1) * 5) / 4);
    }
    expect({ total: result.total, many: result.totalIsLowerBound }).toEqual({ total: 2, many: false });
    expect(result.hits.map((hit) => hit.packageId)).toEqual(["Zquj.ZqujPatch.ZqujSchema.ZqujTools", "Other.Zquj"]);
  });
});

describe.each(testDialects())("ID candidates of a word inside ID words on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  const longPart = `${"a".repeat(61)}quxo`;
  const downloads = {
    [`Long.${longPart}`]: 2_000,
    "Big.Thing": 1_000,
    "Pre.Quxolib": 500,
    "Aquxo.Tool": 100,
    "Quxo.Alpha": 10,
  };
  // Three ID candidates and many matches: the page is ranked from the three most downloaded IDs holding "quxo" and
  // the three most downloaded matches. Quxo.Alpha, starting with it, is downloaded less than the three candidates.
  const bounds: SearchBounds = { countedMatches: 1, idCandidates: 3 };
  const page = async () =>
    (await searchPackages(database(), query({ text: "quxo", take: 3 }), bounds)).hits.map((hit) => hit.packageId);

  beforeAll(async () => {
    const db = database();
    for (const packageId of Object.keys(downloads)) {
      const description = packageId === "Big.Thing" ? "Works with quxo" : "A package";
      await seedVersion(db, { packageId, version: "1.0.0", owners: ["zora"], description });
    }
    await setDownloadsById(db, downloads);
  });

  it("are the most downloaded IDs holding the word anywhere, an ID part too long to be an ID word included", async () => {
    // A part of 65 characters is no ID word (words.ts); Aquxo holds the word inside one.
    expect(await page()).toEqual([`Long.${longPart}`, "Pre.Quxolib", "Aquxo.Tool"]);
  });

  it("are the same when more ID words hold it than are read one by one", async () => {
    const db = database();
    const letters = (index: number) => String.fromCharCode(97 + Math.floor(index / 26), 97 + (index % 26));
    for (let index = 0; index < 65; index += 1)
      await seedVersion(db, { packageId: `Set.Q${letters(index)}quxo`, version: "1.0.0", owners: ["zora"] });
    await setDownloadsById(db, downloads);
    expect(await page()).toEqual([`Long.${longPart}`, "Pre.Quxolib", "Aquxo.Tool"]);
  });
});

describe.each(testDialects())("ID candidates walked in part on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  // By downloads: three text matches whose IDs do not hold the text, two others, then four IDs holding it, the last
  // starting with it. Three ID candidates: the three most downloaded IDs holding it, ranked before the text matches
  // and without Kelv.Tor.Last, which would be ranked first.
  const downloads = {
    "Text.One": 1_000,
    "Text.Two": 900,
    "Text.Three": 800,
    "Pad.One": 700,
    "Pad.Two": 600,
    "Xkelv.Tor.A": 500,
    "Pad.Three": 450,
    "Ykelv.Tor.B": 400,
    "Zkelv.Tor.C": 300,
    "Kelv.Tor.Last": 100,
  };
  const page = async (candidateWalk: CandidateWalk) =>
    (
      await searchPackages(database(), query({ text: "Kelv.Tor", take: 3 }), {
        countedMatches: 1,
        idCandidates: 3,
        candidateWalk,
      })
    ).hits.map((hit) => hit.packageId);

  beforeAll(async () => {
    await seedDownloaded(database(), downloads, (packageId) => ({
      description: packageId.startsWith("Text.") ? "Reads kelv tor files" : "A package",
    }));
  });

  it.each([
    ["walked when the first entries hold them all", { entries: 1_000, fewMatches: 3 }],
    ["walked when the first entries hold enough of them", { entries: 6, fewMatches: 1 }],
    ["read whole when the first entries hold too few", { entries: 6, fewMatches: 2 }],
    ["read whole when the first entries hold none", { entries: 2, fewMatches: 1 }],
  ])("are the most downloaded IDs holding the text, %s", async (_, walk) => {
    expect(await page(walk)).toEqual(["Xkelv.Tor.A", "Ykelv.Tor.B", "Zkelv.Tor.C"]);
  });
});

describe.each(testDialects())("IDs starting with the text that fill the page on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  // "acme widget": the ID itself (words joined with dots), two IDs whose words start with its words (one
  // prerelease only), two holding them further in, and a text match; six matches, more than the one counted.
  const downloads = {
    "Text.Only": 1_000,
    "Other.Acme.Widget": 900,
    "More.Acme.Widget": 800,
    "Acme.Widget.Preview": 100,
    "Acme-Widget.Core": 10,
    "Acme.Widget": 5,
  };
  const page = async (overrides: Partial<PackageSearchQuery>, bounds: Partial<SearchBounds> = {}) =>
    (
      await searchPackages(database(), query({ text: "acme widget", take: 2, ...overrides }), {
        countedMatches: 1,
        idCandidates: 1,
        ...bounds,
      })
    ).hits.map((hit) => hit.packageId);

  beforeAll(async () => {
    await seedDownloaded(database(), downloads, (packageId) => ({
      description: packageId === "Text.Only" ? "Acme widget tools" : "A package",
      ...(packageId === "Acme.Widget.Preview" ? { version: "1.0.0-beta" } : {}),
    }));
  });

  it("are, on PostgreSQL, the page, ranked as the full ranking does, under the other conditions too", async () => {
    // On SQLite the page is ranked from the candidates (see ID_CANDIDATES): the ID itself, the IDs holding the
    // words most downloaded to the page's end (Other and More, then Preview), the most downloaded matches.
    const postgres = dialect === "postgresql";
    expect(await page({})).toEqual(["Acme.Widget", postgres ? "Acme.Widget.Preview" : "Other.Acme.Widget"]);
    // Acme-Widget.Core starts with the words but not with the text: on PostgreSQL, read from the range of the IDs' words.
    expect(await page({ includePrerelease: false })).toEqual([
      "Acme.Widget",
      postgres ? "Acme-Widget.Core" : "Other.Acme.Widget",
    ]);
    expect(await page({ take: 3 })).toEqual([
      "Acme.Widget",
      "Acme.Widget.Preview",
      postgres ? "Acme-Widget.Core" : "Other.Acme.Widget",
    ]);
  });

  it.runIf(dialect === "postgresql")(
    "are, on PostgreSQL, ranked from the candidates when more start with the text's words than are read",
    async () => {
      // Three IDs' words start with "acme widget": read to two, they are not known to be all, and the ID candidates
      // (as many as the page's end) are the most downloaded IDs holding the words (see ID_CANDIDATES).
      expect(await page({}, { startingIds: 2 })).toEqual(["Acme.Widget", "Other.Acme.Widget"]);
      expect(await page({}, { startingIds: 3 })).toEqual(["Acme.Widget", "Acme.Widget.Preview"]);
    },
  );
});

describe.each(testDialects())("an ID piece with whole words inside on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  // Their last parts start an ID part that is no ID word (words.ts): 65 characters long, or with a letter other than ASCII.
  const longId = `Lonq.Extensions.Absq${"x".repeat(61)}`;
  const wideId = "Lonq.Extensions.Absqé";

  beforeAll(async () => {
    const db = database();
    for (const packageId of [
      longId,
      wideId,
      "Lonq.Extensions.Absqolute",
      "Lonq.Extensions.Other",
      "Lonq.Other.Absqolute",
    ])
      await seedVersion(db, { packageId, version: "1.0.0", owners: ["piet"], description: "A package" });
  });

  it("finds the IDs holding it, those whose last part runs on past an ID word included", async () => {
    // "onq" starts no word, so only the piece inside an ID matches.
    const found = await searchPackages(database(), query({ text: "onq.Extensions.Absq" }));
    expect(found.hits.map((hit) => hit.packageId).sort()).toEqual(["Lonq.Extensions.Absqolute", longId, wideId]);
  });
});

describe.each(testDialects())("word starts longer than SQLite's prefix indexes on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  const found = async (text: string) =>
    (await searchPackages(database(), query({ text }))).hits.map((hit) => hit.packageId).sort();
  const seed = (packageId: string, description: string) =>
    seedVersion(database(), { packageId, version: "1.0.0", owners: ["piet"], description });
  // Nine words starting "configurat": more than SQLite reads a start as (sql.ts tokenStart).
  const configurations = ["ion", "ions", "ional", "ive", "ed", "or", "ors", "es", "ing"].map((ending, index) => ({
    packageId: `Settings.Kind${index}`,
    word: `configurat${ending}`,
  }));

  beforeAll(async () => {
    await seed("Lengthy.Alpha", "Extensions for lengthy things");
    await seed("Lengthy.Beta", "Extensionsé, with an accent");
    await seed("Lengthy.Extensionsfoo", "A package");
    for (const { packageId, word } of configurations) await seed(packageId, `Reads its ${word}`);
  });

  it("finds every word a start starts, an ID's and one with an accent included, and those of packages published later", async () => {
    expect(await found("extensions")).toEqual(["Lengthy.Alpha", "Lengthy.Beta", "Lengthy.Extensionsfoo"]);
    expect(await found("extensionsf")).toEqual(["Lengthy.Extensionsfoo"]);
    expect(await found("extensionsé")).toEqual(["Lengthy.Beta"]);
    expect(await found("lengthy extensions")).toEqual(["Lengthy.Alpha", "Lengthy.Beta", "Lengthy.Extensionsfoo"]);
    await seed("Lengthy.Gamma", "Extensionsbar");
    expect(await found("extensions")).toEqual([
      "Lengthy.Alpha",
      "Lengthy.Beta",
      "Lengthy.Extensionsfoo",
      "Lengthy.Gamma",
    ]);
    if (dialect !== "sqlite") return;
    // SQLite lists the tokens (folded as its full-text rows fold them, an ID's words as "_word",
    // but not an ID's pairs) as it writes them, and reads the start as the tokens listed.
    const listed = async (start: string) =>
      (
        await database().$queryRaw<Array<{ token: string }>>`SELECT "token" FROM "SearchTerm"
          WHERE "token" >= ${start} AND "token" < ${`${start}~`} ORDER BY "token"`
      ).map((row) => row.token);
    expect(await listed("extensions")).toEqual(["extensions", "extensionsbar", "extensionse", "extensionsfoo"]);
    expect(await listed("_lengthy")).toEqual(["_lengthy"]);
    await database().$executeRaw`DELETE FROM "SearchTerm" WHERE "token" = 'extensionsbar'`;
    expect(await found("extensions")).toEqual(["Lengthy.Alpha", "Lengthy.Beta", "Lengthy.Extensionsfoo"]);
  });

  it("finds the words of a start that starts more than it lists", async () => {
    expect(await found("configurat")).toEqual(configurations.map(({ packageId }) => packageId).sort());
    expect(await found("configuratio")).toEqual(["Settings.Kind0", "Settings.Kind1", "Settings.Kind2"]);
  });
});

describe.each(testDialects())("compacting the search index on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  const segments = async (table: "SearchText" | "SearchIdTrigram") => {
    const [row] = await database().$queryRawUnsafe<Array<{ segments: number | bigint }>>(
      `SELECT COUNT(DISTINCT "segid") AS "segments" FROM "${table}_idx"`,
    );
    return Number(row?.segments);
  };

  it("leaves every answer as it was (on SQLite, each full-text table one segment)", async () => {
    const db = database();
    for (const packageId of ["Compact.One", "Compact.Two", "Compact.Three"]) {
      await seedVersion(db, { packageId, version: "1.0.0", owners: ["peggy"], description: "compact tiny" });
      await seedVersion(db, { packageId, version: "2.0.0", owners: ["peggy"], description: "compact tiny" });
    }
    const answers = async () =>
      Promise.all(
        [
          { text: "compact" },
          { text: "tiny", order: "downloads" as const },
          { match: "id" as const, text: "pact.tw" },
        ].map(async (overrides) => (await searchPackages(db, query(overrides))).hits.map((hit) => hit.packageId)),
      );
    const before = await answers();
    expect(before[0]).toHaveLength(3);
    if (dialect === "sqlite") expect(await segments("SearchText")).toBeGreaterThan(1);
    await compactSearchIndex(db);
    expect(await answers()).toEqual(before);
    if (dialect === "sqlite") {
      expect(await segments("SearchText")).toBe(1);
      expect(await segments("SearchIdTrigram")).toBe(1);
    }
  });
});

describe.each(testDialects())("the index's read of a common word beside a rarer one on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);

  beforeAll(async () => {
    const db = database();
    for (const packageId of [
      "Newtonsoft.Json",
      "Newtonsoft.Json.Bson",
      ...["A", "B", "C", "D", "E", "F"].map((part) => `Newtonsoft.Json.${part}`),
    ])
      await seedVersion(db, { packageId, version: "1.0.0", owners: ["ivan"] });
    // A word no other document holds, not ASCII: read as a prefix beside the few words the common ones start.
    await seedVersion(db, {
      packageId: "Creme.Brulee",
      version: "1.0.0",
      owners: ["ivan"],
      description: "Newtonsoft json brûlée helpers",
    });
    // Only a prerelease: its document is one some variants leave out, whose words are not counted. Its one word
    // starting with "json" is in no other document.
    await seedVersion(db, {
      packageId: "Bson.Preview",
      version: "1.0.0-preview",
      owners: ["ivan"],
      description: "Newtonsoft jsonpreviewword helpers",
    });
  });

  it.runIf(dialect === "postgresql")(
    "reads the few words a common word starts, every document's, with the rare word's prefix, but not a word nearly every document holds",
    async () => {
      // The words of the count's index read (sql.ts indexedQuery): the statement's values.
      const countValues = async () => {
        // The statistics send the index to "bson" (word-frequencies.ts).
        const { indexedWordsOf, fresh } = await withFreshStatistics(database());
        expect(indexedWordsOf("terms", ["newtonsoft", "json", "bson"])).toEqual(["bson"]);
        // The fresh modules read through the client itself: the read pool is the other modules' (lib/db readQuery).
        const reads = vi.spyOn(database(), "$queryRaw");
        try {
          const { hits } = await fresh.searchPackages(database(), query({ text: "newtonsoft json bson" }));
          expect(hits.map((hit) => hit.packageId)).toEqual(["Newtonsoft.Json.Bson", "Bson.Preview"]);
          const read = reads.mock.calls.length;
          const accented = await fresh.searchPackages(database(), query({ text: "newtonsoft json brûl" }));
          expect(accented.hits.map((hit) => hit.packageId)).toEqual(["Creme.Brulee"]);
          // Found by the first count, the words matched together (a second would match each alone).
          const counts = reads.mock.calls
            .slice(read)
            .filter(([statement]) => /string_agg/.test(String((statement as { sql?: unknown }).sql)));
          expect(counts).toHaveLength(1);
          const [count] = reads.mock.calls.flatMap(([statement]) =>
            statement instanceof Object && "sql" in statement && /string_agg/.test(String(statement.sql))
              ? [statement]
              : [],
          );
          return (count?.values ?? []) as unknown[];
        } finally {
          reads.mockRestore();
        }
      };
      // "newtonsoft" and "json" are in nearly every document: the index reads "bson" alone (as the few words it
      // starts, where GIN would collect every document of every word of a prefix first), and the condition tests the
      // others on its documents.
      const everywhere = await countValues();
      expect(everywhere).toContain("bson%");
      expect(everywhere).not.toContain("newtonsoft%");
      expect(everywhere).not.toContain("json%");
      // With twelve packages more, in under half the documents, they are read too, as the few words they start (and
      // "brûl", no word the statistics know, as a prefix beside them).
      for (const part of ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"])
        await seedVersion(database(), { packageId: `Other.Package.${part}`, version: "1.0.0", owners: ["ivan"] });
      expect(await countValues()).toEqual(expect.arrayContaining(["newtonsoft%", "json%"]));
    },
  );
});

describe.each(testDialects())(
  "counting a text's words before the IDs holding it, and slice by slice, on %s",
  (dialect) => {
    const database = useMigratedDatabase(dialect);
    const stableParts = ["A", "B", "C", "D", "E", "F", "G", "H"];

    beforeAll(async () => {
      const db = database();
      // Eight stable packages, one after another so that their documents are in each of PostgreSQL's eight slices (sql.ts
      // termsSlices), and six prereleases whose text has the words; one ID that holds the text but has no word starting
      // with "quorvex": a match through the ID alone.
      for (const part of stableParts)
        await seedVersion(db, {
          packageId: `Stable.${part}`,
          version: "1.0.0",
          owners: ["uma"],
          description: "Quorvex tandil",
        });
      for (const part of stableParts.slice(0, 6))
        await seedVersion(db, {
          packageId: `Beta.${part}`,
          version: "1.0.0-beta",
          owners: ["uma"],
          description: "Quorvex tandil",
        });
      await seedVersion(db, { packageId: "Xquorvex.Tandil.Kit", version: "1.0.0", owners: ["uma"] });
    });

    const search = async (
      module: { searchPackages: typeof searchPackages },
      overrides: Partial<PackageSearchQuery>,
      countedMatches: number,
    ) => {
      const result = await module.searchPackages(database(), query({ text: "Quorvex.Tandil", ...overrides }), {
        countedMatches,
        idCandidates: 2,
      });
      return {
        total: result.total,
        many: result.totalIsLowerBound,
        ids: result.hits.map((hit) => hit.packageId).sort(),
      };
    };
    const stableIds = stableParts.map((part) => `Stable.${part}`);

    it("counts the documents with the words first, slice by slice, and every match when they are too few", async () => {
      const fresh = dialect === "postgresql" ? (await withFreshStatistics(database())).fresh : { searchPackages };
      // The fresh modules read through the client itself: the read pool is the other modules' (lib/db readQuery).
      const reads = vi.spyOn(database(), "$queryRaw");
      // The statements that count, from the one before last.
      const counts = () => countStatements(reads).slice(-2);
      // The words' documents read slice by slice, as the second subset, in a statement of their own (Matching.subsetsFirst).
      const wordsFirst =
        /^WITH "subset0" AS MATERIALIZED .*"subset1" AS MATERIALIZED \(WITH "slicedQuery"(?!.*"matches")/s;
      try {
        // Fourteen documents have the words, which the statistics see: with a bound of two they alone show the matches
        // are many, and the count reads them before the ID alternative (sql.ts textWordsCondition).
        expect(await search(fresh, { take: 1 }, 2)).toMatchObject({ total: 2, many: true });
        if (dialect === "postgresql") expect(counts().at(-1)).toMatch(wordsFirst);
        // Of stable versions, the words' documents are eight, fewer than the bound of nine and one: every match is then
        // counted, the ID that holds the text among them.
        expect(await search(fresh, { take: 9, includePrerelease: false }, 9)).toEqual({
          total: 9,
          many: false,
          ids: [...stableIds, "Xquorvex.Tandil.Kit"].sort(),
        });
        if (dialect === "postgresql") {
          const [subsets, matches] = counts();
          expect(subsets).toMatch(wordsFirst);
          // The matches then in another, without the subsets, which fell short.
          expect(matches).toMatch(/^WITH "matches" AS MATERIALIZED/);
        }
        // Two words, matched together as word starts: the matches are those documents, counted slice by slice, every
        // slice read, since they are fewer than the bound.
        expect(await search(fresh, { text: "quorvex tandil", take: 9, includePrerelease: false }, 9)).toEqual({
          total: 8,
          many: false,
          ids: stableIds,
        });
        if (dialect === "postgresql")
          expect(counts().at(-1)).toMatch(/^WITH "matches" AS MATERIALIZED \(WITH "slicedQuery"/);
      } finally {
        reads.mockRestore();
      }
    });
  },
);

describe.each(testDialects())(
  "counting a text's words from the slices expected to hold enough of them, on %s",
  (dialect) => {
    const database = useMigratedDatabase(dialect);
    const stableIds = ["A", "B", "C", "D", "E", "F", "G", "H"].map((part) => `Stable.${part}`);

    beforeAll(async () => {
      const db = database();
      // Eight stable packages one after another, a document in each of PostgreSQL's eight slices (sql.ts termsSlices),
      // then thirty-two prereleases with the same words, and ten packages without them: the statistics put forty
      // documents at the words, of which the stable versions' variant shows eight, one a slice.
      for (const packageId of stableIds)
        await seedVersion(db, { packageId, version: "1.0.0", owners: ["uma"], description: "Zindral morvak" });
      for (let index = 0; index < 32; index += 1)
        await seedVersion(db, {
          packageId: `Beta.P${index}`,
          version: "1.0.0-beta",
          owners: ["uma"],
          description: "Zindral morvak",
        });
      for (let index = 0; index < 10; index += 1)
        await seedVersion(db, { packageId: `Other.P${index}`, version: "1.0.0", owners: ["uma"] });
    });

    it("falls back to counting every match when those slices hold too few of the variant's", async () => {
      const fresh = dialect === "postgresql" ? (await withFreshStatistics(database())).fresh : { searchPackages };
      const reads = vi.spyOn(database(), "$queryRaw");
      const slicesNamed = (sql: string | undefined) => (sql?.match(/\(d\."id" % 8\) = \d/g) ?? []).length;
      const search = async (overrides: Partial<PackageSearchQuery>) => {
        reads.mockClear();
        // Slices for twice the documents counted, not eight times (sql.ts SUBSET_SLICES_MARGIN): the words are together here.
        const result = await fresh.searchPackages(
          database(),
          query({ text: "Zindral.Morvak", take: 3, ...overrides }),
          { countedMatches: 3, idCandidates: 2, subsetSlicesMargin: 2 },
        );
        return { total: result.total, many: result.totalIsLowerBound, statements: countStatements(reads) };
      };
      try {
        // Shown the prereleases too, the first slices hold more than the bound of three and one: the words' subset
        // alone shows the matches are many.
        const all = await search({});
        expect(all).toMatchObject({ total: 3, many: true });
        if (dialect === "postgresql") {
          expect(all.statements).toHaveLength(1);
          expect(slicesNamed(all.statements[0])).toBeGreaterThan(0);
          expect(slicesNamed(all.statements[0])).toBeLessThan(8);
        }
        // Of stable versions, those slices hold one each, too few: every match is then counted, and the eight are many.
        const stable = await search({ includePrerelease: false });
        expect(stable).toMatchObject({ total: 3, many: true });
        if (dialect === "postgresql") {
          const [subsets, matches] = stable.statements;
          expect(slicesNamed(subsets)).toBeLessThan(4);
          expect(matches).toMatch(/^WITH "matches" AS MATERIALIZED/);
        }
        // With a bound above the stable versions, none is left out of the count.
        const exact = await fresh.searchPackages(
          database(),
          query({ text: "Zindral.Morvak", take: 9, includePrerelease: false }),
          { countedMatches: 9, idCandidates: 2 },
        );
        expect(exact.total).toBe(8);
        expect(exact.hits.map((hit) => hit.packageId).sort()).toEqual(stableIds);
      } finally {
        reads.mockRestore();
      }
    });
  },
);

describe.each(testDialects())("search hits' target frameworks on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);

  it("are the short names the shown version's dependency groups name, each once, without the any-framework group", async () => {
    const db = database();
    await seedVersion(db, {
      packageId: "Framework.Targets",
      version: "1.0.0",
      owners: ["heidi"],
      dependencyGroups: [{ targetFramework: "net462", dependencies: [] }],
    });
    await seedVersion(db, {
      packageId: "Framework.Targets",
      version: "2.0.0",
      owners: ["heidi"],
      dependencyGroups: [
        { targetFramework: ".NETStandard2.0", dependencies: [{ id: "Some.Dependency", range: "[1.0.0, )" }] },
        { targetFramework: "net8.0", dependencies: [] },
        { targetFramework: "NET8.0", dependencies: [] },
        { dependencies: [] },
        { targetFramework: "not a framework!", dependencies: [] },
      ],
    });
    await seedVersion(db, { packageId: "Framework.None", version: "1.0.0", owners: ["heidi"] });
    const { hits } = await searchPackages(db, query({ text: "framework" }));
    const frameworks = Object.fromEntries(hits.map((hit) => [hit.packageId, hit.shown.targetFrameworks]));
    expect(frameworks).toEqual({ "Framework.Targets": ["netstandard2.0", "net8.0"], "Framework.None": [] });
  });
});
