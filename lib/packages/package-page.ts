// Everything /packages/<id> and /packages/<id>/<version> show. Read fresh on every request, in
// three small queries (page-queries.ts): the version list with signing and compromise facts,
// the owners with the certificates they registered, and the reservations that could match the
// ID; plus which dependencies the gallery has; and what was fixed at publish time (manifest fields,
// readme, the signer panel built from the stored report: never from parsing certificates). Nothing
// is kept here: anonymous readers get the rendered page from the one page cache
// (lib/http/page-cache.ts), which re-reads this only when something the page shows has changed.

import type { Db } from "@/lib/db";
import { packageMappingPatterns } from "@/lib/nuget-client/client-config";
import { IssueError } from "@/lib/issues";
import { checkPackageId } from "@/lib/validation/rules/package-identity";
import { isWebUrl } from "@/lib/validation/rules/metadata-fields";
import { normalizeVersion, parseVersion } from "@/lib/versioning/version";
import {
  dependencyGroupViews,
  dependencyIdsLower,
  readDependencyGroups,
  type DependencyGroupView,
  type StoredDependencyGroups,
} from "./dependencies";
import { latestListedVersion, sortByVersionDescending } from "./latest-version";
import type { SignatureReport } from "@/lib/signing/report";
import { parseStoredReport } from "./signature-summary";
import type { ProvenSigningTime } from "@/lib/validation/proven-signing-time";
import { signerDetails, type SignerDetails } from "./signer-details";
import { signerProof, type SignerProofView } from "./signer-proof";
import { provenanceView, type ProvenanceView } from "@/lib/trusted-publishing/provenance";
import { signingState, type SigningState } from "./signing-state";
import {
  readGalleryIds,
  readApproval,
  readOwners,
  readReservationsFor,
  readVersionDetails,
  readVersionList,
  type VersionDetailsRow,
  type VersionListRow,
} from "./page-queries";
import { verifyPackageId, type Verification } from "./verification";
import { continuityView, versionTrust, type ContinuityView } from "./version-trust";
import { downloadRollUpSeconds, publicUrl, repositoryServiceIndexUrl } from "@/lib/config";
import { galleryFeedAt, selectTrustedSigners, type GalleryFeed } from "@/lib/policy/trust-selection";
import { verdictContext, versionVerdicts, type ModeVerdict } from "@/lib/policy/verdicts";
import { parseNuspec } from "@/lib/nuspec/parse-nuspec";
import { signatureVerdict, type ApprovedException, type SignatureVerdict } from "./signature-verdict";
import { readDeprecation, type Deprecation } from "./deprecation";
import { readPackageDownloads, type DayDownloads } from "./download-counts";

/** Where a version came from, for the top of its page (npm-style provenance at a glance). */
export interface VersionOrigin {
  /** The manifest's <repository url> (http(s) only) and commit, as the author declared them. */
  sourceUrl: string | null;
  commit: string | null;
  /** The author signer's name (CN first), when signed by an author. */
  signer: string | null;
  /** The repository that countersigned (or repository-signed) the file: its service index URL, else its certificate's name. */
  countersignedBy: string | null;
}

export interface VersionRow {
  version: string;
  listed: boolean;
  publishedAt: Date;
  signing: SigningState;
  /** The version this page shows. */
  current: boolean;
  /** As of the last download roll-up. */
  downloads: number;
}

/** The readme as the page shows it: the sanitised HTML rendered at publish, or, for a version
 * published before that whose HTML db:migrate has not yet rendered, its text as plain text. */
export type ReadmeContent = { html: string } | { text: string };

/** The manifest fields as stored, except: URLs only when http(s) (anything else is left out),
 * tags split into words, and the readme as the page shows it. */
export interface PackageMetadata extends Pick<
  VersionDetailsRow,
  | "title"
  | "summary"
  | "description"
  | "authors"
  | "copyright"
  | "licenseExpression"
  | "licenseUrl"
  | "projectUrl"
  | "releaseNotes"
  | "requireLicenseAcceptance"
> {
  tags: string[];
  readme: ReadmeContent | null;
}

