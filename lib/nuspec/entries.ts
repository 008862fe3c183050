// Rules about a package's zip entry names: where the manifest is, and which names are unsafe.
// nuget.org refuses entries with "//" or "\\" in their path and any entry it cannot read
// (ApiController step 3); NuGet extracts entries after percent-decoding their names (OPC part
// names), so a name is judged both as stored and as decoded. We also refuse names that would
// escape the extraction folder on any operating system, and names that collide once case is
// ignored (they overwrite each other on Windows and macOS, and NuGet looks entries up that way).

import { error, IssueError, type Issue } from "@/lib/issues";

// A zip can hold many bad names; a person needs a few examples and a count, not thousands of lines.
export const MAX_REPORTED_ENTRY_ISSUES = 10;

/** The one manifest at the package root, as NuGet requires (PackageArchiveReader looks for
 * exactly one *.nuspec without a folder); throws NUSPEC_NOT_FOUND or NUSPEC_MULTIPLE. */
export function findNuspecEntry(entryNames: readonly string[]): string {
  const manifests = entryNames.filter((name) => !/[/\\]/.test(name) && name.toLowerCase().endsWith(".nuspec"));
  const [manifest, ...others] = manifests;
  if (manifest === undefined) {
    throw new IssueError("NUSPEC_NOT_FOUND", "The package has no .nuspec manifest at the root of the zip.");
  }
  if (others.length > 0) {
    const names = manifests.map((name) => `'${name}'`).join(", ");
    throw new IssueError("NUSPEC_MULTIPLE", `The package has more than one .nuspec manifest at its root (${names}); keep exactly one.`);
  }
  return manifest;
}

/** The entry name as NuGet sees it when extracting: percent-decoded (OPC part names). */
export function percentDecoded(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    // Not valid percent-encoding: NuGet would keep the name as it is, and so do we.
    return name;
  }
}

/** Why a name is unsafe to extract, or undefined when it is fine. Directory entries end in "/". */
function unsafeNameReason(name: string): { code: string; reason: string } | undefined {
  if (name === "") return { code: "ZIP_ENTRY_NAME_INVALID", reason: "is empty" };
  if (/[\u0000-\u001f\u007f]/.test(name)) return { code: "ZIP_ENTRY_NAME_INVALID", reason: "contains control characters" };
  if (/^[/\\]/.test(name)) return { code: "ZIP_ENTRY_PATH_TRAVERSAL", reason: "is an absolute path" };
  if (/^[A-Za-z]:/.test(name)) return { code: "ZIP_ENTRY_PATH_TRAVERSAL", reason: "starts with a drive letter" };
  // Backslashes are folder separators to Windows extractors, so they split segments too.
  const segments = name.split(/[/\\]/);
  if (segments.some((segment) => segment === "..")) {
    return { code: "ZIP_ENTRY_PATH_TRAVERSAL", reason: "climbs out of the package folder with '..'" };
  }
  if (segments.slice(0, -1).some((segment) => segment === "" || segment === ".")) {
    return { code: "ZIP_ENTRY_NAME_INVALID", reason: "has an empty or '.' folder in its path (such as '//')" };
  }
  return undefined;
}

function describeName(name: string): string {
  // JSON quoting shows control characters and stray whitespace instead of hiding them.
  return JSON.stringify(name);
}

function unsafeNameIssue(name: string): Issue | undefined {
  const decoded = percentDecoded(name);
  const problem = unsafeNameReason(name) ?? unsafeNameReason(decoded);
  if (problem === undefined) return undefined;
  const shown = decoded === name ? describeName(name) : `${describeName(name)} (decoded ${describeName(decoded)})`;
  return error(problem.code, `The zip entry ${shown} ${problem.reason}; the package is refused so that no file lands outside its folder.`);
}

function duplicateNameIssues(entryNames: readonly string[]): Issue[] {
  const firstSpelling = new Map<string, string>();
  const issues: Issue[] = [];
  for (const name of entryNames) {
    const key = percentDecoded(name).replaceAll("\\", "/").toLowerCase();
    const earlier = firstSpelling.get(key);
    if (earlier === undefined) {
      firstSpelling.set(key, name);
      continue;
    }
    issues.push(
      error(
        "ZIP_DUPLICATE_ENTRY",
        `The zip has two entries for the same path, ${describeName(earlier)} and ${describeName(name)} (names are compared without case).`,
      ),
    );
  }
  return issues;
}

/** Every unsafe or duplicate entry name, at most MAX_REPORTED_ENTRY_ISSUES of them followed by
 * a count of the rest. An empty list means every name is safe to extract. */
export function checkEntryNames(entryNames: readonly string[]): Issue[] {
  const unsafe = entryNames.map(unsafeNameIssue).filter((issue): issue is Issue => issue !== undefined);
  const issues = [...unsafe, ...duplicateNameIssues(entryNames)];
  if (issues.length <= MAX_REPORTED_ENTRY_ISSUES) return issues;
  const omitted = issues.length - MAX_REPORTED_ENTRY_ISSUES;
  return [
    ...issues.slice(0, MAX_REPORTED_ENTRY_ISSUES),
    error("ZIP_ENTRY_NAMES_INVALID", `${omitted} more zip entries have unsafe or duplicate names.`),
  ];
}
