// How an upload is judged, in one readable pipeline. Each step is a small function; the order
// is the order a person would check a package in:
//   size → zip central directory → archive shape (zip bombs) → entry names → manifest →
//   identity, metadata, embedded files, readme → duplicate ID+version → API key →
//   ownership → prefix reservations → author countersignatures → signature engine (on the
//   package without other repositories' signatures, which the gallery replaces with its own) →
//   signing requirements → author timestamp → compromised certificates.
// A step whose failure makes the rest meaningless (not a zip, no readable manifest) ends the
// judgement; every other step adds its issues and the pipeline goes on, so the uploader sees
// every problem at once. Nothing here writes: publishing is lib/uploads' job.

import { error, IssueError, warning, type ErrorIssue, type Issue } from "@/lib/issues";
import { checkEntryNames, describeEntryName, MAX_REPORTED_ENTRY_ISSUES, percentDecoded } from "@/lib/nuspec/entries";
import type { NuspecMetadata } from "@/lib/nuspec/metadata";
import { parseNuspec } from "@/lib/nuspec/parse-nuspec";
import { readNuspecXml } from "@/lib/nuspec/read-nuspec";
import {
  provenSigningTime,
  signedWhileCompromised,
  type ProvenSigningTime,
} from "@/lib/validation/proven-signing-time";
import { verifyPackage, type SignatureReport, type TrustStore, type UnsignedPackageHashes } from "@/lib/signing";
import { withoutRepositorySignatures } from "@/lib/signing/sign";
import { normalizeVersion, type NuGetVersion } from "@/lib/versioning/version";
import {
  checkEntryData,
  readCentralDirectory,
  readEntryBytes,
  type CentralDirectory,
  type CentralDirectoryEntry,
} from "@/lib/zip/central-directory";
import type { ByteSource } from "@/lib/zip/source";
import { apiKeyAllows, type ApiKeyGrant } from "./rules/api-key";
import { checkAuthorCountersignatures } from "./rules/author-countersignature";
import { checkAuthorTimestamp } from "./rules/author-timestamp";
import { checkEmbeddedFiles } from "./rules/embedded-files";
import { checkMetadataFields } from "./rules/metadata-fields";
import { checkPackageIdentity, type PackageIdentity } from "./rules/package-identity";
import { checkPackageOwnership } from "./rules/package-ownership";
import { checkPackageSize } from "./rules/package-size";
import { judgePrefixReservation } from "./rules/prefix-reservation";
import type { JudgeRecords, PackageRecords, SignerHistory } from "./records";
import {
  authorizeSigner,
  judgeSigningRequirements,
  type SignatureFacts,
  type SigningAccount,
  type SigningRequirementsInput,
} from "./rules/signing-requirements";
import { identityMatchKey, type SignerAuthorization } from "@/lib/validation/rules/signer-rules";
import { displayFingerprint } from "@/lib/signing/fingerprint-text";
import { formatSize, fullUtc } from "./rules/wording";
import { formatDistinguishedName } from "@/lib/signing/distinguished-name";

/** nuget.org's limit for an embedded readme. */
export const MAX_README_BYTES = 1024 * 1024;
/** Far more files than any real package has; a zip of countless tiny entries is a bomb for extractors. */
export const MAX_PACKAGE_ENTRIES = 20_000;
/** What the entries may declare together once extracted (a 250 MB package of well-compressed code stays far below). */
export const MAX_UNCOMPRESSED_BYTES = 4 * 1024 * 1024 * 1024;

export interface UploadToJudge {
  /** The package's bytes where they lie (a staged upload, a stored preview or quarantined file); the caller closes it. */
  source: ByteSource;
  uploaderId: string;
  /** The API key the package was pushed with; absent for uploads through the web page. */
  apiKey?: ApiKeyGrant;
  now?: Date;
  /** When the gallery received the file (default `now`): an untimestamped signature's proven signing time. */
  receivedAt?: Date;
  /** The roots signatures are judged against. */
  trust: TrustStore;
  /** The size limit in bytes (maxPackageBytes in lib/config.ts). */
  maxBytes: number;
  /**
   * What an earlier judgement of these same bytes learnt from them alone (a preview being
   * submitted): taken as it is, so neither the entries' data nor the hashes are read again.
   * Everything that can change meanwhile (roots, time, records) is judged afresh.
   */
  knownFacts?: PackageFacts;
}

