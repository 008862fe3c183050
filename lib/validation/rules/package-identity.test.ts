import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { NuspecMetadata } from "@/lib/nuspec/metadata";
import { parseNuspec } from "@/lib/nuspec/parse-nuspec";
import { normalizeVersion } from "@/lib/versioning/version";
import { checkPackageIdentity, MAX_PACKAGE_ID_LENGTH } from "./package-identity";

function metadata(fields: Partial<NuspecMetadata>): NuspecMetadata {
  return {
    schemaNamespace: "",
    id: "Contoso.Utilities",
    version: "1.0.0",
    authors: ["Contoso"],
    description: "Utilities.",
    owners: [],
    tags: [],
    requireLicenseAcceptance: false,
    packageTypes: [],
    dependencyGroups: [],
    frameworkAssemblies: [],
    ...fields,
  };
}

function codes(fields: Partial<NuspecMetadata>): string[] {
  return checkPackageIdentity(metadata(fields)).issues.map((issue) => issue.code);
}

describe("checkPackageIdentity", () => {
  it("accepts a real manifest and hands back the parsed identity", () => {
    const nuspec = readFileSync(
      new URL("../../nuspec/fixtures/Qmuli.Adlib.Client.5.2.9.0.nuspec", import.meta.url),
      "utf8",
    );
    const check = checkPackageIdentity(parseNuspec(nuspec));
    expect(check.issues).toEqual([]);
    expect(check.identity?.id).toBe("Qmuli.Adlib.Client");
    expect(check.identity && normalizeVersion(check.identity.version)).toBe("5.2.9");
  });

  // Each of these is also accepted by NuGet.Packaging's PackageIdValidator (SDK 10.0.401), whose
  // \w is .NET's Unicode word class: letters, marks, decimal digits and connector punctuation.
  it.each([
    "A",
    "Contoso.Utilities",
    "Contoso-Utilities_2",
    "_private",
    "Contoso_.x",
    "x-_y",
    "Ünïcode.Paket",
    "日本語",
    "a‿b",
    "a١٢",
    "a".repeat(MAX_PACKAGE_ID_LENGTH),
  ])("accepts the ID %j", (id) => {
    expect(codes({ id })).toEqual([]);
  });

  it.each([
    ["Contoso..Utilities", "PACKAGE_ID_INVALID"],
    [".Contoso", "PACKAGE_ID_INVALID"],
    ["Contoso.", "PACKAGE_ID_INVALID"],
    ["Contoso-.Utilities", "PACKAGE_ID_INVALID"],
    ["Contoso Utilities", "PACKAGE_ID_INVALID"],
    ["Contoso/Utilities", "PACKAGE_ID_INVALID"],
    ["Contoso!", "PACKAGE_ID_INVALID"],
    ["a".repeat(MAX_PACKAGE_ID_LENGTH + 1), "PACKAGE_ID_TOO_LONG"],
  ])("refuses the ID %j with %s and gives no identity", (id, code) => {
    const check = checkPackageIdentity(metadata({ id }));
    expect(check.issues.map((issue) => issue.code)).toEqual([code]);
    expect(check.identity).toBeUndefined();
  });

  it("says what is wrong with an invalid ID", () => {
    const [issue] = checkPackageIdentity(metadata({ id: "Bad Id" })).issues;
    expect(issue?.message).toContain("The package ID 'Bad Id' is not valid");
    const [tooLong] = checkPackageIdentity(metadata({ id: "a".repeat(101) })).issues;
    expect(tooLong?.message).toBe(
      `The package ID '${"a".repeat(20)}…' is 101 characters long; NuGet allows at most 100.`,
    );
  });

  it("refuses invalid and over-long versions with the reason", () => {
    const [invalid] = checkPackageIdentity(metadata({ version: "1.0.0-beta_1" })).issues;
    expect(invalid).toMatchObject({ code: "VERSION_INVALID", level: "error" });
    expect(invalid?.message).toContain("'1.0.0-beta_1' is not a valid NuGet version");
    const longVersion = `1.0.0-${"a".repeat(30)}+${"b".repeat(30)}`;
    expect(codes({ version: longVersion })).toEqual(["VERSION_TOO_LONG"]);
    expect(codes({ version: `1.0.0-${"a".repeat(28)}+${"b".repeat(28)}` })).toEqual([]);
  });

  it("reports every missing required field at once", () => {
    const check = checkPackageIdentity(
      metadata({ id: undefined, version: undefined, authors: [], description: undefined }),
    );
    expect(check.issues.map((issue) => [issue.code, issue.message.slice(0, 30)])).toEqual([
      ["NUSPEC_MISSING_FIELD", "The nuspec has no <id>; every "],
      ["NUSPEC_MISSING_FIELD", "The nuspec has no <version>; e"],
      ["NUSPEC_MISSING_FIELD", "The nuspec has no <authors>; n"],
      ["NUSPEC_MISSING_FIELD", "The nuspec has no <description"],
    ]);
    expect(check.identity).toBeUndefined();
  });

  it("still gives the identity when only authors or description are missing", () => {
    const check = checkPackageIdentity(metadata({ authors: [], description: undefined }));
    expect(check.issues).toHaveLength(2);
    expect(check.identity?.id).toBe("Contoso.Utilities");
  });
});
