import { describe, expect, it } from "vitest";
import { packageGlobMatches } from "@/lib/validation/rules/api-key";
import { ApiKeyCreation } from "./request";

const valid = { name: "CI", scopes: ["push"], packageGlob: "Contoso.*", expiresInDays: 90 };

function messages(input: unknown): string[] {
  const result = ApiKeyCreation.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe("API key creation requests", () => {
  it("accept a name, scopes, a package glob and a lifetime, and trim the text fields", () => {
    expect(ApiKeyCreation.parse({ ...valid, name: "  CI  ", packageGlob: " Contoso.* " })).toEqual(valid);
  });

  it("keep each scope once, in a fixed order", () => {
    expect(ApiKeyCreation.parse({ ...valid, scopes: ["unlist", "push", "unlist", "push-version"] }).scopes).toEqual([
      "push",
      "push-version",
      "unlist",
    ]);
  });

  it.each([
    [{ ...valid, name: "   " }, "Give the key a name, so you can tell it apart later."],
    [{ ...valid, name: "x".repeat(101) }, "A key name has at most 100 characters."],
    [{ ...valid, scopes: [] }, "Choose at least one scope: a key without scopes could do nothing."],
    [{ ...valid, scopes: ["all"] }, "A scope is one of: push, push-version, unlist."],
    [{ ...valid, packageGlob: "" }, "Give a package ID pattern; '*' covers every package."],
    [
      { ...valid, packageGlob: "Contoso.?" },
      "A package ID pattern holds package ID characters (letters, digits, '.', '-', '_') and '*' as the only wildcard.",
    ],
    [
      { ...valid, packageGlob: "Contoso Core" },
      "A package ID pattern holds package ID characters (letters, digits, '.', '-', '_') and '*' as the only wildcard.",
    ],
    [{ ...valid, expiresInDays: 0 }, "A key lives at least one day."],
    [{ ...valid, expiresInDays: 366 }, "A key lives at most 365 days."],
    [{ ...valid, expiresInDays: 1.5 }, "The key's lifetime is a whole number of days."],
    [{ ...valid, expiresInDays: "30" }, "Give the key's lifetime in days."],
  ])("refuse %j with a sentence", (input, message) => {
    expect(messages(input)).toEqual([message]);
  });

  it("refuse fields the gallery does not know rather than ignoring them", () => {
    expect(ApiKeyCreation.safeParse({ ...valid, owner: "someone-else" }).success).toBe(false);
  });

  it("accept Unicode package ID letters, which the upload rules' glob matcher handles", () => {
    const { packageGlob } = ApiKeyCreation.parse({ ...valid, packageGlob: "Straße.*" });
    expect(packageGlobMatches(packageGlob, "STRASSE.Core")).toBe(false);
    expect(packageGlobMatches(packageGlob, "straße.core")).toBe(true);
  });
});