/** What a judgement learns from the package's bytes alone, the steps that read every byte: the
 * same bytes judged again need not be read again. */
export interface PackageFacts {
  /** The entries' data as an extractor reads it (checkEntryContents). */
  entryDataIssues: Issue[];
  /** Hashes of the package as uploaded, as if unsigned. */
  uploadedHashes: UnsignedPackageHashes;
  /** Hashes of the package as judged: without other repositories' signatures. */
  judgedHashes: UnsignedPackageHashes;
}

export interface UploadJudgement {
  /** As written in the manifest; null when the manifest could not be read or the ID is invalid. */
  packageId: string | null;
  /** Normalised (SemVer 2.0, no build metadata); null when unknown or invalid. */
  version: string | null;
  /** As written in the manifest. */
  originalVersion: string | null;
  /** The parsed version behind `version`, for prerelease and SemVer 2.0 flags. */
  parsedVersion: NuGetVersion | null;
  metadata: NuspecMetadata | null;
  nuspecXml: string | null;
  /** The embedded readme's text, when the manifest names one and it could be read. */
  readme: string | null;
  signatureReport: SignatureReport | null;
  /** When the signature provably existed: its valid timestamp, else when the gallery received the file. */
  provenSigningTime: ProvenSigningTime;
  issues: Issue[];
  /** An owner-to-be owns a prefix reservation matching the ID (the checkmark). */
  verified: boolean;
  /** Whether no package with this ID exists yet; null when the ID is unknown. */
  isNewId: boolean | null;
  /** Whose registered certificate or signer identity lets the author signature through, and how it was proven. */
  signerAuthorization: SignerAuthorization | null;
  /** What the bytes alone said, for judging them again; null when the archive was refused before its signature was read. */
  facts: PackageFacts | null;
}

/** A judgement before the proven signing time is added to it (judgeUpload does, from the report). */
type ArchiveJudgement = Omit<UploadJudgement, "provenSigningTime">;

function refused(issues: Issue[], known: Partial<ArchiveJudgement> = {}): ArchiveJudgement {
  return {
    packageId: null,
    version: null,
    originalVersion: null,
    parsedVersion: null,
    metadata: null,
    nuspecXml: null,
    readme: null,
    signatureReport: null,
    verified: false,
    isNewId: null,
    signerAuthorization: null,
    facts: null,
    ...known,
    issues,
  };
}

/** The issue a failed read stands for: IssueErrors carry their own, a range past the end of
 * the file means the archive lies about its layout. Anything else is a real failure. */
function issueOf(failure: unknown): Issue {
  if (failure instanceof IssueError) return failure.toIssue();
  if (failure instanceof RangeError) return error("ZIP_INVALID", `The package cannot be read: ${failure.message}`);
  throw failure;
}

type Step<T> = { ok: true; value: T } | { ok: false; issue: Issue };

async function attempt<T>(read: () => Promise<T>): Promise<Step<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (failure) {
    return { ok: false, issue: issueOf(failure) };
  }
}

/** Refuses archives that would hurt whoever extracts them, from the central directory alone. */
export function checkArchiveShape(directory: CentralDirectory): ErrorIssue[] {
  const { entries } = directory;
  if (entries.length > MAX_PACKAGE_ENTRIES) {
    return [
      error(
        "PACKAGE_TOO_MANY_ENTRIES",
        `The package has ${entries.length.toLocaleString("en-US")} files; at most ${MAX_PACKAGE_ENTRIES.toLocaleString("en-US")} are allowed.`,
      ),
    ];
  }
  const declared = entries.reduce((total, entry) => total + entry.uncompressedSize, 0);
  if (declared > MAX_UNCOMPRESSED_BYTES) {
    return [
      error(
        "PACKAGE_UNCOMPRESSED_TOO_LARGE",
        `The package's files add up to ${formatSize(declared)} once extracted, more than the ${formatSize(MAX_UNCOMPRESSED_BYTES)} allowed; it looks like a zip bomb.`,
      ),
    ];
  }
  return [];
}

