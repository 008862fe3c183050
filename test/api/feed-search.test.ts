// The V3 SearchQueryService and SearchAutocompleteService through their route handlers on a
// migrated database: results in the shapes NuGet's client deserialises, NuGet's parameters
// (q with field filters, skip, take, prerelease, semVerLevel, packageType; id for
// autocomplete), unlisted versions never shown, `verified` from prefix reservations, each
// result's versions linked to registration leaves, signet:signature, and 400 with a sentence
// (never a 500) for parameters that cannot be read. One package is pushed through the push
// route, so the package type really comes from an uploaded nuspec.
import { beforeAll, describe, expect, it } from "vitest";
import authorSigned from "@/test/support/gallery-fixtures/author-and-repository-signed.report.json";
import { seedReservation, seedVersion } from "@/test/support/gallery-fixtures/seed-gallery";
import { refreshSearchDocuments } from "@/lib/search/search-index";
import type { SignatureReport } from "@/lib/signing/report";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { autocompleteResults, searchResults, signetSignature } from "@/test/support/nuget-client-shapes";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { createAccounts, createKeySecret, useScratchStorage } from "./push-support";

type SearchRoute = typeof import("@/app/v3/search/route");
type AutocompleteRoute = typeof import("@/app/v3/autocomplete/route");

const ORIGIN = "http://gallery.test";

interface Result {
  id: string;
  version: string;
  verified: boolean;
  owners: string[];
  versions: { version: string; "@id": string }[];
  registration: string;
  packageTypes: { name: string }[];
  "signet:signature": unknown;
}

