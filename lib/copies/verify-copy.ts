// "Verify a copy": is this .nupkg (or this SHA-512) what the gallery published? Answers, from the
// strongest to the weakest match:
//
//   identical      byte for byte the file the gallery serves;
//   author-upload  byte for byte what the author uploaded, before the gallery added its
//                  repository signature (the hash of every upload is kept with it);
//   same-contents  the same package contents as a published version (NuGet's contentHash, which
//                  leaves the signature out): only the signatures differ, e.g. another
//                  repository's signature, or none;
//   rezipped       the same ID and version, every file the same, in another archive: the bytes
//                  differ, so any signature no longer matches them;
//   tampered       the same ID and version with files changed, added or removed (named);
//   unknown        no such ID and version here (or, for a hash, no file with that hash);
//   unreadable     not a package that can be read.
//
// Every answer that has a file (or a published version) to judge says who signed it and what
// NuGet does with it under each consumer policy, judged as the version page judges.

import type { Db } from "@/lib/db";
import { IssueError, type Issue } from "@/lib/issues";
import { parseNuspec } from "@/lib/nuspec/parse-nuspec";
import { readNuspecXml } from "@/lib/nuspec/read-nuspec";
import { displayName } from "@/lib/signing/distinguished-name";
import { parseStoredReport } from "@/lib/packages/signature-summary";
import {
  provenSigningTime,
  signedWhileCompromised,
  type SigningTimeSource,
} from "@/lib/validation/proven-signing-time";
import { signingState, type SignatureStatus } from "@/lib/packages/signing-state";
import { versionTrust } from "@/lib/packages/version-trust";
import { selectTrustedSigners, type GalleryFeed, type VersionTrust } from "@/lib/policy/trust-selection";
import { verdictContext, versionVerdicts, type ModeVerdict } from "@/lib/policy/verdicts";
import { verifyPackageSignatures, type SignatureReport, type TrustStore } from "@/lib/signing";
import type { PackageStorage } from "@/lib/storage";
import { checkArchiveShape } from "@/lib/validation/judge-upload";
import { normalizeVersion, parseVersion } from "@/lib/versioning/version";
import { readCentralDirectory, type CentralDirectory } from "@/lib/zip/central-directory";
import { compareDigests, entryDigests, type ArchiveDifferences } from "@/lib/zip/entry-digests";
import { openFileSource, type ByteSource } from "@/lib/zip/source";

export type CopyAnswerKind =
  "identical" | "author-upload" | "same-contents" | "rezipped" | "tampered" | "unknown" | "unreadable";

export interface CopySignature {
  status: SignatureReport["status"];
  /** The author signer's name, when there is an author signature. */
  signerName: string | null;
  /** Its certificate's SHA-256, lower-case hex. */
  signerFingerprint: string | null;
  /** The repository that signed or countersigned it. */
  repositoryName: string | null;
  repositoryServiceIndexUrl: string | null;
  /** The engine's findings (errors and warnings). */
  issues: Issue[];
}

export interface CopyAnswer {
  kind: CopyAnswerKind;
  /** What this copy is, in one sentence. */
  sentence: string;
  /** Base64 SHA-512 of the copy (or the hash asked about). */
  sha512: string;
  /** The published version the copy was compared with. */
  package: { id: string; version: string } | null;
  signature: CopySignature | null;
  verdicts: ModeVerdict[] | null;
  differences: ArchiveDifferences | null;
}

export interface CopyCheckContext {
  db: Db;
  feed: GalleryFeed;
  now?: Date;
}

const SIGNATURE_ENTRY = ".signature.p7s";
const SHA512_BASE64 = /^[A-Za-z0-9+/]{86}==$/;
const SHA512_HEX = /^[0-9a-fA-F]{128}$/;

/** A SHA-512 as base64 (as NuGet and the gallery write it) or hex; IssueError HASH_INVALID otherwise. */
export function readSha512(text: string): string {
  const trimmed = text.trim();
  if (SHA512_BASE64.test(trimmed)) return trimmed;
  if (SHA512_HEX.test(trimmed)) return Buffer.from(trimmed, "hex").toString("base64");
  throw new IssueError(
    "HASH_INVALID",
    "Give the SHA-512 as 128 hexadecimal digits or as 88 base64 characters, as `sha512sum` or NuGet print it.",
  );
}

