import { describe, expect, it } from "vitest";
import { describeTotal, pageCount, siteSearchFromParams, siteSearchQuery } from "./site-search";

describe("siteSearchFromParams", () => {
  it("reads q, the two checkboxes, the order and the page", () => {
    expect(siteSearchFromParams({ q: "  json ", signed: "on", verified: "1", sort: "downloads", page: "3" })).toEqual({
      text: "json",
      signedOnly: true,
      verifiedOnly: true,
      sort: "downloads",
      page: 3,
    });
  });

  it("falls back to defaults for odd values", () => {
    expect(siteSearchFromParams({ q: ["a", "b"], page: "-2", sort: "constructor" })).toEqual({
      text: "a",
      signedOnly: false,
      verifiedOnly: false,
      sort: "relevance",
      page: 1,
    });
    expect(siteSearchFromParams({ page: "1e9", q: "x".repeat(500) }).text).toHaveLength(200);
    expect(siteSearchFromParams({ page: "99999999" }).page).toBe(10_000);
  });
});

describe("siteSearchQuery", () => {
  it("asks for pages of 20 over every listed version, showing the highest stable one", () => {
    expect(
      siteSearchQuery({ text: "json", signedOnly: false, verifiedOnly: true, sort: "recent", page: 3 }),
    ).toMatchObject({
      text: "json",
      order: "recent",
      skip: 40,
      take: 20,
      includePrerelease: true,
      includeSemVer2: true,
      preferStable: true,
      verifiedOnly: true,
    });
  });

  it("says when more packages match than were counted, and leads on one more page", () => {
    expect(describeTotal(1, false)).toBe("1 package");
    expect(describeTotal(1000, false)).toBe("1,000 packages");
    expect(describeTotal(1000, true)).toBe("1,000+ packages");
    expect(pageCount(1000)).toBe(50);
    expect(pageCount(1000, true)).toBe(51);
  });
});
