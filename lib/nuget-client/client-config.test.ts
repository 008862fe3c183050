import { describe, expect, it } from "vitest";
import {
  addPackageCommand,
  addSourceCommand,
  feedSource,
  packageMappingPatterns,
  packageReferenceElement,
  reservationPatterns,
  sourceMappingConfig,
} from "./client-config";

const https = feedSource("https://nuget.contoso.example");
const http = feedSource("http://127.0.0.1:3210");

describe("feedSource", () => {
  it("names the service index and the host, and knows plain HTTP needs allowing", () => {
    expect(https).toEqual({
      serviceIndexUrl: "https://nuget.contoso.example/v3/index.json",
      name: "nuget.contoso.example",
      insecure: false,
    });
    expect(http).toEqual({ serviceIndexUrl: "http://127.0.0.1:3210/v3/index.json", name: "127.0.0.1", insecure: true });
  });
});

describe("commands", () => {
  it("add the source, allowing HTTP only where the gallery is served over it", () => {
    expect(addSourceCommand(https)).toBe(
      "dotnet nuget add source https://nuget.contoso.example/v3/index.json -n nuget.contoso.example",
    );
    expect(addSourceCommand(http)).toBe(
      "dotnet nuget add source http://127.0.0.1:3210/v3/index.json -n 127.0.0.1 --allow-insecure-connections",
    );
  });

  it("install from this source by name of its URL", () => {
    expect(addPackageCommand(https, "Contoso.Core", "1.0.0")).toBe(
      "dotnet add package Contoso.Core --version 1.0.0 --source https://nuget.contoso.example/v3/index.json",
    );
    expect(packageReferenceElement("Contoso.Core", "1.0.0-beta")).toBe(
      '<PackageReference Include="Contoso.Core" Version="1.0.0-beta" />',
    );
  });
});

describe("sourceMappingConfig", () => {
  it("keeps nuget.org for everything else and maps the patterns to this gallery alone", () => {
    expect(sourceMappingConfig(http, ["Contoso.*", "Fabrikam_Exact"])).toBe(`<configuration>
  <packageSources>
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
    <add key="127.0.0.1" value="http://127.0.0.1:3210/v3/index.json" allowInsecureConnections="true" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
    <packageSource key="127.0.0.1">
      <package pattern="Contoso.*" />
      <package pattern="Fabrikam_Exact" />
    </packageSource>
  </packageSourceMapping>
</configuration>`);
  });
});

describe("mapping patterns", () => {
  const reservations = [
    { pattern: "Contoso.", isPrefix: true },
    { pattern: "Contoso.Internal.", isPrefix: true },
    { pattern: "Fabrikam_Exact", isPrefix: false },
  ];

  it("lists every reservation for the gallery", () => {
    expect(reservationPatterns(reservations)).toEqual(["Contoso.*", "Contoso.Internal.*", "Fabrikam_Exact"]);
  });

  it("uses the reservations covering a package, else its own ID", () => {
    expect(packageMappingPatterns("contoso.internal.tools", reservations)).toEqual(["Contoso.*", "Contoso.Internal.*"]);
    expect(packageMappingPatterns("Fabrikam_Exact", reservations)).toEqual(["Fabrikam_Exact"]);
    expect(packageMappingPatterns("Fabrikam_Exact.More", reservations)).toEqual(["Fabrikam_Exact.More"]);
  });
});
