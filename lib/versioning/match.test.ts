// Range matching must agree with NuGet's own: fixtures/nuget-range-matching.tsv holds what
// NuGet.Versioning answers (see fixtures/README.md) for VersionRange.FindBestMatch ("b") and
// Satisfies ("s"), covering the cases NuGet's own tests are known for: inclusive and exclusive
// bounds, prerelease bounds and candidates, four-part versions and floating ranges.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { IssueError } from "@/lib/issues";
import { findBestMatch, satisfies } from "./match";
import { parseVersionRange } from "./range";
import { normalizeVersion, parseVersion } from "./version";

const cases = readFileSync(new URL("./fixtures/nuget-range-matching.tsv", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line !== "")
  .map((line) => {
    const [kind = "", text = "", expected = ""] = line.split("\t");
    const [range = "", list = ""] = text.split(" | ");
    return { kind, range, list, expected };
  });

function ourAnswer(kind: string, rangeText: string, list: string): string {
  let range;
  try {
    range = parseVersionRange(rangeText, { allowFloating: true });
  } catch (failure) {
    if (failure instanceof IssueError) return "INVALID";
    throw failure;
  }
  if (kind === "s") return satisfies(range, parseVersion(list)) ? "True" : "False";
  const best = findBestMatch(range, list.split(",").filter(Boolean).map(parseVersion));
  return best ? normalizeVersion(best) : "NONE";
}

describe("agreement with NuGet's VersionRange.FindBestMatch and Satisfies", () => {
  it("has best-match and satisfies cases, floating ones among them", () => {
    expect(cases.filter((entry) => entry.kind === "b").length).toBeGreaterThan(40);
    expect(cases.filter((entry) => entry.kind === "s").length).toBeGreaterThan(10);
    expect(cases.filter((entry) => entry.range.includes("*")).length).toBeGreaterThan(15);
  });

  it.each(cases)("$kind $range | $list → $expected", ({ kind, range, list, expected }) => {
    expect(ourAnswer(kind, range, list)).toBe(expected);
  });
});

describe("floating ranges", () => {
  it("are refused unless the caller reads a project's references", () => {
    expect(() => parseVersionRange("1.*")).toThrow(
      expect.objectContaining({ code: "VERSION_RANGE_INVALID", message: expect.stringContaining("floating") }),
    );
    expect(parseVersionRange("1.*", { allowFloating: true }).float?.behavior).toBe("minor");
  });

  it.each([
    ["1.*.0", "not a floating version"],
    ["1.0.*-beta", "not a floating version"],
    ["1*", "not a floating version"],
    ["[1.0, 2.*)", "'2.*' is not a valid NuGet version"],
  ])("refuses %j (%s)", (text, reason) => {
    expect(() => parseVersionRange(text, { allowFloating: true })).toThrow(
      expect.objectContaining({ code: "VERSION_RANGE_INVALID", message: expect.stringContaining(reason) }),
    );
  });

  it.each([
    ["*", "major", "0.0.0"],
    ["1.*", "minor", "1.0.0"],
    ["1.2.*", "patch", "1.2.0"],
    ["1.2.3.*", "revision", "1.2.3"],
    ["1.0.0-*", "prerelease", "1.0.0-0"],
    ["1.0.0-beta*", "prerelease", "1.0.0-beta"],
    ["1.0.0-beta.*", "prerelease", "1.0.0-beta.0"],
    ["1.*-*", "prereleaseMinor", "1.0.0-0"],
    ["*-*", "absoluteLatest", "0.0.0-0"],
  ])("reads %j as a %s float from %s", (text, behavior, min) => {
    const range = parseVersionRange(text, { allowFloating: true });
    expect(range.float?.behavior).toBe(behavior);
    expect(range.min && normalizeVersion(range.min)).toBe(min);
    expect(range.minInclusive).toBe(true);
  });
});
