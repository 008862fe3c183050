// How a judged upload becomes rows: the UploadAttempt fields every verdict stores, the
// PackageVersion fields a published package stores, and the storage keys of each state.

import { createHash } from "node:crypto";
import { z } from "zod";
import type { Issue } from "@/lib/issues";
import type { SignatureReport } from "@/lib/signing";
import type { ProvenSigningTime } from "@/lib/validation/proven-signing-time";
import type { PackageFacts, UploadJudgement } from "@/lib/validation/judge-upload";
import { isPrerelease, isSemVer2, type NuGetVersion } from "@/lib/versioning/version";
import type { NuspecMetadata } from "@/lib/nuspec/metadata";
import { storedDependencyGroups } from "@/lib/packages/dependencies";
import { packageTypesJson } from "@/lib/packages/package-types";

/** Longer encoded segments are replaced by a hash, so any valid ID or version fits a file name. */
const MAX_READABLE_SEGMENT = 100;

/**
 * A lower-cased ID or version as a storage key segment. Package IDs may hold any Unicode
 * letter, which storage keys do not allow, so every other character becomes "+" and its code
 * point in hex; "+" itself never occurs in an ID or a normalised version, so the spelling stays
 * unique. Plain ASCII IDs, nearly all of them, keep their flat-container spelling. An encoding
 * longer than 100 characters (60 CJK letters make 300) becomes "++" and the SHA-256 of the
 * lower-cased text: "++" cannot start a character escape, so it never equals a readable one,
 * and the file name stays under every file system's 255-byte limit.
 */
function storageSegment(text: string): string {
  const lower = text.toLowerCase();
  const readable = Array.from(lower, (character) =>
    /^[a-z0-9._-]$/.test(character) ? character : `+${(character.codePointAt(0) ?? 0).toString(16)}`,
  ).join("");
  return readable.length <= MAX_READABLE_SEGMENT ? readable : `++${createHash("sha256").update(lower).digest("hex")}`;
}

export function publishedPackageKey(packageId: string, version: string): string {
  const id = storageSegment(packageId);
  const lowerVersion = storageSegment(version);
  return `packages/${id}/${lowerVersion}/${id}.${lowerVersion}.nupkg`;
}

export function quarantineKey(attemptId: string): string {
  return `quarantine/${attemptId}.nupkg`;
}

export function previewKey(attemptId: string): string {
  return `pending/${attemptId}.nupkg`;
}

/** The file facts an attempt records (size and hash are known before any judging). */
export interface PackageFile {
  size: number;
  sha512: string;
}

/** A package file where the gallery holds it (a staged upload, a preview, a quarantined file): its storage key and file facts. */
export interface StoredFile extends PackageFile {
  key: string;
}

export interface AttemptVerdict {
  packageId: string | null;
  packageIdLower: string | null;
  version: string | null;
  fileSize: number;
  sha512: string;
  issues: string;
  signatureReport: string | null;
  nuspecXml: string | null;
}

/**
 * Text from a refused package as a database can hold it: PostgreSQL's text cannot hold U+0000,
 * which a hostile manifest may contain (the judgement refuses it), so it is stored as U+FFFD.
 */
function storableText(text: string | null): string | null {
  return text === null ? null : text.replaceAll("\u0000", "\ufffd");
}

/** The columns every UploadAttempt stores about its verdict, whatever the verdict. */
export function attemptVerdictFields(judgement: UploadJudgement, file: PackageFile): AttemptVerdict {
  const packageId = storableText(judgement.packageId ?? judgement.metadata?.id ?? null);
  return {
    packageId,
    packageIdLower: packageId?.toLowerCase() ?? null,
    version: storableText(judgement.version ?? judgement.originalVersion),
    fileSize: file.size,
    sha512: file.sha512,
    issues: JSON.stringify(judgement.issues),
    signatureReport: judgement.signatureReport ? JSON.stringify(judgement.signatureReport) : null,
    nuspecXml: storableText(judgement.nuspecXml),
  };
}

const hashesShape = z.object({
  sha256: z.string().optional(),
  sha384: z.string().optional(),
  sha512: z.string().optional(),
});
const factsShape = z.object({
  entryDataIssues: z.array(z.object({ code: z.string(), level: z.enum(["error", "warning"]), message: z.string() })),
  uploadedHashes: hashesShape,
  judgedHashes: hashesShape,
});

