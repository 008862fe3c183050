// Package metadata (RegistrationsBaseUrl): a package's registration index, its pages and its
// leaves, in the shape NuGet clients deserialise (NuGet.Protocol's RegistrationIndex,
// RegistrationPage, RegistrationLeafItem and PackageSearchMetadataRegistration). This is what
// `dotnet add package` without a version and Visual Studio read to learn a package's versions,
// which are listed, and each version's dependencies.
//
// As on nuget.org: every version is present, unlisted ones with `listed: false` and a
// `published` date in 1900 (older clients read unlisting from that date); the plain and /3.4.0
// hives leave out SemVer 2 versions; below 128 versions every leaf is inlined in the index,
// from 128 on the index links pages of 64 leaves each by URL, with their lower and upper bounds.
// Each leaf also carries the version's signing state as `signet:signature` (docs/feed.md).

import { deprecationOf, registrationDeprecation } from "@/lib/packages/deprecation";
import type { Db } from "@/lib/db";
import { readDependencyGroups } from "@/lib/packages/dependencies";
import { parseStoredReport, signatureSummary } from "@/lib/packages/signature-summary";
import type { SignatureStatus } from "@/lib/packages/signing-state";
import { isWebUrl } from "@/lib/validation/rules/metadata-fields";
import { compareVersions, fullVersionString, normalizeVersion, parseVersion } from "@/lib/versioning/version";
import type { FeedUrls, RegistrationHive } from "@/lib/nuget-client/urls";

/** nuget.org's heuristic: inline every leaf below this many versions. */
export const INLINE_VERSION_LIMIT = 128;
/** Leaves per page when the index links its pages. */
export const REGISTRATION_PAGE_SIZE = 64;
/** The `published` date nuget.org gives unlisted versions. */
export const UNLISTED_PUBLISHED = "1900-01-01T00:00:00.000Z";
/** The namespaced property this gallery adds to leaves and search results. */
export const SIGNATURE_PROPERTY = "signet:signature";

interface VersionEntry {
  id: string;
  /** Normalised, as stored. */
  version: string;
}

interface RegistrationVersions {
  packageId: string;
  /** The versions the hive holds, oldest first. */
  versions: VersionEntry[];
}

async function readVersions(db: Db, hive: RegistrationHive, packageId: string): Promise<RegistrationVersions | null> {
  const registration = await db.packageRegistration.findUnique({
    where: { packageIdLower: packageId.toLowerCase() },
    select: {
      packageId: true,
      versions: { where: hive.semVer2 ? {} : { isSemVer2: false }, select: { id: true, version: true } },
    },
  });
  if (!registration || registration.versions.length === 0) return null;
  const versions = registration.versions
    .map((entry) => ({ entry, parsed: parseVersion(entry.version) }))
    .sort((a, b) => compareVersions(a.parsed, b.parsed))
    .map(({ entry }) => entry);
  return { packageId: registration.packageId, versions };
}

const LEAF_SELECT = {
  id: true,
  version: true,
  originalVersion: true,
  listed: true,
  publishedAt: true,
  title: true,
  description: true,
  summary: true,
  authors: true,
  tags: true,
  iconUrl: true,
  licenseUrl: true,
  licenseExpression: true,
  projectUrl: true,
  requireLicenseAcceptance: true,
  minClientVersion: true,
  dependencyGroups: true,
  signatureStatus: true,
  provenSigningTime: true,
  provenSigningTimeSource: true,
  signatureReport: true,
  sha512: true,
  uploadedSha512: true,
  signerCertificate: { select: { subject: true, sha256Fingerprint: true, compromisedAt: true } },
  deprecation: { select: { reasons: true, message: true, alternatePackageId: true, alternateRange: true } },
} as const;

type LeafRow = Awaited<ReturnType<typeof readLeafRows>>[number];

function readLeafRows(db: Db, versionIds: string[]) {
  return db.packageVersion.findMany({ where: { id: { in: versionIds } }, select: LEAF_SELECT });
}

