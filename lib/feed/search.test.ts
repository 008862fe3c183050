import { describe, expect, it } from "vitest";
import { IssueError } from "@/lib/issues";
import { autocompleteRequestFromUrl, searchQueryFromUrl } from "./search";

const url = (query: string) => new URL(`http://gallery.test/v3/search?${query}`);

describe("searchQueryFromUrl", () => {
  it("defaults to what nuget.org does: 20 stable SemVer 1 results from the start, the highest version shown", () => {
    expect(searchQueryFromUrl(url(""))).toMatchObject({
      text: "",
      skip: 0,
      take: 20,
      includePrerelease: false,
      includeSemVer2: false,
      packageType: null,
      preferStable: false,
      match: "text",
    });
  });

  it("reads NuGet's parameters, taking the first of a repeated one", () => {
    expect(
      searchQueryFromUrl(
        url("q=+json+&skip=40&take=10&take=99&prerelease=TRUE&semVerLevel=2.0.0&packageType=DotnetTool"),
      ),
    ).toMatchObject({
      text: "json",
      skip: 40,
      take: 10,
      includePrerelease: true,
      includeSemVer2: true,
      packageType: "DotnetTool",
    });
  });

  it("caps take at 1000 and opts in to SemVer 2 from semVerLevel 2 on", () => {
    expect(searchQueryFromUrl(url("take=5000")).take).toBe(1000);
    expect(searchQueryFromUrl(url("semVerLevel=1.0.0")).includeSemVer2).toBe(false);
    expect(searchQueryFromUrl(url("semVerLevel=3.1")).includeSemVer2).toBe(true);
    expect(searchQueryFromUrl(url("semVerLevel=")).includeSemVer2).toBe(false);
  });

  it("refuses what it cannot read with INVALID_QUERY_PARAMETER", () => {
    for (const query of ["skip=1.5", "take=-3", "take=99999999999", "prerelease=1"]) {
      expect(() => searchQueryFromUrl(url(query))).toThrow(IssueError);
    }
  });
});

describe("autocompleteRequestFromUrl", () => {
  it("completes IDs from q, or lists the versions of id", () => {
    expect(autocompleteRequestFromUrl(url("q=conto&take=5"))).toMatchObject({
      kind: "ids",
      query: { match: "id", text: "conto", take: 5 },
    });
    expect(autocompleteRequestFromUrl(url("id=Contoso.Core&prerelease=true"))).toMatchObject({
      kind: "versions",
      packageId: "Contoso.Core",
      query: { text: "packageid:Contoso.Core", includePrerelease: true },
    });
  });
});