export interface PackagePage {
  packageId: string;
  version: string;
  listed: boolean;
  /** True when this is the version /packages/<id> shows. */
  isLatest: boolean;
  publishedAt: Date;
  packageSize: number;
  /** Base64 SHA-512 of the file served (with the gallery's repository signature). */
  sha512: string;
  /** Base64 SHA-512 of the file as the author uploaded it. */
  uploadedSha512: string;
  /** The publication log entry recording this version's publication (null only before db:migrate logged older versions). */
  logIndex: number | null;
  metadata: PackageMetadata;
  owners: string[];
  verification: Verification;
  signing: SigningState;
  /** The page's one verdict about the signature (signature-verdict.ts). */
  verdict: SignatureVerdict;
  /** Set when an administrator published this version although the rules refused it. */
  approvedException: ApprovedException | null;
  origin: VersionOrigin;
  /** Set when the owners deprecated this version (read fresh: owners change it at any time). */
  deprecation: Deprecation | null;
  /** Null for unsigned versions. */
  signer: SignerDetails | null;
  /** Whose proven registration let the author signer through, and whether it was the uploader's; null for versions without an author signature. */
  signerProof: SignerProofView | null;
  /** How the version was built and published, when it came through trusted publishing. */
  provenance: ProvenanceView | null;
  /** When this version's signature provably existed; compromise marks are judged against it. */
  provenSigningTime: ProvenSigningTime;
  /** Owners of this package who registered the author signer certificate. */
  certificateRegisteredBy: string[];
  compromisedReason: string | null;
  dependencyGroups: DependencyGroupView[];
  /** What NuGet would do with this version under each consumer policy, and why. */
  verdicts: ModeVerdict[];
  /** How the author signer compares with the version published before this one. */
  continuity: ContinuityView;
  versions: VersionRow[];
  /** The <packageSourceMapping> patterns that keep this ID on this gallery: the reservations covering it, else the ID. */
  mappingPatterns: string[];
  downloadUrl: string;
  /** The package's downloads, as of the last roll-up. */
  downloads: { total: number; perDay: DayDownloads[]; rollUpSeconds: number };
}

/** The normalised version for a URL's version segment; null when it is not a NuGet version. */
function versionFromUrl(text: string): string | null {
  try {
    return normalizeVersion(parseVersion(text)).toLowerCase();
  } catch (failure) {
    if (failure instanceof IssueError) return null;
    throw failure;
  }
}

/** What a version shows that was fixed when it was published: its manifest, file and signature report. */
interface VersionContent {
  metadata: PackageMetadata;
  report: SignatureReport | null;
  signer: SignerDetails | null;
  signerProof: SignerProofView;
  provenance: ProvenanceView | null;
  dependencyGroups: StoredDependencyGroups;
  packageSize: number;
  sha512: string;
  uploadedSha512: string;
  logIndex: number | null;
  approvedException: ApprovedException | null;
  source: { url: string | null; commit: string | null };
}

/** The manifest's <repository>: a web URL and a commit (hex, as Git and others write it), else nothing. */
function sourceOf(nuspecXml: string): VersionContent["source"] {
  try {
    const repository = parseNuspec(nuspecXml).repository;
    const commit = repository?.commit && /^[0-9a-f]{7,64}$/i.test(repository.commit) ? repository.commit : null;
    return { url: webUrlOrNull(repository?.url ?? null), commit };
  } catch (failure) {
    // A manifest the gallery once accepted but cannot read now (the parser grew stricter): no provenance, not a broken page.
    if (failure instanceof IssueError) return { url: null, commit: null };
    throw failure;
  }
}

async function versionContent(db: Db, version: VersionListRow): Promise<VersionContent | null> {
  const [details, approval] = await Promise.all([readVersionDetails(db, version.id), readApproval(db, version.id)]);
  if (!details) return null;
  // Without a readable report the signing state still comes from the stored status; only the panel is lost.
  const report = parseStoredReport(details.signatureReport);
  const content: VersionContent = {
    metadata: metadataOf(details),
    report,
    signer: report ? signerDetails(report) : null,
    signerProof: signerProof(details.signerAuthorization, details.publisherUsername),
    provenance: provenanceView(details.provenance),
    dependencyGroups: readDependencyGroups(details.dependencyGroups),
    packageSize: details.packageSize,
    sha512: details.sha512,
    // Versions not published through the upload path were served as stored.
    uploadedSha512: details.uploadedSha512 ?? details.sha512,
    logIndex: details.logIndex === null ? null : Number(details.logIndex),
    approvedException: approval,
    source: sourceOf(details.nuspecXml),
  };
  return content;
}

function webUrlOrNull(url: string | null): string | null {
  return url !== null && isWebUrl(url) ? url : null;
}

// Never rendered here: a page request must not pay for (possibly hostile) Markdown.
function readmeContent(details: VersionDetailsRow): ReadmeContent | null {
  if (details.readmeHtml !== null) return { html: details.readmeHtml };
  return details.unrenderedReadme ? { text: details.unrenderedReadme } : null;
}

function metadataOf(details: VersionDetailsRow): PackageMetadata {
  return {
    title: details.title,
    summary: details.summary,
    description: details.description,
    authors: details.authors,
    copyright: details.copyright,
    licenseExpression: details.licenseExpression,
    licenseUrl: webUrlOrNull(details.licenseUrl),
    projectUrl: webUrlOrNull(details.projectUrl),
    tags: details.tags?.split(/[\s,;]+/).filter((tag) => tag !== "") ?? [],
    releaseNotes: details.releaseNotes,
    readme: readmeContent(details),
    requireLicenseAcceptance: details.requireLicenseAcceptance,
  };
}