interface PublishedRow {
  id: string;
  version: string;
  storageKey: string;
  signatureStatus: SignatureStatus;
  signatureReport: string | null;
  provenSigningTime: Date;
  provenSigningTimeSource: SigningTimeSource;
  registration: { packageId: string; owners: Array<{ user: { certificates: Array<{ certificateId: string }> } }> };
  signerCertificate: { id: string; subject: string | null; compromisedAt: Date | null } | null;
}

const PUBLISHED_SELECT = {
  id: true,
  version: true,
  storageKey: true,
  signatureStatus: true,
  signatureReport: true,
  provenSigningTime: true,
  provenSigningTimeSource: true,
  registration: {
    select: {
      packageId: true,
      owners: { select: { user: { select: { certificates: { select: { certificateId: true } } } } } },
    },
  },
  signerCertificate: { select: { id: true, subject: true, compromisedAt: true } },
} as const;

function registeredByOwner(row: PublishedRow, certificateId: string | null): boolean {
  return (
    certificateId !== null &&
    row.registration.owners.some((owner) =>
      owner.user.certificates.some((entry) => entry.certificateId === certificateId),
    )
  );
}

/** The published version as the version page judges it. */
function publishedTrust(row: PublishedRow): VersionTrust {
  const signing = signingState({
    signatureStatus: row.signatureStatus,
    signer: row.signerCertificate
      ? { subject: row.signerCertificate.subject, compromisedAt: row.signerCertificate.compromisedAt }
      : null,
    provenSigningTime: row.provenSigningTime,
    provenSigningTimeSource: row.provenSigningTimeSource,
  });
  return versionTrust({
    packageId: row.registration.packageId,
    version: row.version,
    report: parseStoredReport(row.signatureReport),
    signing,
    signerRegistered: registeredByOwner(row, row.signerCertificate?.id ?? null),
  });
}

function signatureOf(report: SignatureReport | null): CopySignature | null {
  if (!report) return null;
  const author = report.author?.kind === "author" ? report.author.signer : null;
  const repository = report.repository?.signer ?? null;
  return {
    status: report.status,
    signerName: author ? displayName(author.subject) : null,
    signerFingerprint: author?.sha256Fingerprint.toLowerCase() ?? null,
    repositoryName: repository ? displayName(repository.subject) : null,
    repositoryServiceIndexUrl: report.repository?.serviceIndexUrl ?? null,
    issues: report.issues,
  };
}

function verdictsFor(copy: VersionTrust, suggestedFor: VersionTrust, context: CopyCheckContext): ModeVerdict[] {
  return versionVerdicts(
    copy,
    verdictContext(context.feed, selectTrustedSigners([suggestedFor], context.feed).signers, context.now ?? new Date()),
  );
}

function label(row: PublishedRow): string {
  return `${row.registration.packageId} ${row.version}`;
}

async function publishedBySha512(db: Db, sha512: string): Promise<PublishedRow | null> {
  return db.packageVersion.findFirst({ where: { sha512 }, select: PUBLISHED_SELECT });
}

/** The version whose author uploaded these bytes (served repository-signed), with the report they were judged on. */
async function publishedByUploadSha512(
  db: Db,
  sha512: string,
): Promise<{ row: PublishedRow; report: SignatureReport | null } | null> {
  const version = await db.packageVersion.findFirst({
    where: { uploadedSha512: sha512 },
    select: { ...PUBLISHED_SELECT, uploadAttempt: { select: { signatureReport: true } } },
  });
  return version ? { row: version, report: parseStoredReport(version.uploadAttempt?.signatureReport ?? null) } : null;
}

function identicalAnswer(row: PublishedRow, sha512: string, context: CopyCheckContext): CopyAnswer {
  const trust = publishedTrust(row);
  return {
    kind: "identical",
    sentence: `Byte for byte the file this gallery publishes as ${label(row)}.`,
    sha512,
    package: { id: row.registration.packageId, version: row.version },
    signature: signatureOf(trust.report),
    verdicts: verdictsFor(trust, trust, context),
    differences: null,
  };
}

