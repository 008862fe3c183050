import { describe, expect, it } from "vitest";
import { serviceIndexDocument } from "@/test/support/nuget-client-shapes";
import { publicOrigin, serviceIndex } from "./service-index";

describe("publicOrigin", () => {
  it("prefers the configured public address, so clients behind a proxy get reachable URLs", () => {
    expect(publicOrigin("http://127.0.0.1:3000/v3/index.json", "https://gallery.example/")).toBe(
      "https://gallery.example",
    );
  });

  it("falls back to the origin of the request", () => {
    expect(publicOrigin("http://127.0.0.1:3000/v3/index.json", undefined)).toBe("http://127.0.0.1:3000");
    expect(publicOrigin("http://127.0.0.1:3000/v3/index.json", "")).toBe("http://127.0.0.1:3000");
  });
});

describe("serviceIndex", () => {
  const index = serviceIndex("https://gallery.example");
  const idOf = (type: string) =>
    index.resources.filter((resource) => resource["@type"] === type).map((resource) => resource["@id"]);

  it("has the shape NuGet's ServiceIndexModel reads", () => {
    expect(serviceIndexDocument.parse(index).version).toBe("3.0.0");
  });

  it("announces each resource under every @type nuget.org uses for it, at absolute URLs", () => {
    expect(index.resources.map((resource) => [resource["@type"], resource["@id"]])).toEqual([
      ["PackagePublish/2.0.0", "https://gallery.example/api/v2/package"],
      ["PackageBaseAddress/3.0.0", "https://gallery.example/v3-flatcontainer/"],
      ["SearchQueryService", "https://gallery.example/v3/search"],
      ["SearchQueryService/3.0.0-beta", "https://gallery.example/v3/search"],
      ["SearchQueryService/3.0.0-rc", "https://gallery.example/v3/search"],
      ["SearchQueryService/3.5.0", "https://gallery.example/v3/search"],
      ["SearchAutocompleteService", "https://gallery.example/v3/autocomplete"],
      ["SearchAutocompleteService/3.0.0-beta", "https://gallery.example/v3/autocomplete"],
      ["SearchAutocompleteService/3.0.0-rc", "https://gallery.example/v3/autocomplete"],
      ["SearchAutocompleteService/3.5.0", "https://gallery.example/v3/autocomplete"],
      ["RegistrationsBaseUrl", "https://gallery.example/v3/registration/"],
      ["RegistrationsBaseUrl/3.0.0-beta", "https://gallery.example/v3/registration/"],
      ["RegistrationsBaseUrl/3.0.0-rc", "https://gallery.example/v3/registration/"],
      ["RegistrationsBaseUrl/3.4.0", "https://gallery.example/v3/registration-gz-semver1/"],
      ["RegistrationsBaseUrl/3.6.0", "https://gallery.example/v3/registration-gz-semver2/"],
      ["RegistrationsBaseUrl/Versioned", "https://gallery.example/v3/registration-gz-semver2/"],
      ["PackageDetailsUriTemplate/5.1.0", "https://gallery.example/packages/{id}/{version}"],
      ["RepositorySignatures/5.0.0", "https://gallery.example/v3/repository-signatures/5.0.0/index.json"],
    ]);
  });

  it("announces RepositorySignatures only over https, the only scheme NuGet accepts for it", () => {
    expect(serviceIndex("http://localhost:3000").resources.map((resource) => resource["@type"])).not.toContain(
      "RepositorySignatures/5.0.0",
    );
  });

  it("offers the SemVer 2 hive to clients that understand it, as nuget.org does", () => {
    expect(
      index.resources.find((resource) => resource["@type"] === "RegistrationsBaseUrl/Versioned")?.clientVersion,
    ).toBe("4.3.0-alpha");
    expect(idOf("RegistrationsBaseUrl/3.6.0")).toEqual(idOf("RegistrationsBaseUrl/Versioned"));
  });
});
