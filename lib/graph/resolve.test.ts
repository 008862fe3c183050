// NuGet's resolution rules, one scenario each, as NuGet's documentation states them
// ("Dependency resolution": lowest applicable version, floating versions, direct dependency
// wins, cousin dependencies) plus what restore reports: NU1101/NU1102/NU1103 for missing
// packages, NU1107 for a conflict, NU1108 for a cycle, NU1605 for a downgrade and NU1603 for an
// approximate match. test/interop/graph-resolution.test.ts checks whole graphs against the
// project.assets.json the real client writes.

import { describe, expect, it } from "vitest";
import { parseVersionRange } from "@/lib/versioning/range";
import { normalizeVersion, parseVersion } from "@/lib/versioning/version";
import { parseFramework } from "./frameworks";
import { resolveGraph, type PackageVersions, type StoredGroup, type VersionsLookup } from "./resolve";

/** id → version → dependencies (id → range text), or explicit groups per framework. */
type Catalog = Record<string, Record<string, Record<string, string> | StoredGroup[]>>;

function lookupOf(catalog: Catalog, calls: string[][] = []): VersionsLookup {
  return async (idsLower) => {
    calls.push([...idsLower]);
    const found = new Map<string, PackageVersions>();
    for (const [id, versions] of Object.entries(catalog)) {
      if (!idsLower.includes(id.toLowerCase())) continue;
      found.set(id.toLowerCase(), {
        id,
        versions: Object.entries(versions).map(([version, dependencies]) => ({
          version: parseVersion(version),
          dependencyGroups: Array.isArray(dependencies)
            ? dependencies
            : [
                {
                  dependencies: Object.entries(dependencies).map(([dependencyId, range]) => ({
                    id: dependencyId,
                    range,
                  })),
                },
              ],
        })),
      });
    }
    return found;
  };
}

const NET8 = parseFramework("net8.0");
if (!NET8) throw new Error("net8.0 must parse");

async function resolve(
  catalog: Catalog,
  references: Record<string, string>,
  options: { framework?: string; maxNodes?: number } = {},
) {
  const framework = parseFramework(options.framework ?? "net8.0");
  if (!framework) throw new Error("bad framework");
  return resolveGraph({
    references: Object.entries(references).map(([id, range]) => ({
      id,
      range: parseVersionRange(range, { allowFloating: true }),
    })),
    framework,
    versionsOf: lookupOf(catalog),
    maxNodes: options.maxNodes,
  });
}

function versions(graph: Awaited<ReturnType<typeof resolve>>): Record<string, string> {
  return Object.fromEntries(graph.packages.map((entry) => [entry.id, normalizeVersion(entry.version)]));
}

function codes(graph: Awaited<ReturnType<typeof resolve>>): string[] {
  return graph.issues.map((issue) => issue.code);
}

