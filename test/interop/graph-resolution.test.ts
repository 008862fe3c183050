// lib/graph against the real client: for each catalog below, the packages are written to a
// local folder source, a project references the root package, and one `dotnet restore` of a
// solution holding every project writes each project.assets.json. The resolved packages
// (the assets file's target) must equal resolveGraph's, and the resolution codes restore
// logged (NU1101, NU1102, NU1103, NU1107, NU1108, NU1602, NU1603, NU1604, NU1605) must equal the ones it predicts.
// The catalogs are the rules NuGet documents (lowest applicable, nearest wins, cousins,
// conflicts, cycles, missing packages, framework groups, prerelease) and seeded random graphs.

import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFramework } from "@/lib/graph/frameworks";
import { resolveGraph, type ResolvedGraph } from "@/lib/graph/resolve";
import { parseVersionRange } from "@/lib/versioning/range";
import { normalizeVersion } from "@/lib/versioning/version";
import { catalogLookup, catalogPackages, randomCatalog, type GraphCatalog } from "@/test/support/dependency-graphs";
import { createOverlaySdk, runDotnet, type OverlaySdk, findTestSdk } from "@/test/support/dotnet";
import { temporaryDirectory } from "@/test/support/pki";
import { rm } from "node:fs/promises";

const installed = await findTestSdk(
  "test/interop/graph-resolution.test.ts",
  "the comparison of lib/graph with `dotnet restore`",
);

const RESOLUTION_CODES = new Set([
  "NU1101",
  "NU1102",
  "NU1103",
  "NU1107",
  "NU1108",
  "NU1602",
  "NU1603",
  "NU1604",
  "NU1605",
]);

interface Scenario {
  name: string;
  catalog: GraphCatalog;
  /** The project's reference; the root of the graph. */
  root: [string, string];
}

