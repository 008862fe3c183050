import { describe, expect, it } from "vitest";
import { problemWithFile } from "./file-checks";

const LIMIT = 250 * 1024 * 1024;

describe("problemWithFile", () => {
  it("lets a non-empty .nupkg within the limit go up, whatever the case of its extension", () => {
    expect(problemWithFile({ name: "Contoso.Utils.1.0.0.nupkg", size: 1 }, LIMIT)).toBeNull();
    expect(problemWithFile({ name: "CONTOSO.NUPKG", size: LIMIT }, LIMIT)).toBeNull();
  });

  it("refuses other file types by name", () => {
    expect(problemWithFile({ name: "Contoso.Utils.1.0.0.zip", size: 10 }, LIMIT)).toBe(
      "'Contoso.Utils.1.0.0.zip' is not a .nupkg file. Choose a NuGet package (a file ending in .nupkg).",
    );
    expect(problemWithFile({ name: "Contoso.snupkg", size: 10 }, LIMIT)).toMatch(/is not a \.nupkg file/);
  });

  it("refuses an empty file", () => {
    expect(problemWithFile({ name: "a.nupkg", size: 0 }, LIMIT)).toBe(
      "'a.nupkg' is empty (0 bytes). Choose the package file again, or rebuild it with dotnet pack.",
    );
  });

  it("refuses a file one byte over the limit, naming both sizes", () => {
    expect(problemWithFile({ name: "big.nupkg", size: LIMIT + 1 }, LIMIT)).toBe(
      "'big.nupkg' is 250 MB (262,144,001 bytes), above this gallery's limit of 250 MB.",
    );
  });
});
