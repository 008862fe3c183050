// The real NuGet client using the running gallery (`next start`) as an everyday source, with the
// nuget.config and commands the gallery's own pages hand out:
// - `dotnet add package <id>` without a version takes the highest listed stable version,
//   passing over a higher unlisted one (the client reads listed:false from the registration);
// - `dotnet restore` resolves the floating range 1.* and the range [1.0,2.0) to the versions
//   NuGet's rules pick, restores an unlisted version asked for exactly, and floats 3.* to the
//   unlisted 3.0.0 (floating resolution ignores listing, as the client does with nuget.org);
// - `dotnet package search` lists the gallery's matching packages, never an unlisted one;
// - the package page's `dotnet nuget add source` and `dotnet add package --source` work as shown.
// One gallery, one account and one set of pushed packages serve every case, and the client
// runs overlap, three at a time (each in its own folder, with its own package and HTTP caches):
// more only queue for the two cores.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { findInstalledSdk, runDotnet, type DotnetResult } from "@/test/support/dotnet";
import { newAccount, signUp, snapshot } from "./helpers";
import { e2eBaseUrl, e2ePkiDir } from "./support/environment";
import { createPushKey, publishPackageFile, reserveIds } from "./support/gallery";
import { skipWithoutDotnet, dotnetAvailable, dotnetOverlay, writePackage } from "./support/pki";
import { uniquePackageId } from "./upload-steps";

const SERVICE_INDEX = `${e2eBaseUrl}/v3/index.json`;
const LISTED = ["1.0.0", "1.5.0", "2.0.0", "2.1.0-beta"];
const UNLISTED = "3.0.0";
const CLIENT_TIMEOUT_MS = 180_000;
const CONCURRENT_RUNS = 3;

/** Runs the tasks, at most `limit` at a time; results in the tasks' order. */
async function inTurns<Results extends unknown[]>(
  limit: number,
  tasks: { [K in keyof Results]: () => Promise<Results[K]> },
): Promise<Results> {
  const results: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<unknown>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results as Results;
}

interface ClientCase {
  directory: string;
  run(args: readonly string[]): Promise<DotnetResult>;
}

/** A folder with its own package folder and HTTP cache, so concurrent cases never share state. */
async function clientCase(root: string, name: string): Promise<ClientCase> {
  const directory = path.join(root, name);
  await mkdir(directory, { recursive: true });
  const environment: NodeJS.ProcessEnv = {
    ...dotnetOverlay().environment,
    NUGET_PACKAGES: path.join(directory, "packages"),
    NUGET_HTTP_CACHE_PATH: path.join(directory, "http-cache"),
    // No MSBuild or build-server processes outlive the command.
    MSBUILDDISABLENODEREUSE: "1",
    DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER: "1",
  };
  return { directory, run: (args) => runDotnet(dotnetOverlay(), args, { timeoutMs: CLIENT_TIMEOUT_MS, environment }) };
}

async function writeProject(directory: string, framework: string, packageReference = ""): Promise<string> {
  const project = path.join(directory, "Consumer.csproj");
  await writeFile(
    project,
    `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>${framework}</TargetFramework><NuGetAudit>false</NuGetAudit></PropertyGroup>
  <ItemGroup>${packageReference}</ItemGroup>
</Project>
`,
  );
  return project;
}

/** The versions restore chose, from obj/project.assets.json: "<id>/<version>" keys, versions only. */
async function restoredVersions(directory: string, packageId: string): Promise<string[]> {
  const assets = JSON.parse(await readFile(path.join(directory, "obj", "project.assets.json"), "utf8")) as {
    libraries: Record<string, unknown>;
  };
  const prefix = `${packageId.toLowerCase()}/`;
  return Object.keys(assets.libraries)
    .filter((key) => key.toLowerCase().startsWith(prefix))
    .map((key) => key.slice(prefix.length));
}

async function snippet(page: Page, id: string): Promise<string> {
  return (await page.locator(`#${id}`).innerText()).trim();
}

async function unlist(request: APIRequestContext, secret: string, packageId: string, version: string): Promise<void> {
  const response = await request.delete(`/api/v2/package/${packageId}/${version}`, {
    headers: { "X-NuGet-ApiKey": secret },
  });
  expect(response.status(), await response.text()).toBe(200);
}

