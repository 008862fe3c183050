// What a package's manifest (.nuspec) says about it. Plain data: the upload rules judge it,
// the database stores it and the package page shows it. Fields are as written in the manifest
// (trimmed, empty treated as absent); judging them is lib/validation's job, so a manifest with
// a missing id or a bad version still reads, and every problem can be reported together.

import type { VersionRange } from "@/lib/versioning/range";

export type NuspecLicense =
  | { type: "expression"; expression: string; /** Version of the license-expression syntax. */ version?: string }
  | { type: "file"; path: string };

export interface NuspecRepository {
  type?: string;
  url?: string;
  branch?: string;
  commit?: string;
}

export interface NuspecPackageType {
  name: string;
  version?: string;
}

export interface NuspecDependency {
  id: string;
  /** ANY_VERSION_RANGE when the manifest gives no version. */
  range: VersionRange;
  /** Asset types the consumer takes ("include"/"exclude" attributes, e.g. ["Build", "Analyzers"]). */
  include?: string[];
  exclude?: string[];
}

export interface NuspecDependencyGroup {
  /** As written ("net6.0", ".NETStandard2.0"); undefined for the legacy flat list and for a
   * group without the attribute, which both apply to every framework. */
  targetFramework?: string;
  dependencies: NuspecDependency[];
}

export interface NuspecFrameworkAssembly {
  assemblyName: string;
  /** Empty when the reference applies to every framework. */
  targetFrameworks: string[];
}

export interface NuspecMetadata {
  /** The manifest's XML namespace (one of NuGet's nuspec schemas, or "" for none). */
  schemaNamespace: string;
  id?: string;
  version?: string;
  title?: string;
  authors: string[];
  owners: string[];
  description?: string;
  summary?: string;
  releaseNotes?: string;
  copyright?: string;
  language?: string;
  tags: string[];
  projectUrl?: string;
  iconUrl?: string;
  /** Path of an embedded icon file inside the package. */
  icon?: string;
  /** Path of an embedded readme file inside the package. */
  readme?: string;
  license?: NuspecLicense;
  licenseUrl?: string;
  requireLicenseAcceptance: boolean;
  minClientVersion?: string;
  packageTypes: NuspecPackageType[];
  repository?: NuspecRepository;
  dependencyGroups: NuspecDependencyGroup[];
  frameworkAssemblies: NuspecFrameworkAssembly[];
}
