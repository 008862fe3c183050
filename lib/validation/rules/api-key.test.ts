import { describe, expect, it } from "vitest";
import { apiKeyAllows, packageGlobMatches, type ApiKeyGrant } from "./api-key";

const now = new Date("2026-11-23T10:00:00Z");
const key: ApiKeyGrant = {
  scopes: ["push"],
  packageGlob: "*",
  expiresAt: new Date("2027-01-01T00:00:00Z"),
  revokedAt: null,
};

function codes(
  grant: ApiKeyGrant,
  action: "push-new" | "push-version" | "unlist",
  packageId = "Contoso.Core",
): string[] {
  return apiKeyAllows(grant, { action, packageId, now }).map((issue) => issue.code);
}

describe("packageGlobMatches", () => {
  it.each([
    ["*", "Anything.At.All", true],
    ["Contoso.*", "contoso.core", true],
    ["Contoso.*", "Contoso.", true],
    ["Contoso.*", "ContosoCore", false],
    ["Contoso.*", "My.Contoso.Core", false],
    ["Contoso.Core", "CONTOSO.CORE", true],
    ["Contoso.Core", "Contoso.Core.Extra", false],
    ["*.Tests", "Contoso.Tests", true],
    ["*.Tests", "Contoso.Tests.Helpers", false],
    ["Con*so.*", "Contoso.Core", true],
    ["a+b(c)", "a+b(c)", true],
    ["a+b(c)", "aab(c)", false],
    ["a*a", "a", false],
    ["a*a", "aa", true],
    ["**", "", true],
    ["*ab*ab*", "abab", true],
    ["*ab*ab*", "aba", false],
    ["*aab", "aaab", true],
    ["Ab*", "aB", true],
  ])("%j matches %j: %s", (glob, id, matches) => {
    expect(packageGlobMatches(glob, id)).toBe(matches);
  });

  // The old matcher compiled the glob to a regular expression; on short inputs (where backtracking
  // is harmless) it is the reference for what a glob means.
  function referenceMatch(glob: string, id: string): boolean {
    const pattern = glob
      .split("*")
      .map((literal) => literal.replace(/[.]/g, "\\$&"))
      .join(".*");
    return new RegExp(`^${pattern}$`, "i").test(id);
  }

  it("agrees with a regular expression on every short glob and ID over a small alphabet", () => {
    const words = (alphabet: string, maxLength: number): string[] => {
      let level = [""];
      const all = [""];
      for (let length = 1; length <= maxLength; length++) {
        level = level.flatMap((prefix) => Array.from(alphabet, (character) => prefix + character));
        all.push(...level);
      }
      return all;
    };
    const ids = words("aB.", 5);
    let compared = 0;
    const disagreements: string[] = [];
    for (const glob of words("ab*.", 4)) {
      for (const id of ids) {
        if (packageGlobMatches(glob, id) !== referenceMatch(glob, id)) disagreements.push(`${glob} vs ${id}`);
        compared++;
      }
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThan(100_000);
  });

  it("stays linear on globs and IDs built to make a backtracking matcher explode", () => {
    // One of these pairs blocked the event loop for 14 s with the regular expression (issue 14);
    // 2,950 of them together must finish in a fraction of that, even on a busy machine.
    const pairs: Array<[glob: string, id: string, matches: boolean]> = [];
    for (let stars = 2; stars <= 60; stars++) {
      const alternating = `${"*a".repeat(stars)}*b`.slice(-128);
      pairs.push([alternating, `${"a".repeat(95)}.aaaa`, false], [alternating, "a".repeat(100), false]);
      pairs.push([alternating, `${"a".repeat(99)}b`, stars <= 99]);
      pairs.push([`${"*aa".repeat(stars)}b`.slice(-128), "a".repeat(100), false]);
      pairs.push([`${"a*".repeat(stars)}`, "ab".repeat(50), stars <= 50]);
    }
    const started = performance.now();
    for (let round = 0; round < 10; round++) {
      for (const [glob, id, matches] of pairs) expect(packageGlobMatches(glob, id)).toBe(matches);
    }
    expect(pairs.length * 10).toBeGreaterThan(2_000);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("apiKeyAllows", () => {
  it("maps actions to scopes as nuget.org does", () => {
    expect(codes(key, "push-new")).toEqual([]);
    expect(codes(key, "push-version")).toEqual([]);
    expect(codes(key, "unlist")).toEqual(["API_KEY_SCOPE_DENIED"]);
    const versionsOnly = { ...key, scopes: ["push-version" as const] };
    expect(codes(versionsOnly, "push-version")).toEqual([]);
    expect(codes(versionsOnly, "push-new")).toEqual(["API_KEY_SCOPE_DENIED"]);
    const unlistOnly = { ...key, scopes: ["unlist" as const] };
    expect(codes(unlistOnly, "unlist")).toEqual([]);
    expect(codes(unlistOnly, "push-version")).toEqual(["API_KEY_SCOPE_DENIED"]);
  });

  it("says which scope is missing", () => {
    const [issue] = apiKeyAllows(
      { ...key, scopes: ["push-version", "unlist"] },
      { action: "push-new", packageId: "A", now },
    );
    expect(issue?.message).toBe("This API key may not push new packages (its scopes: push-version, unlist).");
    const [none] = apiKeyAllows({ ...key, scopes: [] }, { action: "unlist", packageId: "A", now });
    expect(none?.message).toBe("This API key may not unlist or relist packages (its scopes: none).");
  });

  it("limits the key to the IDs its glob matches", () => {
    const scoped = { ...key, packageGlob: "Contoso.*" };
    expect(codes(scoped, "push-new", "contoso.NewThing")).toEqual([]);
    const [issue] = apiKeyAllows(scoped, { action: "push-new", packageId: "Fabrikam.Core", now });
    expect(issue).toEqual({
      code: "API_KEY_PACKAGE_DENIED",
      level: "error",
      message: "This API key only works for package IDs matching 'Contoso.*', and 'Fabrikam.Core' does not match.",
    });
  });

  it("refuses an expired key from the moment it expires", () => {
    expect(codes({ ...key, expiresAt: new Date(now.getTime() + 1) }, "push-new")).toEqual([]);
    const [issue] = apiKeyAllows({ ...key, expiresAt: now }, { action: "push-new", packageId: "A", now });
    expect(issue).toEqual({
      code: "API_KEY_EXPIRED",
      level: "error",
      message: "This API key expired on 2026-11-23T10:00:00Z; create a new key.",
    });
  });

  it("refuses a revoked key before anything else", () => {
    const revoked = {
      ...key,
      revokedAt: new Date("2026-11-01T08:30:00Z"),
      expiresAt: new Date("2026-01-01T00:00:00Z"),
    };
    expect(apiKeyAllows(revoked, { action: "push-new", packageId: "A", now })).toEqual([
      {
        code: "API_KEY_REVOKED",
        level: "error",
        message: "This API key was revoked on 2026-11-01T08:30:00Z; create a new key.",
      },
    ]);
  });
});
