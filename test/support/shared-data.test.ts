import { afterEach, describe, expect, it, vi } from "vitest";

import { requireCorpus, requireInput } from "./shared-data";

describe("inputs from outside the repository", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("fails a missing input under CI=true instead of skipping", () => {
    vi.stubEnv("CI", "true");
    expect(() => requireInput(false, "test/x.test.ts", "no `dotnet` SDK is on PATH", "the interop check")).toThrow(
      /test\/x\.test\.ts: no `dotnet` SDK is on PATH, so the interop check did NOT run\. CI=true requires it/,
    );
    expect(() => requireCorpus("no-such-file.nupkg", "test/x.test.ts", "the corpus check")).toThrow(
      /the shared corpus has no .*no-such-file\.nupkg/,
    );
    expect(requireInput(true, "test/x.test.ts", "-", "-")).toBe(true);
  });

  it("skips a missing input with a notice on a developer's machine", () => {
    vi.stubEnv("CI", "");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(requireCorpus("no-such-file.nupkg", "test/x.test.ts", "the corpus check")).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("# SKIPPED: test/x.test.ts: the shared corpus has no"));
  });
});
