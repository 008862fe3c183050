import { describe, expect, it } from "vitest";
import { DEFAULT_PACKAGE_SIZE_LIMIT } from "@/lib/config";
import { checkPackageSize } from "@/lib/validation/rules/package-size";

describe("checkPackageSize", () => {
  it("defaults to nuget.org's 250 MB (262,144,000 bytes)", () => {
    expect(DEFAULT_PACKAGE_SIZE_LIMIT).toBe(262_144_000);
    expect(checkPackageSize(DEFAULT_PACKAGE_SIZE_LIMIT, DEFAULT_PACKAGE_SIZE_LIMIT)).toEqual([]);
    expect(checkPackageSize(DEFAULT_PACKAGE_SIZE_LIMIT + 1, DEFAULT_PACKAGE_SIZE_LIMIT)).toEqual([
      {
        code: "PACKAGE_TOO_LARGE",
        level: "error",
        message: "The package is 250 MB (262,144,001 bytes), above this gallery's limit of 250 MB.",
      },
    ]);
  });

  it("uses the configured limit", () => {
    expect(checkPackageSize(1_500_000, 1_000_000)[0]?.message).toBe(
      "The package is 1.4 MB (1,500,000 bytes), above this gallery's limit of 1,000,000 bytes.",
    );
    expect(checkPackageSize(1_000_000, 1_000_000)).toEqual([]);
  });

  it("refuses a 0-byte upload and accepts a 1-byte one (the zip reader judges its content)", () => {
    expect(checkPackageSize(0, DEFAULT_PACKAGE_SIZE_LIMIT)).toEqual([
      {
        code: "PACKAGE_EMPTY",
        level: "error",
        message: "The upload is empty (0 bytes); choose a .nupkg file and try again.",
      },
    ]);
    expect(checkPackageSize(1, DEFAULT_PACKAGE_SIZE_LIMIT)).toEqual([]);
  });
});
