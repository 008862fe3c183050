import { describe, expect, it } from "vitest";
import { describeFolderCycles, folderCycles, type CruisedModule } from "./folder-cycles";
import { importsUpward, LIB_LAYERS } from "./layers";

/** Modules from "importer -> imported" pairs, as dependency-cruiser reports them. */
function modules(...imports: string[]): CruisedModule[] {
  const bySource = new Map<string, Array<{ resolved: string }>>();
  for (const pair of imports) {
    const [source, resolved] = pair.split(" -> ") as [string, string];
    bySource.set(source, [...(bySource.get(source) ?? []), { resolved }]);
  }
  return [...bySource].map(([source, dependencies]) => ({ source, dependencies }));
}

describe("folderCycles", () => {
  it("finds two top-level folders that import each other through different subfolders, with the imports that tie them", () => {
    const cycles = folderCycles(
      modules(
        "lib/search/index/build.ts -> lib/packages/page-queries.ts",
        "lib/packages/views/owners.ts -> lib/search/refresh.ts",
      ),
    );
    expect(cycles).toEqual([
      {
        parts: ["lib/packages", "lib/search"],
        edges: [
          { from: "lib/packages", to: "lib/search", imports: ["lib/packages/views/owners.ts → lib/search/refresh.ts"] },
          {
            from: "lib/search",
            to: "lib/packages",
            imports: ["lib/search/index/build.ts → lib/packages/page-queries.ts"],
          },
        ],
      },
    ]);
  });

  it("counts a file directly under lib/ as a part of its own (lib/config.ts and the log key)", () => {
    const cycles = folderCycles(modules("lib/config.ts -> lib/tlog/note.ts", "lib/tlog/serve.ts -> lib/config.ts"));
    expect(cycles.map(({ parts }) => parts)).toEqual([["lib/config.ts", "lib/tlog"]]);
  });

  it("finds a cycle through several folders and keeps separate cycles apart", () => {
    const cycles = folderCycles(
      modules(
        "lib/db/packages.ts -> lib/search/counts.ts",
        "lib/search/search.ts -> lib/packages/types.ts",
        "lib/packages/types.ts -> lib/db/index.ts",
        "lib/identity/expiry.ts -> lib/outbox/outbox.ts",
        "lib/outbox/housekeeping.ts -> lib/identity/expiry.ts",
        "lib/feed/push.ts -> lib/db/index.ts",
      ),
    );
    expect(cycles.map(({ parts }) => parts)).toEqual([
      ["lib/db", "lib/packages", "lib/search"],
      ["lib/identity", "lib/outbox"],
    ]);
  });

  it("counts a unit test under lib/ as part of its folder, so a test importing a folder above its own closes a cycle", () => {
    const cycles = folderCycles(
      modules(
        "lib/search/search-index.test.ts -> lib/admin/certificates.ts",
        "lib/admin/certificates.ts -> lib/search/search-index.ts",
      ),
    );
    expect(cycles).toEqual([
      {
        parts: ["lib/admin", "lib/search"],
        edges: [
          {
            from: "lib/admin",
            to: "lib/search",
            imports: ["lib/admin/certificates.ts → lib/search/search-index.ts"],
          },
          {
            from: "lib/search",
            to: "lib/admin",
            imports: ["lib/search/search-index.test.ts → lib/admin/certificates.ts"],
          },
        ],
      },
    ]);
  });

  it("ignores imports inside one folder, integration tests under test/ and imports of code outside lib/", () => {
    const cycles = folderCycles(
      modules(
        "test/search/search-index.test.ts -> lib/admin/certificates.ts",
        "test/search/search-index.test.ts -> lib/search/search-index.ts",
        "lib/admin/certificates.ts -> lib/search/search-index.ts",
        "lib/search/search.ts -> lib/search/sql.ts",
        "lib/search/sql.ts -> lib/search/search.ts",
        "lib/db/index.ts -> node_modules/@prisma/client/index.js",
        "app/page.tsx -> lib/db/index.ts",
      ),
    );
    expect(cycles).toEqual([]);
  });
});

describe("describeFolderCycles", () => {
  it("marks the imports that go up the intended layering", () => {
    const text = describeFolderCycles(
      folderCycles(modules("lib/db/packages.ts -> lib/search/counts.ts", "lib/search/counts.ts -> lib/db/index.ts")),
      importsUpward,
    );
    expect(text).toContain("error no-folder-cycle: lib/db, lib/search");
    expect(text).toContain("    UPWARD lib/db → lib/search: lib/db/packages.ts → lib/search/counts.ts");
    expect(text).toContain("    lib/search → lib/db: lib/search/counts.ts → lib/db/index.ts");
  });
});

describe("LIB_LAYERS", () => {
  it("places each part once, and a part it does not list is never called upward", () => {
    const parts = LIB_LAYERS.flatMap((layer) => layer.parts);
    expect(new Set(parts).size).toBe(parts.length);
    expect(importsUpward("lib/db", "lib/search")).toBe(true);
    expect(importsUpward("lib/search", "lib/db")).toBe(false);
    expect(importsUpward("lib/db", "lib/not-listed")).toBe(false);
  });
});
