// Rules about a package's zip entry names: where the manifest is, and which names are unsafe.
// nuget.org refuses entries with "//" or "\\" in their path and any entry it cannot read
// (ApiController step 3); NuGet extracts entries after percent-decoding their names (OPC part
// names), so a name is judged both as stored and as decoded. NuGet's PackageArchiveReader
// refuses (NU1402, "unsafe package entry") any entry whose full path, once combined with the
// extraction folder, is outside it or is the folder itself (an entry named "."), so a package
// with one installs nowhere. We refuse that, and what the client cannot create on the
// operating systems it runs on: names that escape the folder on any of them, Windows-reserved
// device names (CON, AUX, NUL, COM1, LPT1... with or without an extension), alternate data
// streams (":"), characters Windows forbids in file names, segments Windows silently trims
// (a trailing dot or space), names longer than a path may be, control and bidirectional
// formatting characters (which make a listing lie about a name), and names that collide once
// case is ignored (they overwrite each other on Windows and macOS, and NuGet looks entries up
// that way).

import { error, IssueError, type ErrorCode, type Issue } from "@/lib/issues";

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
    throw new IssueError(
      "NUSPEC_MULTIPLE",
      `The package has more than one .nuspec manifest at its root (${names}); keep exactly one.`,
    );
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

/** Windows (and so NuGet on Windows) cannot create a file or folder named like a device. */
const WINDOWS_DEVICE_NAME = /^(?:con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(?:\.|$)/i;
/** Characters Windows forbids in a file name (":" is the alternate-stream separator, tested first). */
const WINDOWS_FORBIDDEN = /[<>"|?*]/;
/** Bidirectional formatting characters: they reorder how a name is displayed ("exe.txt" shown for "txt.exe"). */
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Windows' MAX_PATH: a longer entry path cannot be extracted without long-path support, let alone under a folder. */
export const MAX_ENTRY_NAME_LENGTH = 260;
/** The longest file or folder name the common file systems store (ext4, NTFS, APFS), in UTF-8 bytes. */
export const MAX_ENTRY_SEGMENT_BYTES = 255;

const utf8 = new TextEncoder();

/** Why a name is unsafe to extract, or undefined when it is fine. Directory entries end in "/". */
function unsafeNameReason(name: string): { code: ErrorCode; reason: string } | undefined {
  if (name === "") return { code: "ZIP_ENTRY_NAME_INVALID", reason: "is empty" };
  if (/[\u0000-\u001f\u007f]/.test(name))
    return { code: "ZIP_ENTRY_NAME_INVALID", reason: "contains control characters" };
  if (BIDI_CONTROL.test(name)) {
    return {
      code: "ZIP_ENTRY_NAME_BIDI_CONTROL",
      reason: "contains bidirectional formatting characters, which make it display as a different name",
    };
  }
  if (/^[/\\]/.test(name)) return { code: "ZIP_ENTRY_PATH_TRAVERSAL", reason: "is an absolute path" };
  if (/^[A-Za-z]:/.test(name)) return { code: "ZIP_ENTRY_PATH_TRAVERSAL", reason: "starts with a drive letter" };
  if (name.length > MAX_ENTRY_NAME_LENGTH) {
    return {
      code: "ZIP_ENTRY_NAME_TOO_LONG",
      reason: `is ${name.length} characters long; a path in a package may have at most ${MAX_ENTRY_NAME_LENGTH}`,
    };
  }
  // Backslashes are folder separators to Windows extractors, so they split segments too.
  const segments = name.split(/[/\\]/);
  if (segments.some((segment) => segment === "..")) {
    return { code: "ZIP_ENTRY_PATH_TRAVERSAL", reason: "climbs out of the package folder with '..'" };
  }
  if (segments.every((segment) => segment === "" || segment === ".")) {
    return {
      code: "ZIP_ENTRY_NAME_INVALID",
      reason: "names the package folder itself, which NuGet refuses to extract",
    };
  }
  if (segments.slice(0, -1).some((segment) => segment === "" || segment === ".")) {
    return { code: "ZIP_ENTRY_NAME_INVALID", reason: "has an empty or '.' folder in its path (such as '//')" };
  }
  if (segments.some((segment) => utf8.encode(segment).byteLength > MAX_ENTRY_SEGMENT_BYTES)) {
    return {
      code: "ZIP_ENTRY_NAME_TOO_LONG",
      reason: `has a file or folder name longer than ${MAX_ENTRY_SEGMENT_BYTES} bytes, which file systems cannot store`,
    };
  }
  if (name.includes(":")) {
    return { code: "ZIP_ENTRY_NAME_STREAM", reason: "contains ':', which names an alternate data stream on Windows" };
  }
  if (WINDOWS_FORBIDDEN.test(name)) {
    return {
      code: "ZIP_ENTRY_NAME_INVALID",
      reason: 'contains a character Windows does not allow in file names (< > " | ? *)',
    };
  }
  const lastSegment = segments.length - 1;
  if (segments.some((segment, index) => (index < lastSegment || segment !== "") && /[. ]$/.test(segment))) {
    return {
      code: "ZIP_ENTRY_NAME_INVALID",
      reason: "has a file or folder name ending in a dot or a space, which Windows drops",
    };
  }
  if (segments.some((segment) => WINDOWS_DEVICE_NAME.test(segment))) {
    return {
      code: "ZIP_ENTRY_NAME_RESERVED",
      reason: "uses a name Windows reserves for a device (CON, PRN, AUX, NUL, COM1-9, LPT1-9)",
    };
  }
  return undefined;
}

/** Names are shown at most this long: enough to find the file, not a 65,000-character message. */
const SHOWN_NAME_LENGTH = 120;

export function describeEntryName(name: string): string {
  // JSON quoting shows control characters and stray whitespace instead of hiding them.
  if (name.length <= SHOWN_NAME_LENGTH) return JSON.stringify(name);
  return `${JSON.stringify(name.slice(0, SHOWN_NAME_LENGTH))}… (${name.length} characters)`;
}

function unsafeNameIssue(name: string): Issue | undefined {
  const decoded = percentDecoded(name);
  const problem = unsafeNameReason(name) ?? unsafeNameReason(decoded);
  if (problem === undefined) return undefined;
  const shown =
    decoded === name ? describeEntryName(name) : `${describeEntryName(name)} (decoded ${describeEntryName(decoded)})`;
  return error(
    problem.code,
    `The zip entry ${shown} ${problem.reason}; the package is refused so that no file lands outside its folder.`,
  );
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
        `The zip has two entries for the same path, ${describeEntryName(earlier)} and ${describeEntryName(name)} (names are compared without case).`,
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