function authorUploadAnswer(
  row: PublishedRow,
  uploadReport: SignatureReport | null,
  sha512: string,
  context: CopyCheckContext,
): CopyAnswer {
  const published = publishedTrust(row);
  const copy: VersionTrust = { ...published, report: uploadReport?.status === "unsigned" ? null : uploadReport };
  return {
    kind: "author-upload",
    sentence: `Byte for byte what the author uploaded as ${label(row)}; the gallery publishes it with its repository signature added, so the file it serves differs.`,
    sha512,
    package: { id: row.registration.packageId, version: row.version },
    signature: signatureOf(uploadReport),
    verdicts: verdictsFor(copy, published, context),
    differences: null,
  };
}

/** Answers for a hash alone: a byte-for-byte match, or nothing a hash can tell. */
export async function checkCopyHash(context: CopyCheckContext, sha512Text: string): Promise<CopyAnswer> {
  const sha512 = readSha512(sha512Text);
  const published = await publishedBySha512(context.db, sha512);
  if (published) return identicalAnswer(published, sha512, context);
  const uploaded = await publishedByUploadSha512(context.db, sha512);
  if (uploaded) return authorUploadAnswer(uploaded.row, uploaded.report, sha512, context);
  return {
    kind: "unknown",
    sentence:
      "No file this gallery published, or accepted from an author, has this SHA-512. A hash cannot tell a changed copy from an unrelated file: give the file itself to compare its contents.",
    sha512,
    package: null,
    signature: null,
    verdicts: null,
    differences: null,
  };
}

async function readIdentity(source: ByteSource, directory: CentralDirectory): Promise<{ id: string; version: string }> {
  const metadata = parseNuspec(await readNuspecXml(source, directory));
  if (!metadata.id || !metadata.version)
    throw new IssueError("NUSPEC_INVALID_FIELD", "The manifest does not name the package's ID and version.");
  return { id: metadata.id, version: normalizeVersion(parseVersion(metadata.version)) };
}

/**
 * What the gallery knows about the copy's author certificate: compromised at its proven signing
 * time (its timestamp, else now, when the gallery first sees it), registered by an owner.
 */
async function copyTrust(
  db: Db,
  report: SignatureReport,
  identity: { id: string; version: string },
  published: PublishedRow | null,
  now: Date,
): Promise<VersionTrust> {
  const signer = report.author?.kind === "author" ? report.author.signer : null;
  const certificate = signer
    ? await db.certificate.findUnique({
        where: { sha256Fingerprint: signer.sha256Fingerprint.toLowerCase() },
        select: { id: true, compromisedAt: true },
      })
    : null;
  const compromised = certificate
    ? signedWhileCompromised(provenSigningTime(report, now).time, certificate.compromisedAt)
    : false;
  return {
    packageId: identity.id,
    version: identity.version,
    report: report.status === "unsigned" ? null : report,
    authorCertificate: signer
      ? { compromised, registered: published !== null && registeredByOwner(published, certificate?.id ?? null) }
      : null,
  };
}

function differenceSentence(row: PublishedRow, differences: ArchiveDifferences): string {
  const parts = [
    differences.changed.length > 0
      ? `${differences.changed.length} changed (${differences.changed.slice(0, 3).join(", ")}${differences.changed.length > 3 ? ", …" : ""})`
      : null,
    differences.added.length > 0
      ? `${differences.added.length} added (${differences.added.slice(0, 3).join(", ")}${differences.added.length > 3 ? ", …" : ""})`
      : null,
    differences.removed.length > 0
      ? `${differences.removed.length} removed (${differences.removed.slice(0, 3).join(", ")}${differences.removed.length > 3 ? ", …" : ""})`
      : null,
  ].filter((part): part is string => part !== null);
  return `Not what this gallery publishes as ${label(row)}: files ${parts.join("; ")}. Do not use this copy.`;
}