const scenarios: Scenario[] = [
  {
    name: "LowestApplicable",
    root: ["G1.A", "1.0.0"],
    catalog: { "G1.A": { "1.0.0": { "G1.B": "1.0.0" } }, "G1.B": { "1.0.1": {}, "1.2.0": {}, "2.0.0": {} } },
  },
  {
    name: "NearestWins",
    root: ["G2.A", "1.0.0"],
    catalog: {
      "G2.A": { "1.0.0": { "G2.C": "2.0.0", "G2.B": "1.0.0" } },
      "G2.B": { "1.0.0": { "G2.C": "1.0.0" } },
      "G2.C": { "1.0.0": {}, "2.0.0": {} },
    },
  },
  {
    name: "Downgrade",
    root: ["G3.A", "1.0.0"],
    catalog: {
      "G3.A": { "1.0.0": { "G3.C": "1.0.0", "G3.B": "1.0.0" } },
      "G3.B": { "1.0.0": { "G3.C": "2.0.0" } },
      "G3.C": { "1.0.0": {}, "2.0.0": {} },
    },
  },
  {
    name: "Cousins",
    root: ["G4.A", "1.0.0"],
    catalog: {
      "G4.A": { "1.0.0": { "G4.B": "1.0.0", "G4.C": "1.0.0" } },
      "G4.B": { "1.0.0": { "G4.D": "1.0.0" } },
      "G4.C": { "1.0.0": { "G4.E": "1.0.0" } },
      "G4.E": { "1.0.0": { "G4.D": "2.0.0" } },
      "G4.D": { "1.0.0": { "G4.X": "1.0.0" }, "2.0.0": { "G4.Y": "1.0.0" } },
      "G4.X": { "1.0.0": {} },
      "G4.Y": { "1.0.0": {} },
    },
  },
  {
    name: "Conflict",
    root: ["G5.A", "1.0.0"],
    catalog: {
      "G5.A": { "1.0.0": { "G5.B": "1.0.0", "G5.C": "1.0.0" } },
      "G5.B": { "1.0.0": { "G5.D": "[1.0.0]" } },
      "G5.C": { "1.0.0": { "G5.D": "2.0.0" } },
      "G5.D": { "1.0.0": {}, "2.0.0": {} },
    },
  },
  {
    name: "Cycle",
    root: ["G6.A", "1.0.0"],
    catalog: {
      "G6.A": { "1.0.0": { "G6.B": "1.0.0" } },
      "G6.B": { "1.0.0": { "G6.C": "1.0.0" } },
      "G6.C": { "1.0.0": { "G6.A": "1.0.0" } },
    },
  },
  {
    name: "Missing",
    root: ["G7.A", "1.0.0"],
    catalog: {
      "G7.A": { "1.0.0": { "G7.Absent": "1.0.0", "G7.B": "3.0.0", "G7.C": "1.0.0" } },
      "G7.B": { "1.0.0": {} },
      "G7.C": { "1.0.0": {} },
    },
  },
  {
    name: "Frameworks",
    root: ["G8.A", "1.0.0"],
    catalog: {
      "G8.A": {
        "1.0.0": [
          { targetFramework: "net8.0", dependencies: { "G8.ForNet": "1.0.0" } },
          { targetFramework: "netstandard2.0", dependencies: { "G8.ForStandard": "1.0.0" } },
          { targetFramework: "net472", dependencies: { "G8.ForFramework": "1.0.0" } },
        ],
      },
      "G8.ForNet": { "1.0.0": [{ targetFramework: ".NETStandard2.1", dependencies: { "G8.Deep": "[1.0.0, 2.0.0)" } }] },
      "G8.ForStandard": { "1.0.0": {} },
      "G8.ForFramework": { "1.0.0": {} },
      "G8.Deep": { "1.0.0": {}, "1.5.0": {} },
    },
  },
  {
    name: "Prerelease",
    root: ["G9.A", "1.0.0"],
    catalog: {
      "G9.A": { "1.0.0": { "G9.B": "[1.0.0, 2.0.0)", "G9.C": "1.0.0-beta" } },
      "G9.B": { "1.0.0-rc.1": {}, "1.1.0-beta": {}, "1.2.0": {} },
      "G9.C": { "1.0.0-alpha": {}, "1.0.0-beta.2": {}, "1.0.0": {} },
    },
  },
  {
    // NuGet's own example of a deep eviction: B 2.0.0 far down X's branch evicts B 1.0.0 and, with it, C and D.
    name: "DeepEviction",
    root: ["G10.Root", "1.0.0"],
    catalog: {
      "G10.Root": { "1.0.0": { "G10.A": "1.0.0", "G10.X": "2.0.0" } },
      "G10.A": { "1.0.0": { "G10.B": "1.0.0" } },
      "G10.B": { "1.0.0": { "G10.C": "1.0.0" }, "2.0.0": {} },
      "G10.C": { "1.0.0": { "G10.D": "1.0.0" } },
      "G10.D": { "1.0.0": {} },
      "G10.X": { "2.0.0": { "G10.Y": "2.0.0" } },
      "G10.Y": { "2.0.0": { "G10.G": "2.0.0" } },
      "G10.G": { "2.0.0": { "G10.B": "2.0.0" } },
    },
  },
  // Seeds chosen so that the import evicts, and 22, 49, 58, 64, 77, 100, 101, 120, 150, 154, 167, 187 and 188 start over.
  ...[11, 22, 23, 37, 41, 49, 58, 64, 77, 83, 97, 100, 101, 113, 120, 150, 154, 167, 187, 188].map((seed): Scenario => {
    const prefix = `R${seed}`;
    return {
      name: `Random${seed}`,
      root: [`${prefix}.P0`, "1.0.0"],
      catalog: randomCatalog(seed, { prefix, packages: 24, maxVersions: 3, maxDependencies: 4 }),
    };
  }),
];

