import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeVersionRange, formatVersionRange } from "@/lib/versioning/range";
import { parseNuspec } from "./parse-nuspec";

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
}

const NS_2013 = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";

function manifest(metadataXml: string, namespace = NS_2013): string {
  return `<?xml version="1.0" encoding="utf-8"?><package xmlns="${namespace}"><metadata>${metadataXml}</metadata></package>`;
}

describe("parseNuspec on real nuget.org manifests", () => {
  it("reads Newtonsoft.Json 13.0.3: license expression, readme, repository, framework groups", () => {
    const metadata = parseNuspec(fixture("Newtonsoft.Json.13.0.3.nuspec"));
    expect(metadata).toMatchObject({
      schemaNamespace: NS_2013,
      id: "Newtonsoft.Json",
      version: "13.0.3",
      title: "Json.NET",
      authors: ["James Newton-King"],
      owners: [],
      license: { type: "expression", expression: "MIT" },
      licenseUrl: "https://licenses.nuget.org/MIT",
      icon: "packageIcon.png",
      readme: "README.md",
      projectUrl: "https://www.newtonsoft.com/json",
      description: "Json.NET is a popular high-performance JSON framework for .NET",
      copyright: "Copyright © James Newton-King 2008",
      tags: ["json"],
      requireLicenseAcceptance: false,
      minClientVersion: "2.12",
      repository: {
        type: "git",
        url: "https://github.com/JamesNK/Newtonsoft.Json",
        commit: "0a2e291c0d9c0c7675d445703e51750363a549ef",
      },
    });
    expect(metadata.dependencyGroups.map((group) => group.targetFramework)).toEqual([
      ".NETFramework2.0",
      ".NETFramework3.5",
      ".NETFramework4.0",
      ".NETFramework4.5",
      ".NETStandard1.0",
      ".NETStandard1.3",
      "net6.0",
      ".NETStandard2.0",
    ]);
    const netStandard10 = metadata.dependencyGroups[4];
    expect(netStandard10?.dependencies).toHaveLength(4);
    const csharp = netStandard10?.dependencies[0];
    expect(csharp).toMatchObject({ id: "Microsoft.CSharp", exclude: ["Build", "Analyzers"] });
    expect(csharp && describeVersionRange(csharp.range)).toBe("≥ 4.3.0");
    expect(metadata.dependencyGroups[0]?.dependencies).toEqual([]);
  });

  it("reads IronSoftware.System.Drawing: license file, summary, release notes, comma-separated tags", () => {
    const metadata = parseNuspec(fixture("IronSoftware.System.Drawing.2024.7.2.nuspec"));
    expect(metadata.license).toEqual({ type: "file", path: "LICENSE.txt" });
    expect(metadata.readme).toBe("docs\\README.md");
    expect(metadata.summary).toMatch(/^IronSoftware\.System\.Drawing is an open-source solution/);
    expect(metadata.releaseNotes).toMatch(/^- Efficient compression/);
    expect(metadata.description).toContain("Console & Desktop Applications.");
    expect(metadata.tags.slice(0, 4)).toEqual(["Images", "Bitmap", "SkiaSharp", "SixLabors"]);
    expect(metadata.tags).toContain("C#");
    expect(metadata.repository).toEqual({
      type: "git",
      url: "https://github.com/iron-software/IronSoftware.Drawing.Common",
    });
    expect(metadata.dependencyGroups[2]?.targetFramework).toBe("MonoAndroid10.0");
    expect(metadata.dependencyGroups[2]?.dependencies.map((dependency) => dependency.id)).toContain("SkiaSharp.Svg");
  });

  it("reads Microsoft.AspNet.WebApi.Client 5.2.3: 2012 schema, owners, license acceptance, framework assemblies", () => {
    const metadata = parseNuspec(fixture("Microsoft.AspNet.WebApi.Client.5.2.3.nuspec"));
    expect(metadata.schemaNamespace).toBe("http://schemas.microsoft.com/packaging/2012/06/nuspec.xsd");
    expect(metadata.owners).toEqual(["Microsoft", "aspnet"]);
    expect(metadata.requireLicenseAcceptance).toBe(true);
    expect(metadata.language).toBe("en-US");
    expect(metadata.frameworkAssemblies).toEqual([
      { assemblyName: "System.Net.Http", targetFrameworks: [".NETFramework4.5"] },
    ]);
    expect(metadata.dependencyGroups[1]?.targetFramework).toBe(".NETPortable0.0-wp8+netcore45+net45+wp81+wpa81");
  });

  it("reads Modernizr 2.8.3: 2010 schema, entity references decoded, several authors", () => {
    const metadata = parseNuspec(fixture("Modernizr.2.8.3.nuspec"));
    expect(metadata.schemaNamespace).toBe("http://schemas.microsoft.com/packaging/2010/07/nuspec.xsd");
    expect(metadata.description).toMatch(/^Modernizr adds classes to the <html> element/);
    expect(metadata.authors).toEqual(["Faruk Ateş", "Paul Irish", "Alex Sexton"]);
    expect(metadata.dependencyGroups).toEqual([]);
    expect(metadata.license).toBeUndefined();
  });

  it("reads Qmuli.Adlib.Client 5.2.9.0: a legacy flat dependency list becomes one group for every framework", () => {
    const metadata = parseNuspec(fixture("Qmuli.Adlib.Client.5.2.9.0.nuspec"));
    expect(metadata.version).toBe("5.2.9.0");
    expect(metadata.dependencyGroups).toHaveLength(1);
    const [group] = metadata.dependencyGroups;
    expect(group?.targetFramework).toBeUndefined();
    expect(group?.dependencies.map((dependency) => [dependency.id, formatVersionRange(dependency.range)])).toEqual([
      ["Newtonsoft.Json", "[8.0.2, )"],
      ["Microsoft.Web.Infrastructure", "[1.0.0, )"],
      ["Microsoft.AspNet.WebApi.Client", "[5.2.3, )"],
    ]);
  });
});