describe("resolveGraph", () => {
  it("takes the lowest version a range allows, and says when the lower bound itself is missing", async () => {
    const graph = await resolve(
      { A: { "1.0.0": { B: "[1.0.0, )" } }, B: { "1.0.1": {}, "1.1.0": {}, "2.0.0": {} } },
      { A: "1.0.0" },
    );
    expect(versions(graph)).toEqual({ A: "1.0.0", B: "1.0.1" });
    expect(codes(graph)).toEqual(["NU1603"]);
  });

  it("takes the highest version a floating reference allows", async () => {
    const graph = await resolve({ A: { "1.0.0": {}, "1.4.0": {}, "2.0.0": {}, "1.9.0-beta": {} } }, { A: "1.*" });
    expect(versions(graph)).toEqual({ A: "1.4.0" });
  });

  it("does not pick a prerelease for a range without prerelease bounds", async () => {
    const graph = await resolve(
      { A: { "1.0.0": { B: "[1.0.0, 2.0.0)" } }, B: { "1.5.0-beta": {}, "2.0.0": {} } },
      { A: "1.0.0" },
    );
    expect(graph.packages.map((entry) => entry.id)).toEqual(["A"]);
    expect(graph.unresolved).toMatchObject([{ id: "B", code: "NU1103" }]);
    expect(codes(graph)).toEqual(["NU1103"]);
  });

  it("lets the nearest declaration win without a warning when it asks for at least as much", async () => {
    const graph = await resolve(
      { A: { "2.0.0": {}, "1.0.0": {} }, B: { "1.0.0": { A: "[1.0.0, )" } } },
      { A: "2.0.0", B: "1.0.0" },
    );
    expect(versions(graph)).toEqual({ A: "2.0.0", B: "1.0.0" });
    expect(codes(graph)).toEqual([]);
  });

  it("lets a direct dependency win over a farther one asking for more, reporting the downgrade (NU1605)", async () => {
    const graph = await resolve(
      { A: { "1.0.0": {}, "2.0.0": {} }, B: { "1.0.0": { A: "[2.0.0, )" } } },
      { A: "1.0.0", B: "1.0.0" },
    );
    expect(versions(graph)).toEqual({ A: "1.0.0", B: "1.0.0" });
    expect(codes(graph)).toEqual(["NU1605"]);
    expect(graph.issues[0]?.message).toContain("Detected package downgrade: A");
  });

  it("resolves cousins at the same depth to the highest of their lowest versions", async () => {
    const graph = await resolve(
      {
        B: { "1.0.0": { D: "[1.0.0, )" } },
        C: { "1.0.0": { D: "[2.0.0, )" } },
        D: { "1.0.0": {}, "2.0.0": {}, "3.0.0": {} },
      },
      { B: "1.0.0", C: "1.0.0" },
    );
    expect(versions(graph)).toEqual({ B: "1.0.0", C: "1.0.0", D: "2.0.0" });
    expect(
      graph.packages.find((entry) => entry.id === "D")?.requestedBy.map((requirement) => requirement.parent),
    ).toEqual(["b", "c"]);
  });

  it("treats the same ID at different depths on separate branches as cousins, not nearest-wins", async () => {
    const graph = await resolve(
      {
        B: { "1.0.0": { D: "[1.0.0, )" } },
        C: { "1.0.0": { E: "1.0.0" } },
        E: { "1.0.0": { D: "[2.0.0, )" } },
        D: { "1.0.0": {}, "2.0.0": {} },
      },
      { B: "1.0.0", C: "1.0.0" },
    );
    expect(versions(graph)).toMatchObject({ D: "2.0.0" });
    // Placed where restore first meets it: under B, at the shorter path.
    expect(graph.packages.find((entry) => entry.id === "D")?.depth).toBe(2);
  });

  it("drops what only a rejected cousin needed", async () => {
    const graph = await resolve(
      {
        B: { "1.0.0": { D: "[1.0.0, )" } },
        C: { "1.0.0": { D: "[2.0.0, )" } },
        D: { "1.0.0": { X: "1.0.0" }, "2.0.0": { Y: "1.0.0" } },
        X: { "1.0.0": {} },
        Y: { "1.0.0": {} },
      },
      { B: "1.0.0", C: "1.0.0" },
    );
    expect(versions(graph)).toEqual({ B: "1.0.0", C: "1.0.0", D: "2.0.0", Y: "1.0.0" });
  });

  it("starts over when a higher version deep in one branch evicts what another branch brought in", async () => {
    // NuGet's own example: B 2.0.0 under X evicts B 1.0.0 under A, and C and D with it.
    const graph = await resolve(
      {
        A: { "1.0.0": { B: "1.0.0" } },
        B: { "1.0.0": { C: "1.0.0" }, "2.0.0": {} },
        C: { "1.0.0": { D: "1.0.0" } },
        D: { "1.0.0": {} },
        X: { "2.0.0": { Y: "2.0.0" } },
        Y: { "2.0.0": { G: "2.0.0" } },
        G: { "2.0.0": { B: "2.0.0" } },
      },
      { A: "1.0.0", X: "2.0.0" },
    );
    expect(versions(graph)).toEqual({ A: "1.0.0", B: "2.0.0", X: "2.0.0", Y: "2.0.0", G: "2.0.0" });
    expect(codes(graph)).toEqual([]);
  });

  it("reports a cousin whose exact range cannot be met (NU1107), leaving the package out as restore does", async () => {
    const graph = await resolve(
      { B: { "1.0.0": { D: "[1.0.0]" } }, C: { "1.0.0": { D: "[2.0.0, )" } }, D: { "1.0.0": {}, "2.0.0": {} } },
      { B: "1.0.0", C: "1.0.0" },
    );
    expect(versions(graph)).toEqual({ B: "1.0.0", C: "1.0.0" });
    expect(codes(graph)).toEqual(["NU1107"]);
    expect(graph.issues[0]?.message).toContain("Version conflict detected for D");
  });

  it("detects a cycle back to an ancestor (NU1108)", async () => {
    const graph = await resolve(
      { A: { "1.0.0": { B: "1.0.0" } }, B: { "1.0.0": { C: "1.0.0" } }, C: { "1.0.0": { A: "1.0.0" } } },
      { A: "1.0.0" },
    );
    expect(codes(graph)).toEqual(["NU1108"]);
    expect(graph.issues[0]?.message).toBe("Cycle detected: A 1.0.0 -> B 1.0.0 -> C 1.0.0 -> A ≥ 1.0.0.");
  });

  it("reports an ID the source lacks (NU1101) and keeps resolving the rest", async () => {
    const graph = await resolve(
      { A: { "1.0.0": { Missing: "1.0.0", B: "1.0.0" } }, B: { "1.0.0": {} } },
      { A: "1.0.0" },
    );
    expect(versions(graph)).toEqual({ A: "1.0.0", B: "1.0.0" });
    expect(graph.unresolved).toMatchObject([
      { id: "Missing", code: "NU1101", depth: 2, requestedBy: [{ parent: "a" }] },
    ]);
    expect(codes(graph)).toEqual(["NU1101"]);
  });

  it("follows the dependency group nearest the target framework", async () => {
    const catalog: Catalog = {
      A: {
        "1.0.0": [
          { targetFramework: "net6.0", dependencies: [{ id: "ForNet", range: "1.0.0" }] },
          { targetFramework: ".NETStandard2.0", dependencies: [{ id: "ForStandard", range: "1.0.0" }] },
        ],
      },
      ForNet: { "1.0.0": {} },
      ForStandard: { "1.0.0": {} },
    };
    expect(versions(await resolve(catalog, { A: "1.0.0" }))).toEqual({ A: "1.0.0", ForNet: "1.0.0" });
    expect(versions(await resolve(catalog, { A: "1.0.0" }, { framework: "net472" }))).toEqual({
      A: "1.0.0",
      ForStandard: "1.0.0",
    });
  });

  it("reads a dependency stored without a version as any version", async () => {
    const graph = await resolve({ A: { "1.0.0": { B: "(, )" } }, B: { "0.5.0": {}, "1.0.0": {} } }, { A: "1.0.0" });
    expect(versions(graph)).toEqual({ A: "1.0.0", B: "0.5.0" });
  });

  it("looks up each level's IDs in one call", async () => {
    const calls: string[][] = [];
    await resolveGraph({
      references: [{ id: "A", range: parseVersionRange("1.0.0") }],
      framework: NET8,
      versionsOf: lookupOf(
        {
          A: { "1.0.0": { B: "1.0.0", C: "1.0.0" } },
          B: { "1.0.0": { D: "1.0.0" } },
          C: { "1.0.0": { D: "1.0.0" } },
          D: { "1.0.0": {} },
        },
        calls,
      ),
    });
    expect(calls).toEqual([["a"], ["b", "c"], ["d"]]);
  });

  it("refuses a walk larger than its budget instead of running out of memory", async () => {
    await expect(
      resolve({ A: { "1.0.0": { B: "1.0.0" } }, B: { "1.0.0": {} } }, { A: "1.0.0" }, { maxNodes: 1 }),
    ).rejects.toMatchObject({ code: "DEPENDENCY_GRAPH_TOO_COMPLEX" });
  });
});
