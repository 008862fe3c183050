// Dependency group selection must agree with NuGet's: fixtures/nuget-frameworks.tsv holds what
// NuGet.Frameworks answers (see fixtures/README.md) for parsing a framework to its short folder
// name ("n") and for GetNearest over a package's dependency groups ("f").

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { frameworkShortName, nearestFramework, parseFramework } from "./frameworks";

const cases = readFileSync(new URL("./fixtures/nuget-frameworks.tsv", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line !== "")
  .map((line) => {
    const [kind = "", text = "", expected = ""] = line.split("\t");
    return { kind, text, expected };
  });

function ourAnswer(kind: string, text: string): string {
  if (kind === "n") {
    const framework = parseFramework(text);
    return framework ? frameworkShortName(framework) : "UNSUPPORTED";
  }
  const [targetText = "", groupsText = ""] = text.split(" | ");
  const target = parseFramework(targetText);
  if (!target) throw new Error(`the fixture's target ${targetText} does not parse`);
  const groups = groupsText.split(",");
  return nearestFramework(target, groups, (group) => parseFramework(group)) ?? "NONE";
}

describe("agreement with NuGet.Frameworks", () => {
  it("has parsing and nearest-group cases", () => {
    expect(cases.filter((entry) => entry.kind === "n").length).toBeGreaterThan(15);
    expect(cases.filter((entry) => entry.kind === "f").length).toBeGreaterThan(25);
  });

  it.each(cases)("$kind $text → $expected", ({ kind, text, expected }) => {
    expect(ourAnswer(kind, text)).toBe(expected);
  });
});

describe("parseFramework", () => {
  it("reads a group without a framework as the any-framework group", () => {
    expect(parseFramework(undefined)?.family).toBe("any");
    expect(parseFramework("")?.family).toBe("any");
  });

  it.each([".NETPortable0.0-wp8+netcore45", "net8.0-", "netstandard2.x", ".NETMystery1.0"])(
    "does not guess at %j",
    (text) => {
      expect(parseFramework(text)).toBeNull();
    },
  );
});