function signatureStateText(report: SignatureReport): string {
  if (report.status === "unsigned") return "it carries no signature";
  if (report.integrity === false) return "its signature no longer matches its bytes (NU3008)";
  const signature = signatureOf(report);
  return `it is signed${signature?.signerName ? ` by ${signature.signerName}` : ""}${signature?.repositoryName ? ` and by the repository ${signature.repositoryName}` : ""}`;
}

async function compareWithPublished(
  source: ByteSource,
  directory: CentralDirectory,
  row: PublishedRow,
  storage: PackageStorage,
): Promise<ArchiveDifferences> {
  const published = await storage.open(row.storageKey);
  try {
    const skip = (name: string) => name === SIGNATURE_ENTRY;
    const [ours, theirs] = await Promise.all([
      entryDigests(published, await readCentralDirectory(published), skip),
      entryDigests(source, directory, skip),
    ]);
    return compareDigests(ours, theirs);
  } finally {
    await published.close();
  }
}

/** Answers for a file (a staged upload on disk). */
export async function checkCopyFile(
  context: CopyCheckContext & { storage: PackageStorage; trust: TrustStore },
  file: { path: string; sha512: string },
): Promise<CopyAnswer> {
  const { db } = context;
  const published = await publishedBySha512(db, file.sha512);
  if (published) return identicalAnswer(published, file.sha512, context);
  const uploaded = await publishedByUploadSha512(db, file.sha512);
  if (uploaded) return authorUploadAnswer(uploaded.row, uploaded.report, file.sha512, context);

  const source = await openFileSource(file.path);
  try {
    let directory: CentralDirectory;
    let identity: { id: string; version: string };
    try {
      directory = await readCentralDirectory(source);
      const [shapeProblem] = checkArchiveShape(directory);
      if (shapeProblem) throw new IssueError(shapeProblem.code, shapeProblem.message);
      identity = await readIdentity(source, directory);
    } catch (failure) {
      if (!(failure instanceof IssueError || failure instanceof RangeError)) throw failure;
      return {
        kind: "unreadable",
        sentence: `This file is not a package the gallery can read: ${failure.message}`,
        sha512: file.sha512,
        package: null,
        signature: null,
        verdicts: null,
        differences: null,
      };
    }
    const report = await verifyPackageSignatures(source, {
      trust: context.trust,
      now: context.now,
      includeContentHash: true,
    });
    const contentHash = report.contentHash ?? file.sha512;
    const sameContents = await db.packageVersion.findFirst({
      where: {
        contentHash,
        registration: { packageIdLower: identity.id.toLowerCase() },
        versionLower: identity.version.toLowerCase(),
      },
      select: PUBLISHED_SELECT,
    });
    const row =
      sameContents ??
      (await db.packageVersion.findFirst({
        where: {
          registration: { packageIdLower: identity.id.toLowerCase() },
          versionLower: identity.version.toLowerCase(),
        },
        select: PUBLISHED_SELECT,
      }));
    const trust = await copyTrust(db, report, identity, row, context.now ?? new Date());
    const base = {
      sha512: file.sha512,
      signature: signatureOf(report),
      verdicts: verdictsFor(trust, row ? publishedTrust(row) : trust, context),
    };
    if (!row) {
      return {
        ...base,
        kind: "unknown",
        sentence: `This gallery has no ${identity.id} ${identity.version}, so there is nothing to compare this copy with.`,
        package: null,
        differences: null,
      };
    }
    const packageRef = { id: row.registration.packageId, version: row.version };
    if (sameContents) {
      return {
        ...base,
        kind: "same-contents",
        sentence: `The same package contents as ${label(row)} published here; only the signatures differ: ${signatureStateText(report)}.`,
        package: packageRef,
        differences: null,
      };
    }
    const differences = await compareWithPublished(source, directory, row, context.storage);
    const unchanged = differences.changed.length + differences.added.length + differences.removed.length === 0;
    return unchanged
      ? {
          ...base,
          kind: "rezipped",
          sentence: `The same files as ${label(row)} published here, in a different archive: its bytes differ, and ${signatureStateText(report)}.`,
          package: packageRef,
          differences,
        }
      : { ...base, kind: "tampered", sentence: differenceSentence(row, differences), package: packageRef, differences };
  } finally {
    await source.close();
  }
}
