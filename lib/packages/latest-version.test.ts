import { describe, expect, it } from "vitest";
import { latestListedVersion, sortByVersionDescending } from "./latest-version";

const rows = (versions: string[], listed = true) => versions.map((version) => ({ version, listed }));

describe("latest version", () => {
  it("orders by NuGet version, not by text", () => {
    expect(
      sortByVersionDescending(rows(["1.10.0", "1.9.0", "2.0.0-beta", "1.2.3.4", "2.0.0"])).map((row) => row.version),
    ).toEqual(["2.0.0", "2.0.0-beta", "1.10.0", "1.9.0", "1.2.3.4"]);
  });

  it("prefers the highest listed stable version over a higher prerelease", () => {
    expect(latestListedVersion(rows(["1.0.0", "1.1.0-rc.1", "0.9.0"]))?.version).toBe("1.0.0");
    expect(latestListedVersion([...rows(["1.0.0"]), ...rows(["1.2.0"], false)])?.version).toBe("1.0.0");
  });

  it("falls back to a prerelease, and to nothing when no version is listed", () => {
    expect(latestListedVersion(rows(["1.0.0-alpha", "1.0.0-beta"]))?.version).toBe("1.0.0-beta");
    expect(latestListedVersion(rows(["1.0.0"], false))).toBeNull();
  });
});