describe("parseNuspec field handling", () => {
  it("treats empty and missing fields as absent, so the upload rules can report them", () => {
    const metadata = parseNuspec(manifest("<id> </id><title/><authors>, ,</authors>"));
    expect(metadata.id).toBeUndefined();
    expect(metadata.version).toBeUndefined();
    expect(metadata.title).toBeUndefined();
    expect(metadata.authors).toEqual([]);
    expect(metadata.tags).toEqual([]);
    expect(metadata.packageTypes).toEqual([]);
    expect(metadata.repository).toBeUndefined();
  });

  it("accepts a manifest without a namespace and every NuGet schema namespace", () => {
    expect(parseNuspec(manifest("<id>A</id>", "")).id).toBe("A");
    expect(parseNuspec(manifest("<id>A</id>", "http://schemas.microsoft.com/packaging/2011/10/nuspec.xsd")).id).toBe(
      "A",
    );
    expect(parseNuspec(manifest("<id>A</id>", "http://schemas.microsoft.com/packaging/2016/06/nuspec.xsd")).id).toBe(
      "A",
    );
  });

  it("splits tags on spaces, commas and semicolons and keeps each tag once", () => {
    expect(parseNuspec(manifest("<tags>json, Json;xml  yaml\tXML</tags>")).tags).toEqual(["json", "xml", "yaml"]);
  });

  it("reads package types, a license expression version and exact and ranged dependencies", () => {
    const metadata = parseNuspec(
      manifest(`
        <license type="expression" version="1.0.0">MIT OR Apache-2.0</license>
        <packageTypes><packageType name="DotnetTool"/><packageType name="Template" version="1.0"/></packageTypes>
        <dependencies>
          <group>
            <dependency id="A" version="[1.0]" include="Runtime"/>
            <dependency id="B"/>
          </group>
        </dependencies>`),
    );
    expect(metadata.license).toEqual({ type: "expression", expression: "MIT OR Apache-2.0", version: "1.0.0" });
    expect(metadata.packageTypes).toEqual([{ name: "DotnetTool" }, { name: "Template", version: "1.0" }]);
    const [group] = metadata.dependencyGroups;
    expect(group?.targetFramework).toBeUndefined();
    expect(group?.dependencies[0]?.include).toEqual(["Runtime"]);
    expect(group?.dependencies.map((dependency) => describeVersionRange(dependency.range))).toEqual([
      "= 1.0.0",
      "any version",
    ]);
  });

  it("ignores elements from other namespaces and the <files> section", () => {
    const metadata = parseNuspec(
      `<package xmlns="${NS_2013}" xmlns:x="urn:other"><metadata><id>A</id><x:id>B</x:id></metadata><files><file src="a"/></files></package>`,
    );
    expect(metadata.id).toBe("A");
  });

  it.each(["true", "True", "1"])("reads requireLicenseAcceptance %s as true", (value) => {
    expect(
      parseNuspec(manifest(`<requireLicenseAcceptance>${value}</requireLicenseAcceptance>`)).requireLicenseAcceptance,
    ).toBe(true);
  });
});

