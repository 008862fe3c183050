import { describe, expect, it } from "vitest";
import type { NuspecMetadata } from "@/lib/nuspec/metadata";
import { parseNuspec } from "@/lib/nuspec/parse-nuspec";
import { checkEmbeddedFiles } from "./embedded-files";

function manifestPointingTo(metadataElements: string): NuspecMetadata {
  return parseNuspec(`<package><metadata>${metadataElements}</metadata></package>`);
}

const entries = ["A.nuspec", "LICENSE", "docs/README.md", "images/icon.png", "notes.txt", "My%20Readme.md", "logo.gif"];

describe("checkEmbeddedFiles", () => {
  it("accepts files that exist, with backslashes in the manifest and percent-encoded entry names", () => {
    const metadata = manifestPointingTo(
      `<license type="file">LICENSE</license><icon>images\\icon.png</icon><readme>My Readme.md</readme>`,
    );
    expect(checkEmbeddedFiles(metadata, entries)).toEqual([]);
  });

  it("ignores license expressions and manifests that embed nothing", () => {
    expect(checkEmbeddedFiles(manifestPointingTo(`<license type="expression">MIT</license>`), entries)).toEqual([]);
    expect(checkEmbeddedFiles(manifestPointingTo(""), entries)).toEqual([]);
  });

  it("refuses a manifest that names a missing file, including a case mismatch", () => {
    const issues = checkEmbeddedFiles(
      manifestPointingTo(`<readme>docs\\readme.md</readme><icon>icon.png</icon>`),
      entries,
    );
    expect(issues).toEqual([
      {
        code: "EMBEDDED_FILE_MISSING",
        level: "error",
        message:
          "The nuspec's <icon> names 'icon.png', but the package has no such file (names must match exactly, including case).",
      },
      {
        code: "EMBEDDED_FILE_MISSING",
        level: "error",
        message:
          "The nuspec's <readme> names 'docs\\readme.md', but the package has no such file (names must match exactly, including case).",
      },
    ]);
  });

  it.each([
    ["<readme>notes.txt</readme>", "The readme 'notes.txt' has the extension '.txt'; allowed: '.md'."],
    ["<readme>LICENSE</readme>", "The readme 'LICENSE' has no extension; allowed: '.md'."],
    ["<icon>logo.gif</icon>", "The icon 'logo.gif' has the extension '.gif'; allowed: '.png', '.jpg' or '.jpeg'."],
    [`<license type="file">docs/README.md</license>`, undefined],
    [
      `<license type="file">images/icon.png</license>`,
      "The license file 'images/icon.png' has the extension '.png'; allowed: no extension, '.txt' or '.md'.",
    ],
  ])("checks the kind of file: %s", (elements, message) => {
    const issues = checkEmbeddedFiles(manifestPointingTo(elements), entries);
    expect(issues).toEqual(message === undefined ? [] : [{ code: "EMBEDDED_FILE_TYPE", level: "error", message }]);
  });
});