/** A preview's judgedFacts column: what its bytes alone said (see PackageFacts). */
export function factsColumn(judgement: UploadJudgement): string | null {
  return judgement.facts ? JSON.stringify(judgement.facts) : null;
}

/** The facts a preview recorded, or undefined when it recorded none (made before the column) or they do not read back: then the bytes are judged in full. */
export function recordedFacts(json: string | null): PackageFacts | undefined {
  if (json === null) return undefined;
  try {
    const parsed = factsShape.safeParse(JSON.parse(json));
    // The issues were written from the catalogue's own codes by factsColumn.
    return parsed.success ? (parsed.data as PackageFacts) : undefined;
  } catch {
    return undefined;
  }
}

/** A judgement whose ID and version are known: the least a package needs to be published. */
export interface PublishableJudgement extends UploadJudgement {
  packageId: string;
  version: string;
  parsedVersion: NuGetVersion;
  metadata: NuspecMetadata;
  nuspecXml: string;
}

export function isPublishable(judgement: UploadJudgement): judgement is PublishableJudgement {
  return (
    judgement.packageId !== null &&
    judgement.version !== null &&
    judgement.parsedVersion !== null &&
    judgement.metadata !== null &&
    judgement.nuspecXml !== null
  );
}

function joined(items: readonly string[], separator: string): string | null {
  return items.length === 0 ? null : items.join(separator);
}

/** The manifest's fields as PackageVersion columns. */
export function versionMetadataFields(judgement: PublishableJudgement) {
  const { metadata } = judgement;
  return {
    version: judgement.version,
    versionLower: judgement.version.toLowerCase(),
    originalVersion: judgement.originalVersion ?? judgement.version,
    isPrerelease: isPrerelease(judgement.parsedVersion),
    isSemVer2: isSemVer2(judgement.parsedVersion),
    title: metadata.title ?? null,
    // Only an admin's approval publishes a package whose manifest lacks a description.
    description: metadata.description ?? "",
    summary: metadata.summary ?? null,
    authors: metadata.authors.join(", "),
    owners: joined(metadata.owners, ", "),
    tags: joined(metadata.tags, " "),
    licenseExpression: metadata.license?.type === "expression" ? metadata.license.expression : null,
    licenseUrl: metadata.licenseUrl ?? null,
    projectUrl: metadata.projectUrl ?? null,
    iconUrl: metadata.iconUrl ?? null,
    releaseNotes: metadata.releaseNotes ?? null,
    copyright: metadata.copyright ?? null,
    requireLicenseAcceptance: metadata.requireLicenseAcceptance,
    minClientVersion: metadata.minClientVersion ?? null,
    readme: judgement.readme,
    dependencyGroups: JSON.stringify(storedDependencyGroups(metadata)),
    packageTypes: packageTypesJson(metadata.packageTypes),
    nuspecXml: judgement.nuspecXml,
  };
}

const SIGNATURE_STATUS = { unsigned: "UNSIGNED", valid: "VALID", invalid: "INVALID" } as const;

/** The PackageVersion.signatureStatus a signature report amounts to. */
export function signatureStatusOf(
  report: SignatureReport | null,
): (typeof SIGNATURE_STATUS)[keyof typeof SIGNATURE_STATUS] {
  return report ? SIGNATURE_STATUS[report.status] : "UNSIGNED";
}

/** The signature columns of a PackageVersion, without the signer's certificate row. */
export function versionSignatureFields(report: SignatureReport | null, proven: ProvenSigningTime, file: PackageFile) {
  return {
    signatureStatus: signatureStatusOf(report),
    signatureReport: report ? JSON.stringify(report) : null,
    provenSigningTime: proven.time,
    provenSigningTimeSource: proven.source,
    // For an unsigned package NuGet's contentHash is the whole file's hash.
    contentHash: report?.contentHash ?? file.sha512,
  };
}

export function errorCodes(issues: readonly Issue[]): string[] {
  return issues.filter((issue) => issue.level === "error").map((issue) => issue.code);
}