/**
 * Every entry's data read as an extractor reads it: a compression method NuGet cannot extract,
 * encryption, undecodable data, or a size or CRC-32 that differs from the header is refused
 * (dotnet restore would fail on it after the gallery published it). A few examples and a count.
 */
export async function checkEntryContents(source: ByteSource, directory: CentralDirectory): Promise<Issue[]> {
  const issues: Issue[] = [];
  let more = 0;
  for (const entry of directory.entries) {
    const problem = await attempt(() => checkEntryData(source, entry));
    const issue = problem.ok
      ? problem.value &&
        error(problem.value.code, `The zip entry ${describeEntryName(entry.name)} ${problem.value.detail}.`)
      : problem.issue;
    if (!issue) continue;
    if (issues.length < MAX_REPORTED_ENTRY_ISSUES) issues.push(issue);
    else more++;
  }
  if (more > 0) issues.push(error("ZIP_ENTRIES_DAMAGED", `${more} more zip entries cannot be extracted as stored.`));
  return issues;
}

interface Manifest {
  nuspecXml: string;
  metadata: NuspecMetadata;
}

/** Finds, inflates (capped), decodes and parses the manifest; keeps the XML when only parsing fails. */
async function readManifest(
  source: ByteSource,
  directory: CentralDirectory,
): Promise<{ manifest?: Manifest; nuspecXml?: string; issue?: Issue }> {
  const text = await attempt(() => readNuspecXml(source, directory));
  if (!text.ok) return { issue: text.issue };
  if (text.value.includes("\u0000")) {
    return {
      nuspecXml: text.value,
      issue: error(
        "NUSPEC_INVALID_XML",
        "The manifest contains a NUL character, which XML does not allow; save it as plain text and pack again.",
      ),
    };
  }
  try {
    return { manifest: { nuspecXml: text.value, metadata: parseNuspec(text.value) } };
  } catch (failure) {
    return { nuspecXml: text.value, issue: issueOf(failure) };
  }
}

function findEntry(directory: CentralDirectory, manifestPath: string): CentralDirectoryEntry | undefined {
  const wanted = manifestPath.replaceAll("\\", "/").replace(/^\/+/, "");
  return directory.entries.find((entry) => entry.name === wanted || percentDecoded(entry.name) === wanted);
}

/** The embedded readme as text (UTF-8, at most MAX_README_BYTES, declared or inflated). A
 * missing file or a wrong extension is checkEmbeddedFiles' issue, so neither adds one here. */
async function readReadme(
  source: ByteSource,
  directory: CentralDirectory,
  readmePath: string,
): Promise<{ readme: string | null; issues: Issue[] }> {
  const entry = findEntry(directory, readmePath);
  if (entry === undefined) return { readme: null, issues: [] };
  const bytes = await attempt(() => readEntryBytes(source, entry, MAX_README_BYTES));
  if (!bytes.ok) return { readme: null, issues: [bytes.issue] };
  try {
    const readme = new TextDecoder("utf-8", { fatal: true }).decode(bytes.value);
    if (readme.includes("\u0000")) {
      return {
        readme: null,
        issues: [
          error(
            "README_INVALID_ENCODING",
            `The readme '${readmePath}' contains NUL characters, so it is not text; save it as UTF-8 text and pack again.`,
          ),
        ],
      };
    }
    return { readme, issues: [] };
  } catch {
    return {
      readme: null,
      issues: [
        error(
          "README_INVALID_ENCODING",
          `The readme '${readmePath}' is not valid UTF-8 text; save it as UTF-8 and pack again.`,
        ),
      ],
    };
  }
}

interface ManifestVerdict {
  identity?: PackageIdentity;
  readme: string | null;
  issues: Issue[];
}

async function judgeManifest(
  source: ByteSource,
  directory: CentralDirectory,
  metadata: NuspecMetadata,
): Promise<ManifestVerdict> {
  const identity = checkPackageIdentity(metadata);
  const embedded = checkEmbeddedFiles(
    metadata,
    directory.entries.map((entry) => entry.name),
  );
  const readme =
    metadata.readme === undefined ? { readme: null, issues: [] } : await readReadme(source, directory, metadata.readme);
  return {
    ...(identity.identity ? { identity: identity.identity } : {}),
    readme: readme.readme,
    issues: [...identity.issues, ...checkMetadataFields(metadata), ...embedded, ...readme.issues],
  };
}

