// NuGet package versions: SemVer 2.0 plus NuGet's legacy forms (a bare major "1", two parts
// "1.0" and a fourth "revision" part "1.2.3.4"). Mirrors NuGet.Versioning's NuGetVersion.TryParse,
// ToNormalizedString and VersionComparer.Default, because the gallery must agree with the client
// on which two version strings name the same package version and how versions sort.

import { IssueError } from "@/lib/issues";

/** A parsed version; plain data so it can be stored as JSON and sent to pages. */
export interface NuGetVersion {
  major: number;
  minor: number;
  patch: number;
  /** NuGet's legacy fourth part; 0 when absent. */
  revision: number;
  /** Prerelease identifiers ("beta.2" → ["beta", "2"]); empty for a stable version. */
  releaseLabels: string[];
  /** Build metadata after "+", without the "+"; undefined when absent. */
  metadata?: string;
  /** The text as written (trimmed), e.g. in the nuspec. */
  original: string;
}

// System.Version components are Int32, so NuGet refuses anything above this.
const MAX_VERSION_PART = 2_147_483_647;
const IDENTIFIER = /^[0-9A-Za-z-]+$/;
const DIGITS = /^\d+$/;

function invalidVersion(text: string, reason: string): IssueError {
  return new IssueError("VERSION_INVALID", `'${text}' is not a valid NuGet version: ${reason}.`);
}

/** Splits "1.2.3-beta.1+build" into its numeric part, labels and metadata, as NuGet does:
 * the first "-" starts the labels unless a "+" came first; the first "+" starts the metadata. */
function splitVersionSections(text: string): { numbers: string; labels?: string; metadata?: string } {
  const plus = text.indexOf("+");
  const beforeMetadata = plus < 0 ? text : text.slice(0, plus);
  const metadata = plus < 0 ? undefined : text.slice(plus + 1);
  const dash = beforeMetadata.indexOf("-");
  if (dash < 0) return { numbers: beforeMetadata, metadata };
  return { numbers: beforeMetadata.slice(0, dash), labels: beforeMetadata.slice(dash + 1), metadata };
}

function parseNumericParts(text: string, numbers: string): number[] {
  const parts = numbers.split(".");
  if (parts.length > 4 || parts.some((part) => !DIGITS.test(part))) {
    throw invalidVersion(text, "the numeric part must be 1 to 4 whole numbers separated by dots");
  }
  return parts.map((part) => {
    const value = Number(part);
    if (value > MAX_VERSION_PART) {
      throw invalidVersion(text, `the number ${part} is larger than ${MAX_VERSION_PART}`);
    }
    return value;
  });
}

function parseReleaseLabels(text: string, labels: string): string[] {
  const identifiers = labels.split(".");
  for (const identifier of identifiers) {
    if (!IDENTIFIER.test(identifier)) {
      throw invalidVersion(
        text,
        "each prerelease label must be a non-empty run of letters, digits and '-', separated by dots",
      );
    }
    // SemVer 2.0 §9: numeric identifiers must not include leading zeroes.
    if (DIGITS.test(identifier) && identifier.length > 1 && identifier.startsWith("0")) {
      throw invalidVersion(text, `the numeric prerelease label '${identifier}' has a leading zero`);
    }
  }
  return identifiers;
}

function checkMetadata(text: string, metadata: string): void {
  // SemVer 2.0 §10 allows leading zeroes in build metadata, so only the character set is checked.
  if (!metadata.split(".").every((identifier) => IDENTIFIER.test(identifier))) {
    throw invalidVersion(
      text,
      "the build metadata must be non-empty runs of letters, digits and '-', separated by dots",
    );
  }
}

