// The verify command's bundle is rebuilt exactly when it is missing or older than a source.
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isBundleFresh } from "./build.mjs";

describe("isBundleFresh", () => {
  let folder = "";
  const file = (name: string) => path.join(folder, name);
  const at = (file: string, seconds: number) => utimes(file, seconds, seconds);

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), "signet-cli-build-"));
    await writeFile(file("a.ts"), "a");
    await writeFile(file("b.ts"), "b");
    await writeFile(file("inputs.json"), JSON.stringify([file("a.ts"), file("b.ts")]));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("is fresh when the bundle is at least as new as every source", async () => {
    await writeFile(file("bundle.mjs"), "bundle");
    await at(file("a.ts"), 1_000);
    await at(file("b.ts"), 2_000);
    await at(file("bundle.mjs"), 2_000);
    expect(isBundleFresh(file("bundle.mjs"), file("inputs.json"))).toBe(true);
  });

  it("is stale when any source changed after the build, or is gone", async () => {
    await at(file("b.ts"), 2_001);
    expect(isBundleFresh(file("bundle.mjs"), file("inputs.json"))).toBe(false);
    await at(file("b.ts"), 1_500);
    await writeFile(file("inputs.json"), JSON.stringify([file("a.ts"), file("gone.ts")]));
    expect(isBundleFresh(file("bundle.mjs"), file("inputs.json"))).toBe(false);
  });

  it("is stale without a bundle or a readable list of sources", async () => {
    expect(isBundleFresh(file("missing.mjs"), file("inputs.json"))).toBe(false);
    await writeFile(file("inputs.json"), "not json");
    expect(isBundleFresh(file("bundle.mjs"), file("inputs.json"))).toBe(false);
    await writeFile(file("inputs.json"), "[]");
    expect(isBundleFresh(file("bundle.mjs"), file("inputs.json"))).toBe(false);
  });
});