// ---- rules that need the gallery's records -------------------------------------------------

function duplicateVersionIssues(identity: PackageIdentity, records: PackageRecords): Issue[] {
  if (!records.registration?.versionExists) return [];
  return [duplicateVersionIssue(identity.id, normalizeVersion(identity.version))];
}

/** The one sentence for an ID+version that already exists, whether found here or by the database. */
export function duplicateVersionIssue(packageId: string, version: string): ErrorIssue {
  return error(
    "PACKAGE_VERSION_EXISTS",
    `A package with ID '${packageId}' and version '${version}' already exists and cannot be modified.`,
  );
}

/** What the signing rules need to know about the signature: its kind, and the author's signer as the engine read it. */
export function signatureFacts(report: SignatureReport, history: SignerHistory): SignatureFacts {
  const author = report.author;
  const signer = author?.signer;
  if (author && signer) {
    return {
      signatureKind: "author",
      signer: {
        fingerprint: signer.sha256Fingerprint,
        caFingerprints: (author.chain?.certificates ?? []).slice(1).map((certificate) => certificate.sha256Fingerprint),
        identity: author.signerIdentity ?? null,
        ...history,
      },
    };
  }
  return { signatureKind: report.repository ? "repository-only" : "unsigned" };
}

/** What the gallery has seen of the author's signer: its certificate, and the accounts' signer identities. */
async function signerHistory(
  gallery: JudgeRecords,
  report: SignatureReport,
  accounts: readonly SigningAccount[],
): Promise<SignerHistory> {
  const fingerprint = report.author?.signer?.sha256Fingerprint;
  if (!fingerprint) return { certificateFirstSeen: false, identitiesSeen: new Set() };
  const matchKeys = accounts.flatMap((account) =>
    account.signers.flatMap((signer) => (signer.kind === "identity" ? [identityMatchKey(signer.rule)] : [])),
  );
  return gallery.signerHistory(fingerprint, matchKeys);
}

async function signingRequirements(
  gallery: JudgeRecords,
  report: SignatureReport,
  owners: readonly SigningAccount[],
  requiredSigner: SigningAccount | undefined,
): Promise<{ issues: Issue[]; authorization: SignerAuthorization | null }> {
  // A signature too broken to name a signer has its own errors from the engine; "must be
  // signed" on top of them would tell the uploader something false.
  if (report.status === "invalid" && report.author === null && report.repository === null)
    return { issues: [], authorization: null };
  const history = await signerHistory(gallery, report, requiredSigner ? [requiredSigner] : owners);
  const input: SigningRequirementsInput = {
    owners,
    ...(requiredSigner ? { requiredSigner } : {}),
    ...signatureFacts(report, history),
  };
  return { issues: judgeSigningRequirements(input), authorization: authorizeSigner(input) };
}

async function compromisedCertificateIssues(
  records: JudgeRecords,
  report: SignatureReport,
  proven: ProvenSigningTime,
): Promise<Issue[]> {
  const signer = report.author?.signer;
  if (!signer) return [];
  const certificate = await records.certificateCompromise(signer.sha256Fingerprint);
  if (!certificate || !signedWhileCompromised(proven.time, certificate.compromisedAt)) return [];
  const reason = certificate.reason ? ` (${certificate.reason})` : "";
  const provenBy =
    proven.source === "TIMESTAMP"
      ? "by its timestamp"
      : "by its arrival here (its first timestamp, the one NuGet judges, is missing or not valid)";
  return [
    error(
      "CERTIFICATE_COMPROMISED",
      `The package is proven signed at ${fullUtc(proven.time)} ${provenBy} with certificate ${displayFingerprint(signer.sha256Fingerprint)}, which was marked compromised as of ${fullUtc(certificate.compromisedAt)}${reason}; packages it signed from then on are refused.`,
    ),
  ];
}