interface AssetsFile {
  targets: Record<string, Record<string, { type: string }>>;
  logs?: Array<{ code: string; level: string }>;
}

function projectXml(framework: string, root: [string, string]): string {
  return `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>${framework}</TargetFramework><NuGetAudit>false</NuGetAudit></PropertyGroup>
  <ItemGroup><PackageReference Include="${root[0]}" Version="${root[1]}" /></ItemGroup>
</Project>
`;
}

describe.skipIf(!installed)("resolveGraph agrees with the project.assets.json dotnet restore writes", () => {
  let directory: string;
  let client: OverlaySdk;
  const framework = `net${installed?.version.split(".")[0]}.0`;
  const assets = new Map<string, AssetsFile>();

  beforeAll(async () => {
    if (!installed) return;
    directory = await temporaryDirectory("signet-graph-resolution-");
    client = await createOverlaySdk(installed, path.join(directory, "sdk"), { codeSigning: [], timestamping: [] });
    const feed = path.join(directory, "feed");
    await mkdir(feed, { recursive: true });
    for (const scenario of scenarios) {
      for (const { id, version, bytes } of catalogPackages(scenario.catalog))
        await writeFile(path.join(feed, `${id}.${version}.nupkg`), bytes);
      const project = path.join(directory, "projects", scenario.name);
      await mkdir(project, { recursive: true });
      await writeFile(path.join(project, `${scenario.name}.csproj`), projectXml(framework, scenario.root));
    }
    await writeFile(
      path.join(directory, "nuget.config"),
      `<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n    <clear />\n    <add key="feed" value="${feed}" />\n  </packageSources>\n</configuration>\n`,
    );
    const solution = path.join(directory, "graphs.slnx");
    await writeFile(
      solution,
      `<Solution>\n${scenarios.map((scenario) => `  <Project Path="projects/${scenario.name}/${scenario.name}.csproj" />`).join("\n")}\n</Solution>\n`,
    );
    const started = Date.now();
    // One restore for every project: restore fails as a whole when one graph has errors, and still writes each assets file.
    const result = await runDotnet(
      client,
      ["restore", solution, "--configfile", path.join(directory, "nuget.config")],
      { timeoutMs: 600_000 },
    );
    console.log(`dotnet restore of ${scenarios.length} projects: ${Date.now() - started} ms (exit ${result.exitCode})`);
    for (const scenario of scenarios) {
      const file = path.join(directory, "projects", scenario.name, "obj", "project.assets.json");
      assets.set(scenario.name, JSON.parse(await readFile(file, "utf8")) as AssetsFile);
    }
  }, 700_000);

  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  async function predicted(scenario: Scenario): Promise<ResolvedGraph> {
    const target = parseFramework(framework);
    if (!target) throw new Error(`cannot read ${framework}`);
    return resolveGraph({
      references: [{ id: scenario.root[0], range: parseVersionRange(scenario.root[1]) }],
      framework: target,
      versionsOf: catalogLookup(scenario.catalog),
    });
  }

  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))("%s", async (_name, scenario) => {
    const file = assets.get(scenario.name);
    if (!file) throw new Error(`restore wrote no assets file for ${scenario.name}`);
    const graph = await predicted(scenario);
    const restored = Object.entries(file.targets[framework] ?? {})
      .filter(([, entry]) => entry.type === "package")
      .map(([key]) => key.toLowerCase())
      .sort();
    const resolved = graph.packages
      .map((entry) => `${entry.idLower}/${normalizeVersion(entry.version).toLowerCase()}`)
      .sort();
    const restoreCodes = [
      ...new Set((file.logs ?? []).map((log) => log.code).filter((code) => RESOLUTION_CODES.has(code))),
    ].sort();
    const predictedCodes = [...new Set(graph.issues.map((issue) => issue.code))].sort();
    expect({ packages: resolved, codes: predictedCodes }).toEqual({ packages: restored, codes: restoreCodes });
  });
});