describe("parseNuspec refusals", () => {
  it.each([
    [
      "a document type declaration",
      `<!DOCTYPE package SYSTEM "http://evil/x.dtd"><package/>`,
      "NUSPEC_DTD_FORBIDDEN",
      "document type declaration",
    ],
    ["broken XML", `<package><metadata></package>`, "NUSPEC_INVALID_XML", "not well-formed"],
    [
      "another root element",
      `<project><metadata/></project>`,
      "NUSPEC_NOT_A_MANIFEST",
      "must be <package>, not <project>",
    ],
    ["no metadata", `<package xmlns="${NS_2013}"/>`, "NUSPEC_NOT_A_MANIFEST", "no <metadata>"],
    ["an unknown namespace", manifest("<id>A</id>", "urn:not-nuget"), "NUSPEC_UNKNOWN_SCHEMA", "'urn:not-nuget'"],
    ["a field given twice", manifest("<id>A</id><id>B</id>"), "NUSPEC_DUPLICATE_FIELD", "more than one <id>"],
    [
      "markup inside a text field",
      manifest("<description><b>bold</b></description>"),
      "NUSPEC_INVALID_FIELD",
      "<description> must contain text only",
    ],
    [
      "a non-boolean license acceptance",
      manifest("<requireLicenseAcceptance>yes</requireLicenseAcceptance>"),
      "NUSPEC_INVALID_FIELD",
      "true or false",
    ],
    [
      "an unknown license type",
      manifest(`<license type="url">http://x</license>`),
      "NUSPEC_INVALID_FIELD",
      `not "url"`,
    ],
    ["a license without a type", manifest(`<license>MIT</license>`), "NUSPEC_INVALID_FIELD", `not ""`],
    ["an empty license", manifest(`<license type="file"> </license>`), "NUSPEC_INVALID_FIELD", "<license> is empty"],
    [
      "a bad minClientVersion",
      `<package><metadata minClientVersion="two"><id>A</id></metadata></package>`,
      "NUSPEC_INVALID_FIELD",
      "minClientVersion is invalid",
    ],
    [
      "a package type without a name",
      manifest(`<packageTypes><packageType/></packageTypes>`),
      "NUSPEC_INVALID_FIELD",
      "<packageType>",
    ],
    [
      "a framework assembly without a name",
      manifest(`<frameworkAssemblies><frameworkAssembly targetFramework="net45"/></frameworkAssemblies>`),
      "NUSPEC_INVALID_FIELD",
      "assemblyName",
    ],
    [
      "groups mixed with loose dependencies",
      manifest(`<dependencies><group/><dependency id="A"/></dependencies>`),
      "NUSPEC_INVALID_FIELD",
      "mixes <group>",
    ],
    [
      "a dependency without an id",
      manifest(`<dependencies><dependency version="1.0"/></dependencies>`),
      "NUSPEC_INVALID_DEPENDENCY",
      "no id",
    ],
    [
      "a dependency with a bad range",
      manifest(`<dependencies><dependency id="A" version="[2.0,1.0]"/></dependencies>`),
      "NUSPEC_INVALID_DEPENDENCY",
      "The dependency on 'A' has an invalid version",
    ],
  ])("refuses %s", (_case, xml, code, text) => {
    expect(() => parseNuspec(xml)).toThrow(
      expect.objectContaining({ name: "IssueError", code, message: expect.stringContaining(text) }),
    );
  });
});