interface AccountVerdict {
  issues: Issue[];
  verified: boolean;
  isNewId: boolean;
  signerAuthorization: SignerAuthorization | null;
}

interface JudgingTimes {
  now: Date;
  receivedAt: Date;
}

async function judgeAccountRules(
  gallery: JudgeRecords,
  identity: PackageIdentity,
  upload: UploadToJudge,
  report: SignatureReport,
  { now, receivedAt }: JudgingTimes,
): Promise<AccountVerdict> {
  const records = await gallery.packageRecords(identity.id, normalizeVersion(identity.version), upload.uploaderId);
  const isNewId = records.registration === null;
  // A new ID will be owned by the pusher, so the rules judge it with the pusher as its owner.
  const owners = records.registration?.owners ?? [records.uploader];
  const ownerUserIds = owners.map((owner) => owner.userId);
  const requiredSigner = records.registration?.requiredSigner ?? undefined;
  const prefix = judgePrefixReservation({
    packageId: identity.id,
    isNewId,
    ownerUserIds,
    reservations: records.reservations,
  });
  const signing = await signingRequirements(gallery, report, owners, requiredSigner);
  const issues = [
    ...duplicateVersionIssues(identity, records),
    ...(upload.apiKey
      ? apiKeyAllows(upload.apiKey, { action: isNewId ? "push-new" : "push-version", packageId: identity.id, now })
      : []),
    ...checkPackageOwnership({ packageId: identity.id, isNewId, pusherUserId: upload.uploaderId, ownerUserIds }),
    ...prefix.issues,
    ...report.issues,
    ...signing.issues,
    ...checkAuthorTimestamp(report),
    ...(await compromisedCertificateIssues(gallery, report, provenSigningTime(report, receivedAt))),
  ];
  return { issues, verified: prefix.verified, isNewId, signerAuthorization: signing.authorization };
}

// ---- repository signatures ----------------------------------------------------------------

/**
 * The signature verdict on the package as the gallery will publish it. A repository signature
 * the upload carries (another repository's, or an earlier copy of this gallery's) is not kept,
 * as on nuget.org: it vouches for where the package was, not for this upload, and NuGet allows
 * only one. So it is taken off before judging: a repository countersignature leaves the author
 * signature, judged alone; a repository primary signature leaves an unsigned package, judged as
 * unsigned. The uploader is told with a warning, and publishing adds the gallery's own. An
 * author-typed countersignature is refused first, on the package as uploaded (nuget.org's order).
 */
export interface SignaturesVerdict {
  report: SignatureReport;
  issues: Issue[];
  uploadedHashes: UnsignedPackageHashes;
  judgedHashes: UnsignedPackageHashes;
}

export async function judgeSignatures(
  source: ByteSource,
  trust: TrustStore,
  now: Date,
  known?: Pick<PackageFacts, "uploadedHashes" | "judgedHashes">,
): Promise<SignaturesVerdict> {
  const verified = await verifyPackage(source, {
    trust,
    now,
    includeContentHash: true,
    ...(known ? { knownHashes: known.uploadedHashes } : {}),
  });
  const uploaded = verified.report;
  const uploadedHashes = verified.unsignedPackageHashes;
  const countersignatureIssues = checkAuthorCountersignatures(uploaded);
  const carried = uploaded.repository;
  if (!carried)
    return { report: uploaded, issues: countersignatureIssues, uploadedHashes, judgedHashes: uploadedHashes };
  let stripped: Awaited<ReturnType<typeof withoutRepositorySignatures>>;
  try {
    stripped = await withoutRepositorySignatures(source, now);
  } catch (failure) {
    return {
      report: uploaded,
      issues: [...countersignatureIssues, issueOf(failure)],
      uploadedHashes,
      judgedHashes: uploadedHashes,
    };
  }
  const judged = await verifyPackage(stripped.package, {
    trust,
    now,
    includeContentHash: true,
    ...(known ? { knownHashes: known.judgedHashes } : {}),
  });
  const report = judged.report;
  const from = carried.serviceIndexUrl ? `from ${carried.serviceIndexUrl}` : "without a service index URL";
  const signer = carried.signer ? `, signed by ${formatDistinguishedName(carried.signer.subject)}` : "";
  const verdict = carried.valid ? "" : " (it did not verify)";
  const what = stripped.removed === "primary" ? "repository primary signature" : "repository countersignature";
  return {
    report,
    uploadedHashes,
    judgedHashes: judged.unsignedPackageHashes,
    issues: [
      ...countersignatureIssues,
      warning(
        "REPOSITORY_SIGNATURE_REPLACED",
        `The package carried a ${what} ${from}${signer}${verdict}. The gallery does not keep other repositories' signatures: it was removed, ${stripped.removed === "primary" ? "the package is judged as unsigned, " : ""}and the gallery adds its own repository signature when it publishes.`,
      ),
    ],
  };
}

