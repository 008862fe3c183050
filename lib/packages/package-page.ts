// Everything /packages/<id> and /packages/<id>/<version> show, from a few small queries
// (page-queries.ts): the version list with signing facts, the owners, the reservations that
// could match the ID, the shown version's details, who registered its signer certificate, and
// which dependencies the gallery has. Signer details come from the stored report (never from
// parsing certificates) and are cached per version while the stored text is unchanged; whether
// the certificate is compromised is read fresh on every request.

import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import type { SignatureReport } from "@/lib/signing/report";
import { checkPackageId } from "@/lib/validation/rules/package-identity";
import { isWebUrl } from "@/lib/validation/rules/metadata-fields";
import { normalizeVersion, parseVersion } from "@/lib/versioning/version";
import { dependencyGroupViews, dependencyIdsLower, readDependencyGroups, type DependencyGroupView } from "./dependencies";
import { latestListedVersion, sortByVersionDescending } from "./latest-version";
import { parseReadme, type Block } from "./readme";
import { signerDetails, type SignerDetails } from "./signer-details";
import { signingState, type SigningState } from "./signing-state";
import {
  readGalleryIds,
  readOwners,
  readRegistrarIds,
  readReservationsFor,
  readVersionDetails,
  readVersionList,
  type VersionDetailsRow,
  type VersionListRow,
} from "./page-queries";
import { verifyPackageId, type Verification } from "./verification";

export interface VersionRow {
  version: string;
  listed: boolean;
  publishedAt: Date;
  signing: SigningState;
  /** The version this page shows. */
  current: boolean;
}

export interface PackageMetadata {
  title: string | null;
  summary: string | null;
  description: string;
  authors: string;
  copyright: string | null;
  licenseExpression: string | null;
  /** Only http(s) addresses become links; anything else is left out. */
  licenseUrl: string | null;
  projectUrl: string | null;
  tags: string[];
  releaseNotes: string | null;
  readme: Block[] | null;
  requireLicenseAcceptance: boolean;
}

export interface PackagePage {
  packageId: string;
  version: string;
  listed: boolean;
  /** True when this is the version /packages/<id> shows. */
  isLatest: boolean;
  publishedAt: Date;
  packageSize: number;
  sha512: string;
  metadata: PackageMetadata;
  owners: string[];
  verification: Verification;
  signing: SigningState;
  /** Null for unsigned versions. */
  signer: SignerDetails | null;
  /** Owners of this package who registered the author signer certificate. */
  certificateRegisteredBy: string[];
  compromisedReason: string | null;
  dependencyGroups: DependencyGroupView[];
  versions: VersionRow[];
  install: { dotnetCli: string; packageReference: string };
  downloadUrl: string;
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

const SIGNER_CACHE_LIMIT = 1000;
const signerCache = new Map<string, { json: string; details: SignerDetails }>();

/** The panel for a stored report, reused while the stored JSON is the same text. */
function cachedSignerDetails(versionId: string, json: string | null): SignerDetails | null {
  if (json === null) return null;
  const cached = signerCache.get(versionId);
  if (cached?.json === json) return cached.details;
  let report: SignatureReport;
  try {
    report = JSON.parse(json) as SignatureReport;
  } catch {
    // The signing state still comes from the stored status; only the panel is lost.
    return null;
  }
  const details = signerDetails(report);
  if (signerCache.size >= SIGNER_CACHE_LIMIT) {
    const oldest = signerCache.keys().next().value;
    if (oldest !== undefined) signerCache.delete(oldest);
  }
  signerCache.set(versionId, { json, details });
  return details;
}

function webUrlOrNull(url: string | null): string | null {
  return url !== null && isWebUrl(url) ? url : null;
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
    readme: details.readme ? parseReadme(details.readme) : null,
    requireLicenseAcceptance: details.requireLicenseAcceptance,
  };
}

export function installSnippets(packageId: string, version: string): PackagePage["install"] {
  return {
    dotnetCli: `dotnet add package ${packageId} --version ${version}`,
    packageReference: `<PackageReference Include="${packageId}" Version="${version}" />`,
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
export async function loadPackagePage(db: Db, idFromUrl: string, versionFromUrlText?: string): Promise<PackagePage | null> {
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
  const shown = wantedVersion === undefined ? latest : versions.find((version) => version.versionLower === wantedVersion);
  if (!shown || !latest) return null;

  const [details, registrarIds] = await Promise.all([readVersionDetails(db, shown.id), readRegistrarIds(db, shown.signerCertificateId)]);
  if (!details) return null;
  const storedGroups = readDependencyGroups(details.dependencyGroups);
  const galleryIds = await readGalleryIds(db, dependencyIdsLower(storedGroups));
  const stateOf = (version: VersionListRow) =>
    signingState({
      signatureStatus: version.signatureStatus,
      signer: version.signerCertificateId === null ? null : { subject: version.signerSubject, compromisedAt: version.compromisedAt },
      signedAt: version.signedAt,
    });
  const signing = stateOf(shown);

  return {
    packageId: shown.packageId,
    version: shown.version,
    listed: shown.listed,
    isLatest: shown.id === latest.id,
    publishedAt: shown.publishedAt,
    packageSize: details.packageSize,
    sha512: details.sha512,
    metadata: metadataOf(details),
    owners: owners.map((owner) => owner.username),
    verification: verifyPackageId(shown.packageId, owners, reservations),
    signing,
    // An unsigned package's report says only that: there is nothing to show below the badge.
    signer: signing.kind === "unsigned" ? null : cachedSignerDetails(shown.id, details.signatureReport),
    certificateRegisteredBy: owners.filter((owner) => registrarIds.has(owner.id)).map((owner) => owner.username),
    compromisedReason: details.compromisedReason,
    dependencyGroups: dependencyGroupViews(storedGroups, galleryIds),
    versions: sortByVersionDescending(versions.filter((version) => version.listed || version.id === shown.id)).map((version) => ({
      version: version.version,
      listed: version.listed,
      publishedAt: version.publishedAt,
      signing: stateOf(version),
      current: version.id === shown.id,
    })),
    install: installSnippets(shown.packageId, shown.version),
    downloadUrl: downloadUrl(shown.packageId, shown.version),
  };
}
