import { describe, expect, it } from "vitest";
import { publicOrigin, serviceIndex } from "./service-index";

describe("publicOrigin", () => {
  it("prefers the configured public address, so clients behind a proxy get reachable URLs", () => {
    expect(publicOrigin("http://127.0.0.1:3000/v3/index.json", "https://gallery.example/")).toBe("https://gallery.example");
  });

  it("falls back to the origin of the request", () => {
    expect(publicOrigin("http://127.0.0.1:3000/v3/index.json", undefined)).toBe("http://127.0.0.1:3000");
    expect(publicOrigin("http://127.0.0.1:3000/v3/index.json", "")).toBe("http://127.0.0.1:3000");
  });
});

describe("serviceIndex", () => {
  it("announces push and the flat container at absolute URLs", () => {
    const index = serviceIndex("https://gallery.example");
    expect(index.version).toBe("3.0.0");
    expect(index.resources.map((resource) => [resource["@type"], resource["@id"]])).toEqual([
      ["PackagePublish/2.0.0", "https://gallery.example/api/v2/package"],
      ["PackageBaseAddress/3.0.0", "https://gallery.example/v3-flatcontainer/"],
      ["RepositorySignatures/5.0.0", "https://gallery.example/v3/repository-signatures/5.0.0/index.json"],
    ]);
  });

  it("announces RepositorySignatures only over https, the only scheme NuGet accepts for it", () => {
    expect(serviceIndex("http://localhost:3000").resources.map((resource) => resource["@type"])).not.toContain("RepositorySignatures/5.0.0");
  });
});
