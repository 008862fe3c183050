// Our versioning must agree with NuGet's own: the fixture holds NuGet.Versioning's answers
// (see fixtures/README.md), and every line is replayed here against lib/versioning.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { IssueError } from "@/lib/issues";
import { formatVersionRange, parseVersionRange } from "./range";
import { compareVersions, isPrerelease, isSemVer2, normalizeVersion, parseVersion } from "./version";

// Where we refuse on purpose what NuGet accepts (documented in range.ts).
const DELIBERATE_DIFFERENCES: ReadonlyMap<string, string> = new Map([["r\t(1.0,1.0)", "INVALID"]]);

const verdicts = readFileSync(new URL("./fixtures/nuget-versioning-verdicts.tsv", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line !== "")
  .map((line) => {
    const [kind = "", text = "", ...answer] = line.split("\t");
    return { kind, text, expected: DELIBERATE_DIFFERENCES.get(`${kind}\t${text}`) ?? answer.join("\t") };
  });

function titleCase(value: boolean): string {
  return value ? "True" : "False";
}

function ourAnswer(kind: string, text: string): string {
  try {
    if (kind === "v") {
      const version = parseVersion(text);
      return [normalizeVersion(version), titleCase(isPrerelease(version)), titleCase(isSemVer2(version))].join("\t");
    }
    if (kind === "r") return formatVersionRange(parseVersionRange(text));
    const [a = "", b = ""] = text.split(" ");
    return String(Math.sign(compareVersions(parseVersion(a), parseVersion(b))));
  } catch (error) {
    if (error instanceof IssueError) return "INVALID";
    throw error;
  }
}

describe("agreement with NuGet.Versioning", () => {
  it("has cases of every kind", () => {
    expect(new Set(verdicts.map((verdict) => verdict.kind))).toEqual(new Set(["v", "r", "c"]));
    expect(verdicts.length).toBeGreaterThan(90);
  });

  it.each(verdicts)("$kind $text → $expected", ({ kind, text, expected }) => {
    expect(ourAnswer(kind, text)).toBe(expected);
  });
});
