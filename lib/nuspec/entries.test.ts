import { describe, expect, it } from "vitest";
import { checkEntryNames, findNuspecEntry, MAX_REPORTED_ENTRY_ISSUES } from "./entries";

function issueError(code: string, text: string): unknown {
  return expect.objectContaining({ name: "IssueError", code, message: expect.stringContaining(text) });
}

describe("findNuspecEntry", () => {
  it("finds the single manifest at the root, whatever the case of its extension", () => {
    expect(findNuspecEntry(["_rels/.rels", "Contoso.Lib.NUSPEC", "lib/net8.0/Contoso.Lib.dll"])).toBe(
      "Contoso.Lib.NUSPEC",
    );
  });

  it("ignores manifests inside folders", () => {
    expect(findNuspecEntry(["content/sample.nuspec", "A.nuspec", "tools\\other.nuspec"])).toBe("A.nuspec");
  });

  it("refuses a package without a root manifest", () => {
    expect(() => findNuspecEntry(["lib/A.dll", "content/A.nuspec"])).toThrow(
      issueError("NUSPEC_NOT_FOUND", "no .nuspec manifest"),
    );
  });

  it("refuses a package with two root manifests and names both", () => {
    expect(() => findNuspecEntry(["A.nuspec", "B.nuspec"])).toThrow(
      issueError("NUSPEC_MULTIPLE", "'A.nuspec', 'B.nuspec'"),
    );
  });
});

