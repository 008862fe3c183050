import { describe, expect, it } from "vitest";
import { dependencyGroupViews, dependencyIdsLower, humanRange, readDependencyGroups } from "./dependencies";

const stored = JSON.stringify([
  {
    targetFramework: "net8.0",
    dependencies: [
      { id: "Contoso.Core", range: "[1.0.0, 2.0.0)" },
      { id: "Newtonsoft.Json", range: "13.0.1" },
    ],
  },
  { dependencies: [{ id: "contoso.core" }] },
]);

describe("dependency groups", () => {
  it("reads groups with human ranges and links only IDs the gallery has", () => {
    const groups = readDependencyGroups(stored);
    expect(dependencyIdsLower(groups)).toEqual(["contoso.core", "newtonsoft.json"]);
    expect(dependencyGroupViews(groups, new Map([["contoso.core", "Contoso.Core"]]))).toEqual([
      {
        targetFramework: "net8.0",
        dependencies: [
          { id: "Contoso.Core", range: "≥ 1.0.0 && < 2.0.0", galleryId: "Contoso.Core" },
          { id: "Newtonsoft.Json", range: "≥ 13.0.1", galleryId: null },
        ],
      },
      {
        targetFramework: "All frameworks",
        dependencies: [{ id: "contoso.core", range: "any version", galleryId: "Contoso.Core" }],
      },
    ]);
  });

  it("shows a range it cannot read as written, and ignores stored JSON of another shape", () => {
    expect(humanRange("1.*")).toBe("1.*");
    expect(humanRange("[2.0.0]")).toBe("= 2.0.0");
    // The text the upload pipeline stores for a dependency without a version.
    expect(humanRange("(, )")).toBe("any version");
    expect(readDependencyGroups("{not json")).toEqual([]);
    expect(readDependencyGroups('{"targetFramework":"net8.0"}')).toEqual([]);
  });
});