/** The rows of these versions, in the order given. */
async function readLeaves(db: Db, versions: readonly VersionEntry[]): Promise<LeafRow[]> {
  const rows = await readLeafRows(
    db,
    versions.map((entry) => entry.id),
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return versions.flatMap((entry) => byId.get(entry.id) ?? []);
}

/** The versions in pages: one page below INLINE_VERSION_LIMIT, else pages of REGISTRATION_PAGE_SIZE. */
export function paginate<T>(versions: readonly T[]): T[][] {
  if (versions.length < INLINE_VERSION_LIMIT) return [versions.slice()];
  return Array.from({ length: Math.ceil(versions.length / REGISTRATION_PAGE_SIZE) }, (_, index) =>
    versions.slice(index * REGISTRATION_PAGE_SIZE, (index + 1) * REGISTRATION_PAGE_SIZE),
  );
}

interface RegistrationContext {
  urls: FeedUrls;
  hive: RegistrationHive;
  packageId: string;
}

function webUrl(url: string | null): string | undefined {
  return url !== null && isWebUrl(url) ? url : undefined;
}

function dependencyGroupsOf(context: RegistrationContext, row: LeafRow, leafUrl: string) {
  return readDependencyGroups(row.dependencyGroups).map((group) => {
    const groupUrl = `${leafUrl}#dependencygroup${group.targetFramework ? `/${group.targetFramework.toLowerCase()}` : ""}`;
    return {
      "@id": groupUrl,
      "@type": "PackageDependencyGroup",
      ...(group.targetFramework ? { targetFramework: group.targetFramework } : {}),
      dependencies: group.dependencies.map((dependency) => ({
        "@id": `${groupUrl}/${dependency.id.toLowerCase()}`,
        "@type": "PackageDependency",
        id: dependency.id,
        // Any version, as NuGet writes it, when the manifest named none.
        range: dependency.range || "(, )",
        registration: context.urls.registrationIndex(context.hive.name, dependency.id),
      })),
    };
  });
}

function catalogEntry(context: RegistrationContext, row: LeafRow, leafUrl: string) {
  return {
    "@id": leafUrl,
    "@type": "PackageDetails",
    authors: row.authors,
    dependencyGroups: dependencyGroupsOf(context, row, leafUrl),
    // As nuget.org: present only on deprecated versions (lib/packages/deprecation.ts).
    deprecation: row.deprecation ? registrationDeprecation(leafUrl, deprecationOf(row.deprecation)) : undefined,
    description: row.description,
    iconUrl: webUrl(row.iconUrl),
    id: context.packageId,
    licenseExpression: row.licenseExpression ?? undefined,
    licenseUrl: webUrl(row.licenseUrl),
    listed: row.listed,
    minClientVersion: row.minClientVersion ?? undefined,
    packageContent: context.urls.packageContent(context.packageId, row.version),
    projectUrl: webUrl(row.projectUrl),
    published: row.listed ? row.publishedAt.toISOString() : UNLISTED_PUBLISHED,
    requireLicenseAcceptance: row.requireLicenseAcceptance,
    summary: row.summary ?? undefined,
    tags: row.tags?.split(/[\s,;]+/).filter((tag) => tag !== "") ?? [],
    title: row.title ?? undefined,
    version: fullVersionString(parseVersion(row.originalVersion)),
    // The gallery records no advisories yet; clients read an empty list as "none known".
    vulnerabilities: [],
  };
}

function signatureOf(row: LeafRow) {
  return signatureSummary({
    signatureStatus: row.signatureStatus as SignatureStatus,
    provenSigningTime: row.provenSigningTime,
    provenSigningTimeSource: row.provenSigningTimeSource,
    signer: row.signerCertificate,
    report: parseStoredReport(row.signatureReport),
    sha512: row.sha512,
    uploadedSha512: row.uploadedSha512,
  });
}

function leafObject(context: RegistrationContext, row: LeafRow) {
  const leafUrl = context.urls.registrationLeaf(context.hive.name, context.packageId, row.version);
  return {
    "@id": leafUrl,
    "@type": "Package",
    catalogEntry: catalogEntry(context, row, leafUrl),
    packageContent: context.urls.packageContent(context.packageId, row.version),
    registration: context.urls.registrationIndex(context.hive.name, context.packageId),
    [SIGNATURE_PROPERTY]: signatureOf(row),
  };
}

function bounds(page: readonly VersionEntry[]): { lower: string; upper: string } {
  return { lower: page[0]?.version ?? "", upper: page.at(-1)?.version ?? "" };
}

function pageDocument(context: RegistrationContext, page: readonly VersionEntry[], leaves: readonly LeafRow[] | null) {
  const { lower, upper } = bounds(page);
  const indexUrl = context.urls.registrationIndex(context.hive.name, context.packageId);
  const common = {
    "@type": "catalog:CatalogPage",
    count: page.length,
    lower: lower.toLowerCase(),
    upper: upper.toLowerCase(),
  };
  if (leaves === null)
    return { "@id": context.urls.registrationPage(context.hive.name, context.packageId, lower, upper), ...common };
  return {
    "@id": context.urls.registrationPage(context.hive.name, context.packageId, lower, upper),
    ...common,
    items: leaves.map((row) => leafObject(context, row)),
    parent: indexUrl,
  };
}

/** GET {hive}/{id}/index.json; null when the hive holds no version of the ID. */
export async function readRegistrationIndex(db: Db, urls: FeedUrls, hive: RegistrationHive, packageId: string) {
  const found = await readVersions(db, hive, packageId);
  if (!found) return null;
  const context = { urls, hive, packageId: found.packageId };
  const pages = paginate(found.versions);
  const inline = pages.length === 1;
  const indexUrl = urls.registrationIndex(hive.name, found.packageId);
  const items = await Promise.all(
    pages.map(async (page) => {
      if (!inline) return pageDocument(context, page, null);
      // An inlined page is addressed inside the index, as nuget.org does.
      const document = pageDocument(context, page, await readLeaves(db, page));
      const { lower, upper } = bounds(page);
      return { ...document, "@id": `${indexUrl}#page/${lower.toLowerCase()}/${upper.toLowerCase()}` };
    }),
  );
  return {
    "@id": indexUrl,
    "@type": ["catalog:CatalogRoot", "PackageRegistration", "catalog:Permalink"],
    count: items.length,
    items,
  };
}

/** GET {hive}/{id}/page/{lower}/{upper}.json; null unless those are the bounds of one of the index's linked pages. */
export async function readRegistrationPage(
  db: Db,
  urls: FeedUrls,
  hive: RegistrationHive,
  packageId: string,
  lower: string,
  upper: string,
) {
  const found = await readVersions(db, hive, packageId);
  if (!found) return null;
  const pages = paginate(found.versions);
  if (pages.length === 1) return null;
  const page = pages.find((candidate) => {
    const range = bounds(candidate);
    return range.lower.toLowerCase() === lower.toLowerCase() && range.upper.toLowerCase() === upper.toLowerCase();
  });
  if (!page) return null;
  return pageDocument({ urls, hive, packageId: found.packageId }, page, await readLeaves(db, page));
}

function normalizedOrNull(text: string): string | null {
  try {
    return normalizeVersion(parseVersion(text)).toLowerCase();
  } catch {
    return null;
  }
}

/** GET {hive}/{id}/{version}.json: the leaf on its own; null for a version the hive does not hold. */
export async function readRegistrationLeaf(
  db: Db,
  urls: FeedUrls,
  hive: RegistrationHive,
  packageId: string,
  version: string,
) {
  const wanted = normalizedOrNull(version);
  const found = wanted === null ? null : await readVersions(db, hive, packageId);
  const entry = found?.versions.find((candidate) => candidate.version.toLowerCase() === wanted);
  if (!found || !entry) return null;
  const [row] = await readLeaves(db, [entry]);
  if (!row) return null;
  // No catalogEntry: on nuget.org it names a catalog document, which this gallery does not keep.
  return {
    "@id": urls.registrationLeaf(hive.name, found.packageId, row.version),
    "@type": ["Package", "http://schema.nuget.org/catalog#Permalink"],
    listed: row.listed,
    packageContent: urls.packageContent(found.packageId, row.version),
    published: row.listed ? row.publishedAt.toISOString() : UNLISTED_PUBLISHED,
    registration: urls.registrationIndex(hive.name, found.packageId),
    [SIGNATURE_PROPERTY]: signatureOf(row),
  };
}
