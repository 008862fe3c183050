// Reads a package manifest (.nuspec) into NuspecMetadata, following NuGet.Packaging's
// NuspecReader: values are trimmed, empty elements count as absent, authors and owners are
// comma-separated, a flat <dependencies> list is one group for every framework.
// Where we are stricter than NuGet, on purpose, so a person learns of a mistake at upload
// instead of seeing it silently ignored:
// - unknown XML namespaces are refused (NuGet's reader ignores the namespace altogether);
// - a field given twice is refused (NuGet takes the first one);
// - requireLicenseAcceptance must be a boolean (NuGet reads anything but "true" as false);
// - groups and loose <dependency> elements mixed in one <dependencies> are refused (NuGet
//   drops the loose ones without a word).

import { IssueError } from "@/lib/issues";
import { ANY_VERSION_RANGE, parseVersionRange, type VersionRange } from "@/lib/versioning/range";
import { parseVersion } from "@/lib/versioning/version";
import type {
  NuspecDependency,
  NuspecDependencyGroup,
  NuspecFrameworkAssembly,
  NuspecLicense,
  NuspecMetadata,
  NuspecPackageType,
  NuspecRepository,
} from "./metadata";
import { parseXmlDocument, type XmlElement } from "./xml-document";

/** The schema namespaces NuGet has published (NuGet.Packaging's ManifestSchemaUtility) and
 * "" for a manifest without one, which NuGet reads the same way. */
export const NUSPEC_NAMESPACES: ReadonlySet<string> = new Set([
  "",
  "http://schemas.microsoft.com/packaging/2010/07/nuspec.xsd",
  "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd",
  "http://schemas.microsoft.com/packaging/2011/10/nuspec.xsd",
  "http://schemas.microsoft.com/packaging/2012/06/nuspec.xsd",
  "http://schemas.microsoft.com/packaging/2013/01/nuspec.xsd",
  "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd",
  "http://schemas.microsoft.com/packaging/2016/06/nuspec.xsd",
]);

function invalidField(message: string): IssueError {
  return new IssueError("NUSPEC_INVALID_FIELD", message);
}

/** Children with this local name in the parent's own namespace (NuGet looks elements up in
 * the manifest's namespace, so an element from another namespace is not part of the manifest). */
function childrenNamed(parent: XmlElement, name: string): XmlElement[] {
  return parent.children.filter((child) => child.name === name && child.namespace === parent.namespace);
}

function optionalChild(parent: XmlElement, name: string): XmlElement | undefined {
  const matches = childrenNamed(parent, name);
  if (matches.length > 1) {
    throw new IssueError("NUSPEC_DUPLICATE_FIELD", `The nuspec has more than one <${name}> element; give it once.`);
  }
  return matches[0];
}

function textOf(element: XmlElement): string | undefined {
  if (element.children.length > 0) {
    throw invalidField(`The nuspec's <${element.name}> must contain text only, not other elements.`);
  }
  const text = element.text.trim();
  return text === "" ? undefined : text;
}

function readText(parent: XmlElement, name: string): string | undefined {
  const element = optionalChild(parent, name);
  return element === undefined ? undefined : textOf(element);
}

