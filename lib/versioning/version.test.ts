import { describe, expect, it } from "vitest";
import { compareVersions, fullVersionString, isPrerelease, isSemVer2, normalizeVersion, parseVersion } from "./version";

function normalized(text: string): string {
  return normalizeVersion(parseVersion(text));
}

describe("parseVersion and normalizeVersion", () => {
  it.each([
    ["1", "1.0.0"],
    ["1.0", "1.0.0"],
    ["1.0.0", "1.0.0"],
    ["1.0.0.0", "1.0.0"],
    ["1.2.3.4", "1.2.3.4"],
    ["01.002.0003", "1.2.3"],
    ["1.0.0.01", "1.0.0.1"],
    ["1.0.0-beta", "1.0.0-beta"],
    ["1.0-rc.1", "1.0.0-rc.1"],
    ["1.0.0-beta-2", "1.0.0-beta-2"],
    ["1.0.0+abc", "1.0.0"],
    ["1.0.0-alpha+001.sha.5114f85", "1.0.0-alpha"],
    ["  2.0.0  ", "2.0.0"],
    ["2147483647.0.0", "2147483647.0.0"],
  ])("normalises %s to %s", (text, expected) => {
    expect(normalized(text)).toBe(expected);
  });

  it("keeps the parts, the labels, the metadata and the original text", () => {
    expect(parseVersion(" 1.02.3-Beta.1+build.007 ")).toEqual({
      major: 1,
      minor: 2,
      patch: 3,
      revision: 0,
      releaseLabels: ["Beta", "1"],
      metadata: "build.007",
      original: "1.02.3-Beta.1+build.007",
    });
  });

  it("gives the full string with build metadata", () => {
    expect(fullVersionString(parseVersion("1.0+sha.1"))).toBe("1.0.0+sha.1");
    expect(fullVersionString(parseVersion("1.0.0.0-rc"))).toBe("1.0.0-rc");
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["1.2.3.4.5", "1 to 4 whole numbers"],
    ["1..2", "1 to 4 whole numbers"],
    ["v1.0", "1 to 4 whole numbers"],
    ["1.0a", "1 to 4 whole numbers"],
    ["-1.0", "1 to 4 whole numbers"],
    ["1.0.0-", "prerelease label"],
    ["1.0.0-beta..1", "prerelease label"],
    ["1.0.0-beta_1", "prerelease label"],
    ["1.0.0-01", "leading zero"],
    ["1.0.0-beta.01", "leading zero"],
    ["1.0.0+", "build metadata"],
    ["1.0.0+a+b", "build metadata"],
    ["1.0.0+a..b", "build metadata"],
    ["2147483648.0.0", "larger than 2147483647"],
  ])("refuses %j (%s)", (text, reason) => {
    expect(() => parseVersion(text)).toThrow(
      expect.objectContaining({
        name: "IssueError",
        code: "VERSION_INVALID",
        message: expect.stringContaining(reason),
      }),
    );
  });

  it("allows a zero on its own and leading zeros in build metadata", () => {
    expect(normalized("1.0.0-0.rc")).toBe("1.0.0-0.rc");
    expect(parseVersion("1.0.0+001").metadata).toBe("001");
  });
});

describe("isPrerelease and isSemVer2", () => {
  it.each([
    ["1.0.0", false, false],
    ["1.0.0-beta", true, false],
    ["1.0.0-beta-2", true, false],
    ["1.0.0-beta.2", true, true],
    ["1.0.0+build", false, true],
    ["1.0.0.1-rc+build", true, true],
  ])("%s: prerelease %s, SemVer 2 %s", (text, prerelease, semVer2) => {
    const version = parseVersion(text);
    expect(isPrerelease(version)).toBe(prerelease);
    expect(isSemVer2(version)).toBe(semVer2);
  });
});

describe("compareVersions", () => {
  it("sorts like NuGet (SemVer 2.0 precedence plus the revision part)", () => {
    const ascending = [
      "0.9.9",
      "1.0.0-1",
      "1.0.0-2",
      "1.0.0-10",
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
      "1.0.0.1",
      "1.0.1",
      "1.2.0",
      "10.0.0",
    ];
    const shuffled = [...ascending].reverse();
    const sorted = shuffled.sort((a, b) => compareVersions(parseVersion(a), parseVersion(b)));
    expect(sorted).toEqual(ascending);
  });

  it("treats versions that normalise alike as equal, ignoring metadata and label case", () => {
    expect(compareVersions(parseVersion("1.0"), parseVersion("1.0.0.0"))).toBe(0);
    expect(compareVersions(parseVersion("1.0.0+a"), parseVersion("1.0.0+b"))).toBe(0);
    expect(compareVersions(parseVersion("1.0.0-BETA"), parseVersion("1.0.0-beta"))).toBe(0);
  });

  it("compares long numeric labels numerically, beyond Number precision", () => {
    const smaller = parseVersion("1.0.0-99999999999999999998");
    const larger = parseVersion("1.0.0-99999999999999999999");
    expect(compareVersions(smaller, larger)).toBeLessThan(0);
    expect(compareVersions(larger, smaller)).toBeGreaterThan(0);
  });
});