describe("checkEntryNames", () => {
  it("accepts the names of a normal package, including directory entries", () => {
    const names = [
      "_rels/.rels",
      "Newtonsoft.Json.nuspec",
      "lib/net45/Newtonsoft.Json.dll",
      "lib/netstandard2.0/",
      "package/services/metadata/core-properties/abc.psmdcp",
      "[Content_Types].xml",
      ".signature.p7s",
      "content/My%20File.txt",
      "content/100%.txt",
    ];
    expect(checkEntryNames(names)).toEqual([]);
  });

  it.each([
    ["../evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL", "'..'"],
    ["lib/../../evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL", "'..'"],
    ["lib\\..\\..\\evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL", "'..'"],
    ["%2E%2E/evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL", `decoded "../evil.dll"`],
    ["lib/%2e%2e%5c%2e%2e%5cevil.dll", "ZIP_ENTRY_PATH_TRAVERSAL", "'..'"],
    ["/etc/passwd", "ZIP_ENTRY_PATH_TRAVERSAL", "absolute path"],
    ["\\Windows\\System32\\evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL", "absolute path"],
    ["C:/Windows/evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL", "drive letter"],
    ["c:evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL", "drive letter"],
    ["lib//evil.dll", "ZIP_ENTRY_NAME_INVALID", "'//'"],
    ["lib\\\\evil.dll", "ZIP_ENTRY_NAME_INVALID", "'//'"],
    ["lib/./evil.dll", "ZIP_ENTRY_NAME_INVALID", "'.' folder"],
    ["", "ZIP_ENTRY_NAME_INVALID", "is empty"],
    ["lib/evil\u0000.dll", "ZIP_ENTRY_NAME_INVALID", "control characters"],
    // What NuGet's client refuses or cannot create (issue 14).
    [".", "ZIP_ENTRY_NAME_INVALID", "the package folder itself"],
    ["./", "ZIP_ENTRY_NAME_INVALID", "the package folder itself"],
    ["%2E", "ZIP_ENTRY_NAME_INVALID", "the package folder itself"],
    ["..\\evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL", "'..'"],
    ["lib/a\\..\\..\\evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL", "'..'"],
    ["D:\\evil.dll", "ZIP_ENTRY_PATH_TRAVERSAL", "drive letter"],
    [`lib/${"a".repeat(300)}.dll`, "ZIP_ENTRY_NAME_TOO_LONG", "at most 260"],
    [`lib/${"a".repeat(65_000)}`, "ZIP_ENTRY_NAME_TOO_LONG", "at most 260"],
    [`lib/${"漢".repeat(90)}.dll`, "ZIP_ENTRY_NAME_TOO_LONG", "longer than 255 bytes"],
    ["lib/aux", "ZIP_ENTRY_NAME_RESERVED", "reserves for a device"],
    ["AUX.txt", "ZIP_ENTRY_NAME_RESERVED", "reserves for a device"],
    ["content/con/readme.txt", "ZIP_ENTRY_NAME_RESERVED", "reserves for a device"],
    ["lib/nul.dll", "ZIP_ENTRY_NAME_RESERVED", "reserves for a device"],
    ["lib/COM1.log", "ZIP_ENTRY_NAME_RESERVED", "reserves for a device"],
    ["lib/lpt9", "ZIP_ENTRY_NAME_RESERVED", "reserves for a device"],
    ["lib/prn.tar.gz", "ZIP_ENTRY_NAME_RESERVED", "reserves for a device"],
    ["lib/com\u00b9.txt", "ZIP_ENTRY_NAME_RESERVED", "reserves for a device"],
    ["lib/evil.dll:hidden", "ZIP_ENTRY_NAME_STREAM", "alternate data stream"],
    ["lib/evil.dll::$DATA", "ZIP_ENTRY_NAME_STREAM", "alternate data stream"],
    ["lib/what?.dll", "ZIP_ENTRY_NAME_INVALID", "does not allow"],
    ["lib/a<b>.dll", "ZIP_ENTRY_NAME_INVALID", "does not allow"],
    ["lib/trailing.", "ZIP_ENTRY_NAME_INVALID", "ending in a dot or a space"],
    ["lib /a.dll", "ZIP_ENTRY_NAME_INVALID", "ending in a dot or a space"],
    ["lib/evil\u202Etxt.exe", "ZIP_ENTRY_NAME_BIDI_CONTROL", "bidirectional"],
    ["lib/evil\u2066.dll", "ZIP_ENTRY_NAME_BIDI_CONTROL", "bidirectional"],
    ["lib/evil%E2%80%AEtxt.exe", "ZIP_ENTRY_NAME_BIDI_CONTROL", "bidirectional"],
  ])("refuses %j with %s", (name, code, reason) => {
    const issues = checkEntryNames(["A.nuspec", name]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code, level: "error" });
    expect(issues[0]?.message).toContain(reason);
    expect(issues[0]?.message).toContain(JSON.stringify(name.slice(0, 120)));
    expect(issues[0]!.message.length).toBeLessThan(400);
  });

  it.each([
    "lib/auxiliary.dll",
    "lib/console/a.dll",
    "lib/com10.dll",
    "lib/nullable.txt",
    "content/a.b.c",
    `lib/${"漢".repeat(80)}.dll`,
    "lib/net8.0/",
    "_rels/.rels",
    "[Content_Types].xml",
  ])("accepts %j", (name) => {
    expect(checkEntryNames(["A.nuspec", name])).toEqual([]);
  });

  it("refuses names that are the same path once case, separators and percent-encoding are ignored", () => {
    const issues = checkEntryNames(["lib/A.dll", "LIB/a.DLL", "lib\\a.dll", "lib/%41.dll", "lib/b.dll"]);
    expect(issues.map((issue) => issue.code)).toEqual([
      "ZIP_DUPLICATE_ENTRY",
      "ZIP_DUPLICATE_ENTRY",
      "ZIP_DUPLICATE_ENTRY",
    ]);
    expect(issues[0]?.message).toContain(`"lib/A.dll" and "LIB/a.DLL"`);
  });

  it("reports a limited number of names and counts the rest", () => {
    const names = Array.from({ length: MAX_REPORTED_ENTRY_ISSUES + 5 }, (_, index) => `../evil${index}.dll`);
    const issues = checkEntryNames(names);
    expect(issues).toHaveLength(MAX_REPORTED_ENTRY_ISSUES + 1);
    expect(issues.at(-1)).toMatchObject({
      code: "ZIP_ENTRY_NAMES_INVALID",
      message: "5 more zip entries have unsafe or duplicate names.",
    });
  });
});