function readAttribute(element: XmlElement, name: string): string | undefined {
  const value = element.attributes[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function splitList(text: string | undefined, separators: RegExp): string[] {
  if (text === undefined) return [];
  return text
    .split(separators)
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** nuget.org's ParseTags treats commas, semicolons and tabs as spaces; we also keep each tag
 * once (ignoring case), so a page never lists the same tag twice. */
function readTags(metadata: XmlElement): string[] {
  const seen = new Set<string>();
  return splitList(readText(metadata, "tags"), /[\s,;]+/).filter((tag) => {
    const key = tag.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function readBoolean(metadata: XmlElement, name: string): boolean {
  const text = readText(metadata, name)?.toLowerCase();
  if (text === undefined || text === "false" || text === "0") return false;
  if (text === "true" || text === "1") return true;
  throw invalidField(`The nuspec's <${name}> must be true or false.`);
}

function readMinClientVersion(metadata: XmlElement): string | undefined {
  const text = readAttribute(metadata, "minClientVersion");
  if (text === undefined) return undefined;
  try {
    parseVersion(text);
  } catch (error) {
    if (error instanceof IssueError) throw invalidField(`The nuspec's minClientVersion is invalid: ${error.message}`);
    throw error;
  }
  return text;
}

function readLicense(metadata: XmlElement): NuspecLicense | undefined {
  const element = optionalChild(metadata, "license");
  if (element === undefined) return undefined;
  const value = textOf(element);
  if (value === undefined)
    throw invalidField("The nuspec's <license> is empty; give a license expression or a file path.");
  const type = readAttribute(element, "type");
  if (type === "expression") {
    const version = readAttribute(element, "version");
    return version === undefined ? { type, expression: value } : { type, expression: value, version };
  }
  if (type === "file") return { type, path: value };
  throw invalidField(`The nuspec's <license> type must be "expression" or "file", not "${type ?? ""}".`);
}

function readRepository(metadata: XmlElement): NuspecRepository | undefined {
  const element = optionalChild(metadata, "repository");
  if (element === undefined) return undefined;
  const repository: NuspecRepository = {};
  for (const key of ["type", "url", "branch", "commit"] as const) {
    const value = readAttribute(element, key);
    if (value !== undefined) repository[key] = value;
  }
  return Object.keys(repository).length === 0 ? undefined : repository;
}

/** The items of a list element such as <packageTypes><packageType …/></packageTypes>. */
function listItems(metadata: XmlElement, listName: string, itemName: string): XmlElement[] {
  const list = optionalChild(metadata, listName);
  return list === undefined ? [] : childrenNamed(list, itemName);
}

function readPackageTypes(metadata: XmlElement): NuspecPackageType[] {
  return listItems(metadata, "packageTypes", "packageType").map((element) => {
    const name = readAttribute(element, "name");
    if (name === undefined) throw invalidField("A <packageType> in the nuspec has no name.");
    const version = readAttribute(element, "version");
    return version === undefined ? { name } : { name, version };
  });
}

function readDependencyRange(id: string, text: string | undefined): VersionRange {
  if (text === undefined) return ANY_VERSION_RANGE;
  try {
    return parseVersionRange(text);
  } catch (error) {
    if (error instanceof IssueError) {
      throw new IssueError(
        "NUSPEC_INVALID_DEPENDENCY",
        `The dependency on '${id}' has an invalid version: ${error.message}`,
      );
    }
    throw error;
  }
}

function readDependency(element: XmlElement): NuspecDependency {
  const id = readAttribute(element, "id");
  if (id === undefined) throw new IssueError("NUSPEC_INVALID_DEPENDENCY", "A <dependency> in the nuspec has no id.");
  const dependency: NuspecDependency = { id, range: readDependencyRange(id, readAttribute(element, "version")) };
  const include = splitList(readAttribute(element, "include"), /,/);
  const exclude = splitList(readAttribute(element, "exclude"), /,/);
  if (include.length > 0) dependency.include = include;
  if (exclude.length > 0) dependency.exclude = exclude;
  return dependency;
}

function readDependencyGroup(element: XmlElement): NuspecDependencyGroup {
  const dependencies = childrenNamed(element, "dependency").map(readDependency);
  const targetFramework = readAttribute(element, "targetFramework");
  return targetFramework === undefined ? { dependencies } : { targetFramework, dependencies };
}

function readDependencyGroups(metadata: XmlElement): NuspecDependencyGroup[] {
  const container = optionalChild(metadata, "dependencies");
  if (container === undefined) return [];
  const groups = childrenNamed(container, "group");
  const looseDependencies = childrenNamed(container, "dependency");
  if (groups.length > 0 && looseDependencies.length > 0) {
    throw invalidField(
      "The nuspec's <dependencies> mixes <group> elements with loose <dependency> elements; put every dependency in a group.",
    );
  }
  if (groups.length > 0) return groups.map(readDependencyGroup);
  return looseDependencies.length > 0 ? [{ dependencies: looseDependencies.map(readDependency) }] : [];
}

function readFrameworkAssemblies(metadata: XmlElement): NuspecFrameworkAssembly[] {
  return listItems(metadata, "frameworkAssemblies", "frameworkAssembly").map((element) => {
    const assemblyName = readAttribute(element, "assemblyName");
    if (assemblyName === undefined) throw invalidField("A <frameworkAssembly> in the nuspec has no assemblyName.");
    return { assemblyName, targetFrameworks: splitList(readAttribute(element, "targetFramework"), /,/) };
  });
}

function findMetadataElement(root: XmlElement): XmlElement {
  if (root.name !== "package") {
    throw new IssueError("NUSPEC_NOT_A_MANIFEST", `The nuspec's root element must be <package>, not <${root.name}>.`);
  }
  if (!NUSPEC_NAMESPACES.has(root.namespace)) {
    throw new IssueError(
      "NUSPEC_UNKNOWN_SCHEMA",
      `The nuspec uses the namespace '${root.namespace}', which is not one of NuGet's nuspec schemas.`,
    );
  }
  const metadata = optionalChild(root, "metadata");
  if (metadata === undefined) {
    throw new IssueError("NUSPEC_NOT_A_MANIFEST", "The nuspec has no <metadata> element inside <package>.");
  }
  return metadata;
}

/** Throws IssueError (NUSPEC_* codes) when the text is not a readable NuGet manifest. */
export function parseNuspec(xml: string): NuspecMetadata {
  const metadata = findMetadataElement(parseXmlDocument(xml));
  const text = (name: string) => readText(metadata, name);
  return {
    schemaNamespace: metadata.namespace,
    id: text("id"),
    version: text("version"),
    title: text("title"),
    authors: splitList(text("authors"), /,/),
    owners: splitList(text("owners"), /,/),
    description: text("description"),
    summary: text("summary"),
    releaseNotes: text("releaseNotes"),
    copyright: text("copyright"),
    language: text("language"),
    tags: readTags(metadata),
    projectUrl: text("projectUrl"),
    iconUrl: text("iconUrl"),
    icon: text("icon"),
    readme: text("readme"),
    license: readLicense(metadata),
    licenseUrl: text("licenseUrl"),
    requireLicenseAcceptance: readBoolean(metadata, "requireLicenseAcceptance"),
    minClientVersion: readMinClientVersion(metadata),
    packageTypes: readPackageTypes(metadata),
    repository: readRepository(metadata),
    dependencyGroups: readDependencyGroups(metadata),
    frameworkAssemblies: readFrameworkAssemblies(metadata),
  };
}