/** Parses a NuGet version; throws IssueError VERSION_INVALID with the reason when it is not one. */
export function parseVersion(input: string): NuGetVersion {
  const text = input.trim();
  if (text === "") throw new IssueError("VERSION_INVALID", "The version is empty.");
  const sections = splitVersionSections(text);
  const [major = 0, minor = 0, patch = 0, revision = 0] = parseNumericParts(text, sections.numbers);
  const releaseLabels = sections.labels === undefined ? [] : parseReleaseLabels(text, sections.labels);
  if (sections.metadata !== undefined) checkMetadata(text, sections.metadata);
  return { major, minor, patch, revision, releaseLabels, metadata: sections.metadata, original: text };
}

/** NuGet's normalised form: at least three parts, the revision only when non-zero, leading zeros
 * dropped and build metadata left out ("1.0" → "1.0.0", "1.02.3.0+abc" → "1.2.3"). This is the
 * form the gallery stores and compares, so "1.0" and "1.0.0.0" are the same package version. */
export function normalizeVersion(version: NuGetVersion): string {
  const numbers = [version.major, version.minor, version.patch];
  if (version.revision > 0) numbers.push(version.revision);
  const labels = version.releaseLabels.length > 0 ? `-${version.releaseLabels.join(".")}` : "";
  return `${numbers.join(".")}${labels}`;
}

/** The normalised form plus build metadata, NuGet's ToFullString. */
export function fullVersionString(version: NuGetVersion): string {
  const metadata = version.metadata === undefined ? "" : `+${version.metadata}`;
  return `${normalizeVersion(version)}${metadata}`;
}

export function isPrerelease(version: NuGetVersion): boolean {
  return version.releaseLabels.length > 0;
}

/** NuGet's IsSemVer2: a dotted prerelease label or build metadata. SemVer 1 clients (protocol
 * hives before 3.6.0) must not be shown these versions. */
export function isSemVer2(version: NuGetVersion): boolean {
  return version.releaseLabels.length > 1 || version.metadata !== undefined;
}

function compareNumbers(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

// Numeric identifiers may exceed Number's exact range; compare them by length then text.
function compareDigitStrings(a: string, b: string): number {
  const trimmedA = a.replace(/^0+(?=\d)/, "");
  const trimmedB = b.replace(/^0+(?=\d)/, "");
  if (trimmedA.length !== trimmedB.length) return compareNumbers(trimmedA.length, trimmedB.length);
  return trimmedA === trimmedB ? 0 : trimmedA < trimmedB ? -1 : 1;
}

/** SemVer 2.0 §11 identifier precedence with NuGet's twist: alphanumeric labels compare
 * case-insensitively (NuGet treats "1.0.0-BETA" and "1.0.0-beta" as the same version). */
function compareLabel(a: string, b: string): number {
  const aNumeric = DIGITS.test(a);
  const bNumeric = DIGITS.test(b);
  if (aNumeric && bNumeric) return compareDigitStrings(a, b);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  const upperA = a.toUpperCase();
  const upperB = b.toUpperCase();
  return upperA === upperB ? 0 : upperA < upperB ? -1 : 1;
}

function compareReleaseLabels(a: readonly string[], b: readonly string[]): number {
  // A stable version sorts after every prerelease of the same numbers.
  if (a.length === 0 || b.length === 0) return compareNumbers(b.length, a.length);
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const labelA = a[index];
    const labelB = b[index];
    if (labelA === undefined) return -1;
    if (labelB === undefined) return 1;
    const result = compareLabel(labelA, labelB);
    if (result !== 0) return result;
  }
  return 0;
}

/** Orders versions like NuGet's VersionComparer.Default (build metadata is ignored);
 * negative when a < b, zero when they name the same version, positive when a > b. */
export function compareVersions(a: NuGetVersion, b: NuGetVersion): number {
  return (
    compareNumbers(a.major, b.major) ||
    compareNumbers(a.minor, b.minor) ||
    compareNumbers(a.patch, b.patch) ||
    compareNumbers(a.revision, b.revision) ||
    compareReleaseLabels(a.releaseLabels, b.releaseLabels)
  );
}
