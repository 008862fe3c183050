// scripts/setup.sh installs with `npm ci`, which must leave package-lock.json as committed, and
// worktrees run `npm install`, which must find nothing to add. Both hold only while the lockfile
// has an entry (version and integrity) for every optional dependency of every package, the
// other platforms' native builds included: npm writes back any that are missing.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

interface LockEntry {
  version?: string;
  integrity?: string;
  optionalDependencies?: Record<string, string>;
}

const lockfile = JSON.parse(await readFile(path.join(import.meta.dirname, "../../package-lock.json"), "utf8")) as {
  packages: Record<string, LockEntry>;
};

/** Where npm resolves `name` from the package at `from` (its own node_modules first, then upwards). */
function resolvedEntry(from: string, name: string): LockEntry | undefined {
  let base = from;
  for (;;) {
    const entry = lockfile.packages[`${base === "" ? "" : `${base}/`}node_modules/${name}`];
    if (entry) return entry;
    if (base === "") return undefined;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut < 0 ? "" : base.slice(0, cut);
  }
}

describe("package-lock.json", () => {
  it("has every optional dependency of every package, for every platform, with its version and integrity", () => {
    const missing: string[] = [];
    for (const [location, entry] of Object.entries(lockfile.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        const resolved = resolvedEntry(location, name);
        if (!resolved?.version || !resolved.integrity)
          missing.push(`${name} (optional dependency of ${location || "the project"})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
