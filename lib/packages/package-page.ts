// Everything /packages/<id> and /packages/<id>/<version> show, read in four small queries: the
// registration with its owners and version list, the shown version's details with its signer
// certificate, the reservations that could match the ID, and which dependencies the gallery
// has. Signer details come from the stored report (never from parsing certificates), and are
// cached per version because a stored report never changes; whether the certificate is
// compromised is read fresh on every request.

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
import { signingState, type SignatureStatus, type SigningState } from "./signing-state";
import { verifyPackageId, type AccountRef, type ReservationWithOwners, type Verification } from "./verification";

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

/** Every prefix of the ID: the only patterns a reservation matching it can have. */
function candidatePatterns(packageIdLower: string): string[] {
  return Array.from(packageIdLower, (_, index) => packageIdLower.slice(0, index + 1));
}

async function loadReservationsFor(db: Db, packageIdLower: string): Promise<ReservationWithOwners[]> {
  const rows = await db.prefixReservation.findMany({
    where: { patternLower: { in: candidatePatterns(packageIdLower) } },
    select: { pattern: true, isPrefix: true, isPublic: true, owners: { select: { user: { select: { id: true, username: true } } } } },
  });
  return rows.map((row) => ({ ...row, owners: row.owners.map((owner) => owner.user) }));
}

async function loadRegistration(db: Db, packageIdLower: string) {
  return db.packageRegistration.findUnique({
    where: { packageIdLower },
    select: {
      packageId: true,
      owners: { orderBy: { createdAt: "asc" }, select: { user: { select: { id: true, username: true } } } },
      versions: {
        select: {
          id: true,
          version: true,
          versionLower: true,
          listed: true,
          publishedAt: true,
          signatureStatus: true,
          signedAt: true,
          signerCertificate: { select: { subject: true, compromisedAt: true } },
        },
      },
    },
  });
}

async function loadVersionDetails(db: Db, versionId: string) {
  return db.packageVersion.findUniqueOrThrow({
    where: { id: versionId },
    select: {
      id: true,
      title: true,
      summary: true,
      description: true,
      authors: true,
      copyright: true,
      licenseExpression: true,
      licenseUrl: true,
      projectUrl: true,
      tags: true,
      releaseNotes: true,
      readme: true,
      requireLicenseAcceptance: true,
      dependencyGroups: true,
      packageSize: true,
      sha512: true,
      signatureReport: true,
      signerCertificate: { select: { compromisedReason: true, registrations: { select: { userId: true } } } },
    },
  });
}

type VersionDetails = Awaited<ReturnType<typeof loadVersionDetails>>;

async function loadGalleryIds(db: Db, idsLower: string[]): Promise<Map<string, string>> {
  if (idsLower.length === 0) return new Map();
  const rows = await db.packageRegistration.findMany({ where: { packageIdLower: { in: idsLower } }, select: { packageId: true, packageIdLower: true } });
  return new Map(rows.map((row) => [row.packageIdLower, row.packageId]));
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

function metadataOf(details: VersionDetails): PackageMetadata {
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
  const [registration, reservations] = await Promise.all([loadRegistration(db, packageIdLower), loadReservationsFor(db, packageIdLower)]);
  if (!registration) return null;
  const latest = latestListedVersion(registration.versions) ?? sortByVersionDescending(registration.versions)[0];
  const shown = wantedVersion === undefined ? latest : registration.versions.find((version) => version.versionLower === wantedVersion);
  if (!shown || !latest) return null;

  const details = await loadVersionDetails(db, shown.id);
  const storedGroups = readDependencyGroups(details.dependencyGroups);
  const galleryIds = await loadGalleryIds(db, dependencyIdsLower(storedGroups));
  const owners: AccountRef[] = registration.owners.map((owner) => owner.user);
  const registrarIds = new Set(details.signerCertificate?.registrations.map((registration) => registration.userId) ?? []);
  const stateOf = (version: (typeof registration.versions)[number]) =>
    signingState({ signatureStatus: version.signatureStatus as SignatureStatus, signer: version.signerCertificate, signedAt: version.signedAt });

  return {
    packageId: registration.packageId,
    version: shown.version,
    listed: shown.listed,
    isLatest: shown.id === latest.id,
    publishedAt: shown.publishedAt,
    packageSize: details.packageSize,
    sha512: details.sha512,
    metadata: metadataOf(details),
    owners: owners.map((owner) => owner.username),
    verification: verifyPackageId(registration.packageId, owners, reservations),
    signing: stateOf(shown),
    signer: cachedSignerDetails(details.id, details.signatureReport),
    certificateRegisteredBy: owners.filter((owner) => registrarIds.has(owner.id)).map((owner) => owner.username),
    compromisedReason: details.signerCertificate?.compromisedReason ?? null,
    dependencyGroups: dependencyGroupViews(storedGroups, galleryIds),
    versions: sortByVersionDescending(registration.versions.filter((version) => version.listed || version.id === shown.id)).map((version) => ({
      version: version.version,
      listed: version.listed,
      publishedAt: version.publishedAt,
      signing: stateOf(version),
      current: version.id === shown.id,
    })),
    install: installSnippets(registration.packageId, shown.version),
    downloadUrl: downloadUrl(registration.packageId, shown.version),
  };
}
