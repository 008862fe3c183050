// The manifest fields every package must have and the rules for its ID and version, as nuget.org
// applies them at push (NuGet's PackageIdValidator and the gallery's metadata validation).

import { error, IssueError, type Issue } from "@/lib/issues";
import type { NuspecMetadata } from "@/lib/nuspec/metadata";
import { fullVersionString, parseVersion, type NuGetVersion } from "@/lib/versioning/version";

export const MAX_PACKAGE_ID_LENGTH = 100;
export const MAX_VERSION_LENGTH = 64;

// NuGet's ^\w+([.-]\w+)*$ evaluated by .NET, where \w is Unicode-aware: letters, non-spacing
// marks, decimal digits and connector punctuation (the underscore among them).
const WORD = String.raw`[\p{L}\p{Mn}\p{Nd}\p{Pc}]`;
const PACKAGE_ID = new RegExp(String.raw`^${WORD}+([.-]${WORD}+)*$`, "u");

export interface PackageIdentity {
  id: string;
  version: NuGetVersion;
}

export interface IdentityCheck {
  issues: Issue[];
  /** Present exactly when the ID and version are valid, so callers can go on with them. */
  identity?: PackageIdentity;
}

function missingField(element: string, why: string): Issue {
  return error("NUSPEC_MISSING_FIELD", `The nuspec has no <${element}>; ${why}.`);
}

/** NuGet's package ID rules; `role` names the ID in the message ("package", "dependency"). */
export function checkPackageId(id: string, role = "package"): Issue[] {
  if (id.length > MAX_PACKAGE_ID_LENGTH) {
    return [
      error(
        "PACKAGE_ID_TOO_LONG",
        `The ${role} ID '${id.slice(0, 20)}…' is ${id.length} characters long; NuGet allows at most ${MAX_PACKAGE_ID_LENGTH}.`,
      ),
    ];
  }
  if (!PACKAGE_ID.test(id)) {
    return [
      error(
        "PACKAGE_ID_INVALID",
        `The ${role} ID '${id}' is not valid: use letters, digits and underscores, in parts joined by single dots or dashes (for example 'Contoso.Utilities-Core').`,
      ),
    ];
  }
  return [];
}

function checkVersion(text: string): { issues: Issue[]; version?: NuGetVersion } {
  let version: NuGetVersion;
  try {
    version = parseVersion(text);
  } catch (failure) {
    if (failure instanceof IssueError) return { issues: [failure.toIssue()] };
    throw failure;
  }
  const full = fullVersionString(version);
  if (full.length > MAX_VERSION_LENGTH) {
    return {
      issues: [
        error(
          "VERSION_TOO_LONG",
          `The version '${full}' is ${full.length} characters long; at most ${MAX_VERSION_LENGTH} are allowed.`,
        ),
      ],
    };
  }
  return { issues: [], version };
}

/** Required fields (id, version, authors, description, as NuGet's pack requires), the ID rules
 * (at most 100 characters, ^\w+([.-]\w+)*$) and the version rules (a valid NuGet/SemVer 2.0
 * version, at most 64 characters in its full normalised form). Every problem is reported at once. */
export function checkPackageIdentity(metadata: NuspecMetadata): IdentityCheck {
  const { id, version } = metadata;
  const idIssues = id === undefined ? [missingField("id", "every package needs an ID")] : checkPackageId(id);
  const versionCheck =
    version === undefined
      ? { issues: [missingField("version", "every package needs a version")] }
      : checkVersion(version);
  const issues = [...idIssues, ...versionCheck.issues];
  if (metadata.authors.length === 0) issues.push(missingField("authors", "name at least one author"));
  if (metadata.description === undefined) issues.push(missingField("description", "describe what the package does"));
  if (id === undefined || idIssues.length > 0 || versionCheck.version === undefined) return { issues };
  return { issues, identity: { id, version: versionCheck.version } };
}