test.describe("the gallery as a NuGet source for the real client", () => {
  test.describe.configure({ mode: "serial", timeout: 240_000 });

  // The account reserves the prefix, so the pages map it (not just the ID) to the gallery.
  const prefix = `${uniquePackageId("E2EFeed")}.`;
  const library = `${prefix}Lib`;
  const hidden = `${prefix}Hidden`;
  let framework = "";
  let mappingConfig = "";
  let root = "";

  test.beforeAll(async ({ browser }) => {
    if (!dotnetAvailable()) {
      // The tests below call skipWithoutDotnet, which fails them under CI=true.
      return;
    }
    const installed = await findInstalledSdk();
    framework = `net${installed?.version.split(".")[0]}.0`;
    root = path.join(e2ePkiDir, "work", `feed-${library}`);
    const page = await browser.newPage();
    const account = newAccount();
    await signUp(page, account);
    await reserveIds(prefix, account.username, { isPrefix: true });
    const secret = await createPushKey(page.request, ["push", "push-version", "unlist"]);
    for (const version of [...LISTED, UNLISTED])
      await publishPackageFile(page.request, secret, await writePackage({ id: library, version }));
    await unlist(page.request, secret, library, UNLISTED);
    await publishPackageFile(
      page.request,
      secret,
      await writePackage({ id: hidden, version: "1.0.0", description: `${library} hidden twin` }),
    );
    await unlist(page.request, secret, hidden, "1.0.0");
    // The nuget.config the package page hands out: this ID from the gallery alone, the rest from nuget.org.
    await page.goto(`/packages/${library}`);
    mappingConfig = await snippet(page, "feed-source-mapping");
    await page.close();
  });

  test.beforeEach(() => {
    skipWithoutDotnet();
  });

  test("the package page and the home page show the source, the add-source command and the mapping", async ({
    page,
  }) => {
    await page.goto(`/packages/${library}`);
    await expect(page.locator("#feed-source-url")).toHaveText(SERVICE_INDEX);
    await expect(page.locator("#feed-add-source")).toHaveText(
      `dotnet nuget add source ${SERVICE_INDEX} -n 127.0.0.1 --allow-insecure-connections`,
    );
    await expect(page.locator("#install-dotnet-cli")).toHaveText(
      `dotnet add package ${library} --version 2.0.0 --source ${SERVICE_INDEX}`,
    );
    expect(mappingConfig).toContain(`<package pattern="${prefix}*" />`);
    expect(mappingConfig).toContain(`<add key="127.0.0.1" value="${SERVICE_INDEX}" allowInsecureConnections="true" />`);
    await snapshot(page, "package-feed-source");
    await page.goto("/");
    await expect(page.locator("#feed-source-url")).toHaveText(SERVICE_INDEX);
    // The home page maps every reserved prefix to the gallery.
    await expect(page.locator("#feed-source-mapping")).toContainText(`<package pattern="${prefix}*" />`);
  });

  test("serves HEAD, gzip on the /3.6.0 hive, and 400 with a sentence for a bad parameter or address", async ({
    request,
  }) => {
    const registration = `/v3/registration-gz-semver2/${library.toLowerCase()}/index.json`;
    const get = await request.get(registration, { headers: { "Accept-Encoding": "gzip" } });
    expect(get.status()).toBe(200);
    expect(get.headers()["content-encoding"]).toBe("gzip");
    expect(((await get.json()) as { count: number }).count).toBe(1);
    const head = await request.head(registration);
    expect(head.status()).toBe(200);
    expect(await head.body()).toHaveLength(0);
    const bad = await request.get("/v3/search?take=lots");
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toEqual({
      error: {
        code: "INVALID_QUERY_PARAMETER",
        message: "The 'take' parameter must be a whole number of 0 or more; it was 'lots'.",
      },
    });
    // Next itself fails on a broken percent-encoding in a route parameter; the proxy answers first.
    for (const address of ["/v3/registration/%E0%A4%A/index.json", "/v3-flatcontainer/%ZZ/index.json"]) {
      const broken = await request.get(address);
      expect({
        address,
        status: broken.status(),
        code: ((await broken.json()) as { error: { code: string } }).error.code,
      }).toEqual({ address, status: 400, code: "INVALID_URL" });
    }
  });

  test("dotnet add, restore and search pick the versions NuGet's rules and the listed flags say", async () => {
    const started = Date.now();
    const withConfig = async (name: string, config: string, reference = "") => {
      const client = await clientCase(root, name);
      await writeFile(path.join(client.directory, "nuget.config"), config);
      await writeProject(client.directory, framework, reference);
      return client;
    };
    const withMapping = (name: string, reference = "") => withConfig(name, mappingConfig, reference);
    // `dotnet add package` asks every source for the latest version, whatever the mapping says;
    // this one knows only the gallery, so the test never depends on reaching nuget.org.
    const galleryOnly = `<configuration>\n  <packageSources>\n    <clear />\n    <add key="gallery" value="${SERVICE_INDEX}" allowInsecureConnections="true" />\n  </packageSources>\n</configuration>\n`;
    const reference = (version: string) => `<PackageReference Include="${library}" Version="${version}" />`;

    const [addLatest, floating, floatingUnlisted, range, exactUnlisted, search] = await Promise.all([
      withConfig("add-latest", galleryOnly),
      withMapping("floating", reference("1.*")),
      withMapping("floating-unlisted", reference("3.*")),
      withMapping("range", reference("[1.0,2.0)")),
      withMapping("exact-unlisted", reference(`[${UNLISTED}]`)),
      withMapping("search"),
    ]);
    const searchArgs = [
      "package",
      "search",
      library,
      "--source",
      SERVICE_INDEX,
      "--configfile",
      path.join(search.directory, "nuget.config"),
      "--format",
      "json",
    ];
    type Seven = [DotnetResult, DotnetResult, DotnetResult, DotnetResult, DotnetResult, DotnetResult, DotnetResult];
    const [added, floated, floatedToUnlisted, ranged, pinned, searched, searchedPrerelease] = await inTurns<Seven>(
      CONCURRENT_RUNS,
      [
        () => addLatest.run(["add", path.join(addLatest.directory, "Consumer.csproj"), "package", library]),
        () => floating.run(["restore", floating.directory]),
        () => floatingUnlisted.run(["restore", floatingUnlisted.directory]),
        () => range.run(["restore", range.directory]),
        () => exactUnlisted.run(["restore", exactUnlisted.directory]),
        () => search.run(searchArgs),
        () => search.run([...searchArgs, "--prerelease"]),
      ],
    );
    console.log(
      `[dotnet-feed] seven client runs, ${CONCURRENT_RUNS} at a time, took ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    // Without a version: the highest listed stable version, not the unlisted 3.0.0 nor the 2.1.0-beta prerelease.
    expect(added.exitCode, added.output).toBe(0);
    expect(await readFile(path.join(addLatest.directory, "Consumer.csproj"), "utf8")).toContain(
      `Include="${library}" Version="2.0.0"`,
    );
    expect(floated.exitCode, floated.output).toBe(0);
    expect(await restoredVersions(floating.directory, library)).toEqual(["1.5.0"]);
    // The client resolves a floating range over the flat container's list, listed or not (NuGet's
    // rule, NuGet/Home#10931): 3.* restores the unlisted 3.0.0, as it would from nuget.org.
    expect(floatedToUnlisted.exitCode, floatedToUnlisted.output).toBe(0);
    expect(await restoredVersions(floatingUnlisted.directory, library)).toEqual([UNLISTED]);
    // A range resolves to its lowest available version.
    expect(ranged.exitCode, ranged.output).toBe(0);
    expect(await restoredVersions(range.directory, library)).toEqual(["1.0.0"]);
    // Unlisting hides a version; it does not break a build that pins it.
    expect(pinned.exitCode, pinned.output).toBe(0);
    expect(await restoredVersions(exactUnlisted.directory, library)).toEqual([UNLISTED]);

    expect(searched.exitCode, searched.output).toBe(0);
    const packagesFound = (result: DotnetResult) => {
      const json = JSON.parse(result.output.slice(result.output.indexOf("{"))) as {
        searchResult: { packages: { id: string; latestVersion: string }[] }[];
      };
      return json.searchResult.flatMap((source) => source.packages).map((found) => [found.id, found.latestVersion]);
    };
    expect(packagesFound(searched)).toEqual([[library, "2.0.0"]]);
    expect(packagesFound(searchedPrerelease)).toEqual([[library, "2.1.0-beta"]]);
  });

  test("the package page's add-source and install commands work as shown", async ({ page }) => {
    await page.goto(`/packages/${library}`);
    const addSource = await snippet(page, "feed-add-source");
    const install = await snippet(page, "install-dotnet-cli");
    const client = await clientCase(root, "page-commands");
    const config = path.join(client.directory, "nuget.config");
    await writeFile(
      config,
      "<configuration>\n  <packageSources>\n    <clear />\n  </packageSources>\n</configuration>\n",
    );
    const project = await writeProject(client.directory, framework);
    // Into this folder's nuget.config rather than the user's, so no other spec sees the source.
    const added = await client.run([...addSource.split(" ").slice(1), "--configfile", config]);
    expect(added.exitCode, added.output).toBe(0);
    // "dotnet add package …" run for this folder's project: dotnet add <project> package …
    const [, verb, ...rest] = install.split(" ");
    const installed = await client.run([verb ?? "", project, ...rest]);
    expect(installed.exitCode, installed.output).toBe(0);
    expect(await readFile(project, "utf8")).toContain(`Include="${library}" Version="2.0.0"`);
  });
});