/** Where "push" serves the file: NuGet's flat-container layout, all lower case. */
export function downloadUrl(packageId: string, version: string): string {
  const id = encodeURIComponent(packageId.toLowerCase());
  const lower = encodeURIComponent(version.toLowerCase());
  return `/v3-flatcontainer/${id}/${lower}/${id}.${lower}.nupkg`;
}

/**
 * The page for a package (its latest listed version) or one of its versions; null when the ID
 * or version is not in the gallery, or is not even a valid NuGet ID or version.
 */
export async function loadPackagePage(
  db: Db,
  idFromUrl: string,
  versionFromUrlText?: string,
  {
    feed = galleryFeedAt(publicUrl(), repositoryServiceIndexUrl()),
    now = new Date(),
  }: { feed?: GalleryFeed; now?: Date } = {},
): Promise<PackagePage | null> {
  if (checkPackageId(idFromUrl).length > 0) return null;
  const wantedVersion = versionFromUrlText === undefined ? undefined : versionFromUrl(versionFromUrlText);
  if (wantedVersion === null) return null;
  const packageIdLower = idFromUrl.toLowerCase();
  const [versions, owners, reservations] = await Promise.all([
    readVersionList(db, packageIdLower),
    readOwners(db, packageIdLower),
    readReservationsFor(db, packageIdLower),
  ]);
  const latest = latestListedVersion(versions) ?? sortByVersionDescending(versions)[0];
  const shown =
    wantedVersion === undefined ? latest : versions.find((version) => version.versionLower === wantedVersion);
  if (!shown || !latest) return null;

  const content = await versionContent(db, shown);
  if (!content) return null;
  const [galleryIds, deprecation, downloads] = await Promise.all([
    readGalleryIds(db, dependencyIdsLower(content.dependencyGroups)),
    readDeprecation(db, shown.id),
    readPackageDownloads(db, shown.registrationId, now),
  ]);
  const stateOf = (version: VersionListRow) =>
    signingState({
      signatureStatus: version.signatureStatus,
      signer:
        version.signerCertificateId === null
          ? null
          : { subject: version.signerSubject, compromisedAt: version.compromisedAt },
      provenSigningTime: version.provenSigningTime,
      provenSigningTimeSource: version.provenSigningTimeSource,
    });
  const signing = stateOf(shown);
  const signerCertificateId = shown.signerCertificateId;
  const certificateRegisteredBy =
    signerCertificateId === null
      ? []
      : owners.filter((owner) => owner.certificateIds.includes(signerCertificateId)).map((owner) => owner.username);
  const trust = versionTrust({
    packageId: shown.packageId,
    version: shown.version,
    report: content.report,
    signing,
    signerRegistered: certificateRegisteredBy.length > 0,
  });
  // An author-unsigned package shows its panel only for the repository signature it carries.
  const signer = signing.kind === "unsigned" && !content.signer?.repository ? null : content.signer;
  const repository = content.signer?.repository ?? null;

  return {
    packageId: shown.packageId,
    version: shown.version,
    listed: shown.listed,
    isLatest: shown.id === latest.id,
    publishedAt: shown.publishedAt,
    packageSize: content.packageSize,
    sha512: content.sha512,
    uploadedSha512: content.uploadedSha512,
    logIndex: content.logIndex,
    metadata: content.metadata,
    owners: owners.map((owner) => owner.username),
    verification: verifyPackageId(shown.packageId, owners, reservations),
    signing,
    verdict: signatureVerdict(signing, signer),
    approvedException: content.approvedException,
    deprecation,
    origin: {
      sourceUrl: content.source.url,
      commit: content.source.commit,
      signer: content.signer?.author?.kind === "author" ? (content.signer.author.signer?.name ?? null) : null,
      countersignedBy: repository?.valid ? (repository.serviceIndexUrl ?? repository.signer?.name ?? null) : null,
    },
    signer,
    signerProof: shown.signerCertificateId === null ? null : content.signerProof,
    provenance: content.provenance,
    provenSigningTime: { time: shown.provenSigningTime, source: shown.provenSigningTimeSource },
    certificateRegisteredBy,
    compromisedReason: shown.compromisedReason,
    dependencyGroups: dependencyGroupViews(content.dependencyGroups, galleryIds),
    verdicts: versionVerdicts(trust, verdictContext(feed, selectTrustedSigners([trust], feed).signers, now)),
    continuity: continuityView(shown.signerContinuity, shown.signerPreviousVersion),
    versions: sortByVersionDescending(versions.filter((version) => version.listed || version.id === shown.id)).map(
      (version) => ({
        version: version.version,
        listed: version.listed,
        publishedAt: version.publishedAt,
        signing: stateOf(version),
        current: version.id === shown.id,
        downloads: downloads.perVersion.get(version.id) ?? 0,
      }),
    ),
    mappingPatterns: packageMappingPatterns(shown.packageId, reservations),
    downloadUrl: downloadUrl(shown.packageId, shown.version),
    downloads: { total: downloads.total, perDay: downloads.perDay, rollUpSeconds: downloadRollUpSeconds() },
  };
}
