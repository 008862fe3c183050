// Target frameworks as NuGet reads them, enough to pick a package's dependency group for a
// project: which group NuGet's NuGetFrameworkUtility.GetNearest chooses for a target framework.
// Covered (and checked against NuGet.Frameworks in fixtures/nuget-frameworks.tsv): .NET
// Framework (net45, .NETFramework4.7.2), .NET Core and .NET 5+ (netcoreapp3.1, net8.0, with an
// OS platform such as net8.0-windows), .NET Standard, and the "any framework" group a manifest
// writes without a targetFramework. Other frameworks (Xamarin, UWP, portable profiles) are
// compared only with themselves: a group for monoandroid10.0 serves a monoandroid target.

export type FrameworkFamily = "netframework" | "netcoreapp" | "netstandard" | "any" | "other";

export interface TargetFramework {
  family: FrameworkFamily;
  /** Lower-case identifier for "other" frameworks ("monoandroid"); the family name otherwise. */
  identifier: string;
  /** Up to four numbers, missing ones 0. */
  version: [number, number, number, number];
  /** OS platform of .NET 5+ frameworks ("windows"), lower case; "" for none. */
  platform: string;
  platformVersion: [number, number, number, number];
}

export const ANY_FRAMEWORK: TargetFramework = {
  family: "any",
  identifier: "any",
  version: [0, 0, 0, 0],
  platform: "",
  platformVersion: [0, 0, 0, 0],
};

const LONG_NAMES: Record<string, FrameworkFamily> = {
  ".netframework": "netframework",
  ".netcoreapp": "netcoreapp",
  ".netstandard": "netstandard",
  netframework: "netframework",
  netcoreapp: "netcoreapp",
  netstandard: "netstandard",
  net: "netframework",
};

function fourParts(parts: number[]): [number, number, number, number] {
  return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 0];
}

/** "4.7.2" → [4,7,2]; "472" (short names without dots) → [4,7,2]; "80" for net → [8,0]. */
function readVersion(text: string): [number, number, number, number] | null {
  if (text === "") return [0, 0, 0, 0];
  if (/^\d+(\.\d+){1,3}$/.test(text)) return fourParts(text.split(".").map(Number));
  if (/^\d{1,4}$/.test(text)) return fourParts([...text].map(Number));
  return null;
}

