import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseNuspec } from "@/lib/nuspec/parse-nuspec";
import { checkMetadataFields, isWebUrl } from "./metadata-fields";

function issuesFor(metadataElements: string) {
  return checkMetadataFields(parseNuspec(`<package><metadata>${metadataElements}</metadata></package>`));
}

describe("checkMetadataFields", () => {
  it.each(["IronSoftware.System.Drawing.2024.7.2.nuspec", "Newtonsoft.Json.13.0.3.nuspec", "Modernizr.2.8.3.nuspec"])(
    "finds nothing to say about the real manifest %s",
    (file) => {
      const nuspec = readFileSync(new URL(`../../nuspec/fixtures/${file}`, import.meta.url), "utf8");
      expect(checkMetadataFields(parseNuspec(nuspec))).toEqual([]);
    },
  );

  it.each([
    ["title", 256],
    ["description", 4000],
    ["summary", 4000],
    ["copyright", 4000],
    ["language", 20],
  ])("allows <%s> up to %i characters and refuses one more", (element, limit) => {
    expect(issuesFor(`<${element}>${"x".repeat(limit)}</${element}>`)).toEqual([]);
    expect(issuesFor(`<${element}>${"x".repeat(limit + 1)}</${element}>`)).toEqual([
      {
        code: "NUSPEC_FIELD_TOO_LONG",
        level: "error",
        message: `The nuspec's <${element}> is ${(limit + 1).toLocaleString("en-US")} characters long; at most ${limit.toLocaleString("en-US")} are allowed.`,
      },
    ]);
  });

  it("measures authors and tags as they are listed", () => {
    const authors = Array.from({ length: 500 }, (_, index) => `author${index}`).join(",");
    expect(issuesFor(`<authors>${authors}</authors>`).map((issue) => issue.message)).toEqual([
      "The nuspec's <authors> is 5,388 characters long; at most 4,000 are allowed.",
    ]);
    const tags = Array.from({ length: 700 }, (_, index) => `tag${index}`).join(" ");
    expect(issuesFor(`<tags>${tags}</tags>`).map((issue) => issue.code)).toEqual(["NUSPEC_FIELD_TOO_LONG"]);
  });

  it("warns about URLs the gallery will not link to, and names the field", () => {
    const issues = issuesFor(
      `<projectUrl>javascript:alert(1)</projectUrl><iconUrl>/relative.png</iconUrl><licenseUrl>https://ok.example/</licenseUrl><repository url="git@github.com:a/b.git"/>`,
    );
    expect(issues).toEqual([
      {
        code: "NUSPEC_URL_NOT_WEB",
        level: "warning",
        message:
          "The projectUrl 'javascript:alert(1)' is not an http or https URL, so the gallery will not link to it.",
      },
      {
        code: "NUSPEC_URL_NOT_WEB",
        level: "warning",
        message: "The iconUrl '/relative.png' is not an http or https URL, so the gallery will not link to it.",
      },
      {
        code: "NUSPEC_URL_NOT_WEB",
        level: "warning",
        message:
          "The repository url 'git@github.com:a/b.git' is not an http or https URL, so the gallery will not link to it.",
      },
    ]);
  });

  it("refuses invalid dependency IDs, once per ID", () => {
    const issues = issuesFor(`<dependencies>
      <group targetFramework="net8.0"><dependency id="Bad Id"/><dependency id="Good.Id"/></group>
      <group targetFramework="net6.0"><dependency id="Bad Id"/></group>
    </dependencies>`);
    expect(issues).toEqual([
      {
        code: "DEPENDENCY_ID_INVALID",
        level: "error",
        message:
          "The dependency ID 'Bad Id' is not valid: use letters, digits and underscores, in parts joined by single dots or dashes (for example 'Contoso.Utilities-Core').",
      },
    ]);
  });
});

describe("isWebUrl", () => {
  it.each([
    ["https://example.com/x", true],
    ["HTTP://EXAMPLE.COM", true],
    ["ftp://example.com", false],
    ["javascript:alert(1)", false],
    ["data:text/html,hi", false],
    ["example.com", false],
    ["", false],
  ])("%j → %s", (url, expected) => {
    expect(isWebUrl(url)).toBe(expected);
  });
});