// ---- the pipeline --------------------------------------------------------------------------

async function judgeArchive(
  gallery: JudgeRecords,
  source: ByteSource,
  upload: UploadToJudge,
  times: JudgingTimes,
): Promise<ArchiveJudgement> {
  const { now } = times;
  const directory = await attempt(() => readCentralDirectory(source));
  if (!directory.ok) return refused([directory.issue]);
  const shape = checkArchiveShape(directory.value);
  if (shape.length > 0) return refused(shape);
  // Reading every entry runs beside the manifest and signature checks, which read the same bytes;
  // bytes judged before were read then.
  const contents = upload.knownFacts
    ? Promise.resolve(upload.knownFacts.entryDataIssues)
    : checkEntryContents(source, directory.value);
  const nameIssues = checkEntryNames(directory.value.entries.map((entry) => entry.name));
  const { manifest, nuspecXml, issue } = await readManifest(source, directory.value);
  if (!manifest) return refused([...nameIssues, ...(await contents), issue as Issue], { nuspecXml: nuspecXml ?? null });

  const manifestVerdict = await judgeManifest(source, directory.value, manifest.metadata);
  const [signatures, contentIssues] = await Promise.all([
    judgeSignatures(source, upload.trust, now, upload.knownFacts),
    contents,
  ]);
  const report = signatures.report;
  const entryIssues = [...nameIssues, ...contentIssues];
  const known = {
    facts: {
      entryDataIssues: contentIssues,
      uploadedHashes: signatures.uploadedHashes,
      judgedHashes: signatures.judgedHashes,
    },
    metadata: manifest.metadata,
    nuspecXml: manifest.nuspecXml,
    readme: manifestVerdict.readme,
    originalVersion: manifest.metadata.version ?? null,
    signatureReport: report,
  };
  const { identity } = manifestVerdict;
  // Without a valid ID and version there is no package to own, reserve or sign for.
  if (!identity)
    return refused([...entryIssues, ...manifestVerdict.issues, ...signatures.issues, ...report.issues], known);

  const accounts = await judgeAccountRules(gallery, identity, upload, report, times);
  return {
    ...known,
    packageId: identity.id,
    version: normalizeVersion(identity.version),
    parsedVersion: identity.version,
    issues: [...entryIssues, ...manifestVerdict.issues, ...signatures.issues, ...accounts.issues],
    verified: accounts.verified,
    isNewId: accounts.isNewId,
    signerAuthorization: accounts.signerAuthorization,
  };
}

/** Judges the package in `upload.source` against every upload rule, reading the gallery's
 * records through `gallery` only. Bad package bytes never throw: they become issues. Only
 * failures of the storage or of the records do. */
export async function judgeUpload(gallery: JudgeRecords, upload: UploadToJudge): Promise<UploadJudgement> {
  const now = upload.now ?? new Date();
  const receivedAt = upload.receivedAt ?? now;
  const judgement = await judgeFile(gallery, upload, { now, receivedAt });
  return { ...judgement, provenSigningTime: provenSigningTime(judgement.signatureReport, receivedAt) };
}

async function judgeFile(gallery: JudgeRecords, upload: UploadToJudge, times: JudgingTimes): Promise<ArchiveJudgement> {
  const sizeIssues = checkPackageSize(upload.source.size, upload.maxBytes);
  if (sizeIssues.length > 0) return refused(sizeIssues);
  return judgeArchive(gallery, upload.source, upload, times);
}