function compareParts(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < 4; index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * Reads a framework as a manifest or a project writes it; null when it is not one NuGet knows
 * the shape of. An empty text is the "any framework" group.
 */
export function parseFramework(input: string | null | undefined): TargetFramework | null {
  const text = (input ?? "").trim().toLowerCase();
  if (text === "" || text === "any") return ANY_FRAMEWORK;
  const withVersionKeyword = /^([.a-z]+),version=v([\d.]+)$/.exec(text);
  const [, name = "", rest = ""] = withVersionKeyword ?? /^([.a-z]+)([\d.]*(?:-.*)?)$/.exec(text) ?? [];
  if (name === "") return null;
  const [versionText = "", platformText] = rest.split("-", 2);
  const version = readVersion(versionText);
  if (!version) return null;
  const platformMatch = platformText === undefined ? null : /^([a-z]+)([\d.]*)$/.exec(platformText);
  if (platformText !== undefined && !platformMatch) return null;
  const platformVersion = platformMatch ? readVersion(platformMatch[2] ?? "") : [0, 0, 0, 0];
  if (!platformVersion) return null;
  let family = LONG_NAMES[name];
  if (family === undefined) {
    if (name.startsWith(".") || platformMatch) return null;
    return { family: "other", identifier: name, version, platform: "", platformVersion: [0, 0, 0, 0] };
  }
  // "net5.0" and later, and ".NETCoreApp5.0", are .NET (Core); "net4x" is .NET Framework.
  if ((family === "netframework" && name === "net" && version[0] >= 5) || (family === "netcoreapp" && version[0] >= 5))
    family = "netcoreapp";
  const platform = family === "netcoreapp" && version[0] >= 5 && platformMatch ? (platformMatch[1] ?? "") : "";
  if (platformMatch && platform === "") return null;
  return {
    family,
    identifier: family,
    version,
    platform,
    platformVersion: platform === "" ? [0, 0, 0, 0] : fourParts(platformVersion),
  };
}

function versionText(version: readonly number[], minimumParts: number): string {
  let parts = [...version];
  while (parts.length > minimumParts && parts.at(-1) === 0) parts = parts.slice(0, -1);
  return parts.join(".");
}

/** NuGet's short folder name: net472, netcoreapp3.1, net8.0-windows7.0, netstandard2.0, any. */
export function frameworkShortName(framework: TargetFramework): string {
  switch (framework.family) {
    case "any":
      return "any";
    case "netframework":
      return `net${versionText(framework.version, 2).replaceAll(".", "")}`;
    case "netstandard":
      return `netstandard${versionText(framework.version, 2)}`;
    case "other":
      return `${framework.identifier}${versionText(framework.version, 2)}`;
    case "netcoreapp": {
      if (framework.version[0] < 5) return `netcoreapp${versionText(framework.version, 2)}`;
      const platform =
        framework.platform === ""
          ? ""
          : `-${framework.platform}${framework.platformVersion.some((part) => part > 0) ? versionText(framework.platformVersion, 2) : ""}`;
      return `net${versionText(framework.version, 2)}${platform}`;
    }
  }
}

/** The newest .NET Standard a framework can consume (NuGet's compatibility mappings); null for none. */
function supportedNetStandard(framework: TargetFramework): [number, number, number, number] | null {
  const [major, minor, patch] = framework.version;
  if (framework.family === "netstandard") return framework.version;
  if (framework.family === "netcoreapp") {
    if (major >= 3) return [2, 1, 0, 0];
    return major === 2 ? [2, 0, 0, 0] : [1, 6, 0, 0];
  }
  if (framework.family === "netframework") {
    const number = major * 100 + minor * 10 + patch;
    if (number >= 461) return [2, 0, 0, 0];
    if (number >= 460) return [1, 3, 0, 0];
    if (number >= 451) return [1, 2, 0, 0];
    if (number >= 450) return [1, 1, 0, 0];
  }
  return null;
}

function sameFamilyCompatible(target: TargetFramework, candidate: TargetFramework): boolean {
  if (candidate.family !== target.family || candidate.identifier !== target.identifier) return false;
  if (compareParts(candidate.version, target.version) > 0) return false;
  if (candidate.platform === "") return true;
  return candidate.platform === target.platform && compareParts(candidate.platformVersion, target.platformVersion) <= 0;
}

/** Whether a project targeting `target` can use a group for `candidate`. */
export function isCompatible(target: TargetFramework, candidate: TargetFramework): boolean {
  if (candidate.family === "any") return true;
  if (sameFamilyCompatible(target, candidate)) return true;
  if (candidate.family !== "netstandard") return false;
  const supported = supportedNetStandard(target);
  return supported !== null && compareParts(candidate.version, supported) <= 0;
}

/** Which candidate is nearer to the target: same family over .NET Standard over "any"; then the newest, a matching OS platform first. */
function nearness(target: TargetFramework, candidate: TargetFramework): number[] {
  const tier = candidate.family === "any" ? 0 : candidate.family === target.family ? 2 : 1;
  return [tier, ...candidate.version, candidate.platform === "" ? 0 : 1, ...candidate.platformVersion];
}

function compareNearness(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * The item whose framework NuGet would pick for the target (GetNearest); null when none is
 * compatible. Items whose framework cannot be read are never picked.
 */
export function nearestFramework<T>(
  target: TargetFramework,
  items: readonly T[],
  frameworkOf: (item: T) => TargetFramework | null,
): T | null {
  let best: { item: T; rank: number[] } | null = null;
  for (const item of items) {
    const framework = frameworkOf(item);
    if (framework === null || !isCompatible(target, framework)) continue;
    const rank = nearness(target, framework);
    if (best === null || compareNearness(rank, best.rank) > 0) best = { item, rank };
  }
  return best?.item ?? null;
}