describe.each(testDialects())("V3 search and autocomplete on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  useScratchStorage();
  let searchRoute: SearchRoute;
  let autocompleteRoute: AutocompleteRoute;

  function search(query: string, headers: Record<string, string> = {}): Promise<Response> {
    return searchRoute.GET(new Request(`${ORIGIN}/v3/search?${query}`, { headers }));
  }

  async function results(query: string): Promise<{ totalHits: number; data: Result[] }> {
    const response = await search(query);
    expect(response.status, await response.clone().text()).toBe(200);
    return searchResults.parse(await response.json()) as unknown as { totalHits: number; data: Result[] };
  }

  async function ids(query: string): Promise<string[]> {
    return (await results(query)).data.map((result) => result.id);
  }

  async function autocomplete(query: string): Promise<{ totalHits?: number; data: string[] }> {
    const response = await autocompleteRoute.GET(new Request(`${ORIGIN}/v3/autocomplete?${query}`));
    expect(response.status, await response.clone().text()).toBe(200);
    return autocompleteResults.parse(await response.json());
  }

  /** As unlisting does: the rows, and the package's search documents in the same transaction. */
  async function setListed(packageIdLower: string, listed: boolean): Promise<void> {
    await database().$transaction(async (tx) => {
      const registration = await tx.packageRegistration.findUniqueOrThrow({ where: { packageIdLower } });
      await tx.packageVersion.updateMany({ where: { registrationId: registration.id }, data: { listed } });
      await refreshSearchDocuments(tx, [registration.id]);
    });
  }

  beforeAll(async () => {
    searchRoute = await import("@/app/v3/search/route");
    autocompleteRoute = await import("@/app/v3/autocomplete/route");
    const push = await import("@/app/api/v2/package/route");
    const db = database();
    await seedReservation(db, "Contoso.", ["alice"]);
    await seedVersion(db, {
      packageId: "Contoso.Core",
      version: "1.0.0",
      owners: ["alice"],
      report: authorSigned as SignatureReport,
      tags: "json",
    });
    await seedVersion(db, { packageId: "Contoso.Core", version: "1.1.0", owners: ["alice"] });
    await seedVersion(db, { packageId: "Contoso.Core", version: "2.0.0", owners: ["alice"], listed: false });
    await seedVersion(db, { packageId: "Contoso.Core", version: "2.1.0-beta", owners: ["alice"] });
    await seedVersion(db, { packageId: "Contoso.Core", version: "2.1.0-rc.1", owners: ["alice"] });
    await seedVersion(db, { packageId: "Contoso.Preview", version: "0.1.0-alpha", owners: ["alice"] });
    await seedVersion(db, { packageId: "Fabrikam.Contoso", version: "1.0.0", owners: ["bob"] });
    await seedVersion(db, { packageId: "Unlisted.Only", version: "1.0.0", owners: ["bob"], listed: false });

    const { carol } = await createAccounts(db, ["carol"]);
    const tool = new Uint8Array(
      buildUnsignedPackage({
        id: "Carol.Tool",
        version: "1.0.0",
        metadataXml: '\n    <packageTypes><packageType name="DotnetTool" /></packageTypes>',
      }),
    );
    const pushed = await push.PUT(
      new Request(`${ORIGIN}/api/v2/package`, {
        method: "PUT",
        headers: { "X-NuGet-ApiKey": await createKeySecret(db, carol) },
        body: tool,
      }),
    );
    expect(pushed.status, await pushed.clone().text()).toBe(201);
  });

  it("answers in the shape the client reads, with the shown version's metadata, owners and verified check", async () => {
    const { totalHits, data } = await results("q=contoso.core");
    expect(totalHits).toBe(1);
    expect(data[0]).toMatchObject({
      "@id": `${ORIGIN}/v3/registration/contoso.core/index.json`,
      registration: `${ORIGIN}/v3/registration/contoso.core/index.json`,
      id: "Contoso.Core",
      version: "1.1.0",
      description: "Contoso.Core does useful things.",
      authors: ["Contoso Authors"],
      owners: ["alice"],
      verified: true,
      totalDownloads: 0,
      packageTypes: [{ name: "Dependency" }],
    });
    expect(data[0]?.versions).toEqual([
      { version: "1.0.0", downloads: 0, "@id": `${ORIGIN}/v3/registration/contoso.core/1.0.0.json` },
      { version: "1.1.0", downloads: 0, "@id": `${ORIGIN}/v3/registration/contoso.core/1.1.0.json` },
    ]);
    expect((await results("q=fabrikam")).data[0]?.verified).toBe(false);
  });

  it("gives totalDownloads and each version's downloads as the roll-up counted the flat container's downloads", async () => {
    const download = await import("@/app/v3-flatcontainer/[id]/[version]/[file]/route");
    const { rollUpDownloads } = await import("@/lib/jobs/downloads");
    const { services } = await import("@/lib/services");
    const file = "carol.tool.1.0.0.nupkg";
    for (let i = 0; i < 2; i += 1) {
      const response = await download.GET(new Request(`${ORIGIN}/v3-flatcontainer/carol.tool/1.0.0/${file}`), {
        params: Promise.resolve({ id: "carol.tool", version: "1.0.0", file }),
      });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
    await services.getDownloadCounter().flush();
    await rollUpDownloads(database());
    const [tool] = (await results("q=packageid:carol.tool")).data as Array<
      Result & { totalDownloads: number; versions: Array<{ downloads: number }> }
    >;
    expect(tool?.totalDownloads).toBe(2);
    expect(tool?.versions).toEqual([
      { version: "1.0.0", downloads: 2, "@id": `${ORIGIN}/v3/registration/carol.tool/1.0.0.json` },
    ]);
  });

  it("carries the shown version's signing state as signet:signature", async () => {
    const [shown] = (await results("q=packageid:contoso.core")).data;
    // 1.1.0 is shown and unsigned; the signed 1.0.0 is not. The state is the shown version's.
    expect(signetSignature.parse(shown?.["signet:signature"])).toMatchObject({ status: "unsigned" });
    // Only the shown version's text is searched, as on nuget.org: the tag of 1.0.0 finds nothing.
    expect((await results("q=tags:json")).data).toEqual([]);
    const [old] = (await results("q=packageid:contoso.core version:1.0.0")).data;
    expect(old?.version).toBe("1.1.0");
  });

  it("includes prerelease versions only when asked, and SemVer 2 ones only with semVerLevel=2.0.0", async () => {
    expect(await ids("q=id:contoso")).toEqual(["Contoso.Core", "Fabrikam.Contoso"]);
    const prerelease = (await results("q=packageid:contoso.core&prerelease=true")).data[0];
    expect(prerelease?.version).toBe("2.1.0-beta");
    expect(prerelease?.versions.map((version) => version.version)).toEqual(["1.0.0", "1.1.0", "2.1.0-beta"]);
    const semVer2 = (await results("q=packageid:contoso.core&prerelease=True&semVerLevel=2.0.0")).data[0];
    expect(semVer2?.version).toBe("2.1.0-rc.1");
    expect(semVer2?.registration).toBe(`${ORIGIN}/v3/registration-gz-semver2/contoso.core/index.json`);
    expect(semVer2?.versions.at(-1)).toEqual({
      version: "2.1.0-rc.1",
      downloads: 0,
      "@id": `${ORIGIN}/v3/registration-gz-semver2/contoso.core/2.1.0-rc.1.json`,
    });
    expect(await ids("q=preview&prerelease=true")).toEqual(["Contoso.Preview"]);
  });

  it("never shows unlisted versions, nor packages with only unlisted ones", async () => {
    expect(await ids("q=unlisted")).toEqual([]);
    const all = await results("prerelease=true&semVerLevel=2.0.0&take=100");
    expect(all.data.map((result) => result.id)).not.toContain("Unlisted.Only");
    expect(all.data.flatMap((result) => result.versions.map((version) => version.version))).not.toContain("2.0.0");
  });

  it("filters by packageType, read from the pushed nuspec", async () => {
    expect(await ids("packageType=DotnetTool")).toEqual(["Carol.Tool"]);
    expect((await results("packageType=dotnettool")).data[0]?.packageTypes).toEqual([{ name: "DotnetTool" }]);
    expect(await ids("packageType=Dependency&q=carol")).toEqual([]);
  });

  it("pages with skip and take", async () => {
    const everything = await ids("take=100");
    expect(everything.length).toBeGreaterThan(2);
    expect(await ids("skip=1&take=1")).toEqual([everything[1]]);
    expect((await results("take=0")).data).toEqual([]);
    expect((await results("take=0")).totalHits).toBe(everything.length);
    expect(await ids("take=5000")).toEqual(everything);
  });

  it("answers 400 with the parameter named for values that cannot be meant, never a 500", async () => {
    const cases = [
      ["skip=-1", "The 'skip' parameter must be a whole number from 0 to 100000; it was '-1'."],
      ["skip=100001", "The 'skip' parameter must be a whole number from 0 to 100000; it was '100001'."],
      ["take=ten", "The 'take' parameter must be a whole number of 0 or more; it was 'ten'."],
      ["prerelease=maybe", "The 'prerelease' parameter must be true or false; it was 'maybe'."],
      ["semVerLevel=two", "The 'semVerLevel' parameter must be a version such as 2.0.0; it was 'two'."],
      [
        "packageType=Dotnet%20Tool",
        "The 'packageType' parameter must be a package type name such as DotnetTool; it was 'Dotnet Tool'.",
      ],
      [`q=${"x".repeat(501)}`, "The 'q' parameter may be at most 500 characters long; it was 501."],
      [
        `q=${Array.from({ length: 17 }, (_, index) => `w${index}`).join("+")}`,
        "The 'q' parameter has 17 words and filters; at most 16 are searched.",
      ],
    ] as const;
    for (const [query, message] of cases) {
      const response = await search(query);
      expect({ query, status: response.status, body: await response.json() }).toEqual({
        query,
        status: 400,
        body: { error: { code: "INVALID_QUERY_PARAMETER", message } },
      });
    }
  });

  it("answers 304 for an unchanged result and a fresh one after a change", async () => {
    const first = await search("q=fabrikam");
    const tag = first.headers.get("etag") ?? "";
    expect((await search("q=fabrikam", { "if-none-match": tag })).status).toBe(304);
    await setListed("fabrikam.contoso", false);
    const changed = await search("q=fabrikam", { "if-none-match": tag });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { totalHits: number }).totalHits).toBe(0);
    await setListed("fabrikam.contoso", true);
  });

  it("completes package IDs from q, prefixes first, and lists one package's versions for id", async () => {
    expect(await autocomplete("q=contoso")).toEqual({ totalHits: 2, data: ["Contoso.Core", "Fabrikam.Contoso"] });
    expect(await autocomplete("q=contoso&prerelease=true")).toEqual({
      totalHits: 3,
      data: ["Contoso.Core", "Contoso.Preview", "Fabrikam.Contoso"],
    });
    expect(await autocomplete("q=contoso&skip=1&take=1")).toEqual({ totalHits: 2, data: ["Fabrikam.Contoso"] });
    expect(await autocomplete("id=CONTOSO.CORE")).toEqual({ totalHits: 2, data: ["1.0.0", "1.1.0"] });
    expect(await autocomplete("id=contoso.core&prerelease=true&semVerLevel=2.0.0")).toEqual({
      totalHits: 4,
      data: ["1.0.0", "1.1.0", "2.1.0-beta", "2.1.0-rc.1"],
    });
    expect(await autocomplete("id=unlisted.only")).toEqual({ totalHits: 0, data: [] });
    const bad = await autocompleteRoute.GET(new Request(`${ORIGIN}/v3/autocomplete?id=not%20an%20id`));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("INVALID_QUERY_PARAMETER");
  });
});
