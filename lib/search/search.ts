// Package search: the one query behind the /packages page, the home page's recent list, and
// the V3 SearchQueryService and SearchAutocompleteService endpoints. A later full-text index
// replaces the body of searchPackages; its callers and its result stay as they are.
//
// A package matches when it has a version the query may show (listed; stable unless
// prerelease is asked for; SemVer 1 unless SemVer 2 is; of the package type asked for) and
// every word and field filter of the text matches (query-text.ts). Each hit carries the
// version it shows (the highest visible one by NuGet's ordering, or the highest stable one
// where the site prefers stable), the versions it could show, its owners, the Verified check
// and the shown version's signing state. "Signed only" is about the shown version, which SQL
// cannot pick (NuGet's ordering), so that filter runs in code over the candidates' versions.

import { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db";
import { latestListedVersion, sortByVersionDescending } from "@/lib/packages/latest-version";
import { readPackageTypes } from "@/lib/packages/package-types";
import { parseStoredReport, signatureSummary, type SignatureSummary } from "@/lib/packages/signature-summary";
import type { SigningTimeSource } from "@/lib/packages/proven-signing-time";
import { isTrustedSigning, signingState, type SignatureStatus, type SigningState } from "@/lib/packages/signing-state";
import { verifyPackageId, type AccountRef, type ReservationWithOwners, type Verification } from "@/lib/packages/verification";
import { fullVersionString, parseVersion } from "@/lib/versioning/version";
import { parseSearchText } from "./query-text";
import { hasVisibleSignedVersion, hasVisibleVersion, idRank, lastPublished, termCondition, VERIFIED_CONDITION, visibleVersion, type VersionVisibility } from "./sql";

/** Words and filters beyond this many are not searched (each adds subqueries). */
export const MAX_SEARCH_TERMS = 16;

export interface PackageSearchQuery extends VersionVisibility {
  /** "text": NuGet's search language over the package's text; "id": the text is part of an ID (autocomplete). */
  match: "text" | "id";
  text: string;
  skip: number;
  take: number;
  /** Show the highest stable version when there is one (the site), rather than simply the highest (NuGet clients). */
  preferStable: boolean;
  signedOnly: boolean;
  verifiedOnly: boolean;
  /** "relevance": the ID itself first, then IDs starting with, then containing the text, then by ID; "recent": last published first. */
  order: "relevance" | "recent";
}

export const DEFAULT_SEARCH: PackageSearchQuery = {
  match: "text",
  text: "",
  skip: 0,
  take: 20,
  includePrerelease: true,
  includeSemVer2: true,
  packageType: null,
  preferStable: true,
  signedOnly: false,
  verifiedOnly: false,
  order: "relevance",
};

export interface SearchHitVersion {
  /** Normalised, as stored and as URLs use it. */
  version: string;
  /** With build metadata, as SemVer 2 clients are shown it. */
  fullVersion: string;
  publishedAt: Date;
}

/** The shown version's manifest fields and signing. */
export interface SearchHitDetails extends SearchHitVersion {
  title: string | null;
  description: string;
  summary: string | null;
  authors: string;
  tags: string[];
  iconUrl: string | null;
  licenseUrl: string | null;
  licenseExpression: string | null;
  projectUrl: string | null;
  packageTypes: string[];
  signing: SigningState;
  signature: SignatureSummary;
}

export interface PackageSearchHit {
  packageId: string;
  owners: string[];
  verification: Verification;
  /** Every version the query may show, oldest first. */
  versions: SearchHitVersion[];
  shown: SearchHitDetails;
}

export interface PackageSearchResult {
  /** Matching packages, disregarding skip and take. */
  total: number;
  hits: PackageSearchHit[];
}

// SQLite allows 32,766 bound values per statement; candidate lists are read in batches well below it.
const IDS_PER_QUERY = 1000;

function batches<T>(items: readonly T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / IDS_PER_QUERY) }, (_, index) => items.slice(index * IDS_PER_QUERY, (index + 1) * IDS_PER_QUERY));
}

function whereClause(query: PackageSearchQuery): Prisma.Sql {
  const conditions = [hasVisibleVersion(query)];
  if (query.match === "id") {
    if (query.text !== "") conditions.push(termCondition({ field: "id", value: query.text }, query));
  } else {
    for (const term of parseSearchText(query.text).slice(0, MAX_SEARCH_TERMS)) conditions.push(termCondition(term, query));
  }
  if (query.verifiedOnly) conditions.push(VERIFIED_CONDITION);
  // Narrows "signed only" to packages with any valid signature before code looks at the shown version.
  if (query.signedOnly) conditions.push(hasVisibleSignedVersion(query));
  return Prisma.join(conditions, " AND ");
}

/** The text the ID ranking compares with: the autocomplete text, or the first word or ID filter. */
function rankingText(query: PackageSearchQuery): string | null {
  if (query.match === "id") return query.text || null;
  const term = parseSearchText(query.text).find((candidate) => candidate.field === null || candidate.field === "id" || candidate.field === "packageid");
  return term?.value ?? null;
}

function orderClause(query: PackageSearchQuery): Prisma.Sql {
  if (query.order === "recent") return Prisma.sql`${lastPublished(query)} DESC, r."packageIdLower"`;
  const text = rankingText(query);
  return text === null ? Prisma.sql`r."packageIdLower"` : Prisma.sql`${idRank(text)}, r."packageIdLower"`;
}

async function countMatches(db: Db, where: Prisma.Sql): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ total: bigint | number }>>`SELECT COUNT(*) AS total FROM "PackageRegistration" r WHERE ${where}`;
  return Number(row?.total ?? 0);
}

async function matchingRegistrations(db: Db, query: PackageSearchQuery, page: { skip: number; take: number } | null): Promise<string[]> {
  const limit = page ? Prisma.sql`LIMIT ${page.take} OFFSET ${page.skip}` : Prisma.empty;
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT r."id" AS id FROM "PackageRegistration" r WHERE ${whereClause(query)} ORDER BY ${orderClause(query)} ${limit}`;
  return rows.map((row) => row.id);
}

const CANDIDATE_SELECT = {
  id: true,
  packageId: true,
  owners: { orderBy: { createdAt: "asc" }, select: { user: { select: { id: true, username: true } } } },
} satisfies Prisma.PackageRegistrationSelect;

/** A version the query may show, with what its signing badge needs. */
interface VersionRow {
  id: string;
  registrationId: string;
  version: string;
  originalVersion: string;
  /** Always true here (only listed versions are visible); latestListedVersion reads it. */
  listed: boolean;
  publishedAt: Date;
  signatureStatus: SignatureStatus;
  provenSigningTime: Date;
  provenSigningTimeSource: SigningTimeSource;
  signerCertificateId: string | null;
  signerSubject: string | null;
  compromisedAt: Date | null;
}

interface Candidate {
  registrationId: string;
  packageId: string;
  owners: AccountRef[];
  versions: VersionRow[];
  shown: VersionRow;
  signing: SigningState;
}

/** The visible versions of these registrations, by the same conditions the search matched with (sql.ts). */
async function readVisibleVersions(db: Db, query: PackageSearchQuery, registrationIds: string[]): Promise<VersionRow[]> {
  const rows = await db.$queryRaw<Array<Omit<VersionRow, "listed">>>`
    SELECT v."id", v."registrationId", v."version", v."originalVersion", v."publishedAt", v."signatureStatus", v."provenSigningTime",
           v."provenSigningTimeSource", v."signerCertificateId", c."subject" AS "signerSubject", c."compromisedAt"
    FROM "PackageRegistration" r
    JOIN "PackageVersion" v ON v."registrationId" = r."id"
    LEFT JOIN "Certificate" c ON c."id" = v."signerCertificateId"
    WHERE r."id" IN (${Prisma.join(registrationIds)}) AND ${visibleVersion(query)}`;
  return rows.map((row) => ({ ...row, listed: true }));
}

function shownVersion(query: PackageSearchQuery, versions: VersionRow[]): VersionRow | null {
  if (query.preferStable) return latestListedVersion(versions);
  return sortByVersionDescending(versions)[0] ?? null;
}

async function loadCandidates(db: Db, query: PackageSearchQuery, registrationIds: string[]): Promise<Candidate[]> {
  const candidates = new Map<string, Candidate>();
  for (const batch of batches(registrationIds)) {
    const [registrations, versions] = await Promise.all([
      db.packageRegistration.findMany({ where: { id: { in: batch } }, select: CANDIDATE_SELECT }),
      readVisibleVersions(db, query, batch),
    ]);
    const byRegistration = new Map<string, VersionRow[]>();
    for (const version of versions) {
      const list = byRegistration.get(version.registrationId);
      if (list) list.push(version);
      else byRegistration.set(version.registrationId, [version]);
    }
    for (const registration of registrations) {
      const visible = byRegistration.get(registration.id) ?? [];
      const shown = shownVersion(query, visible);
      if (!shown) continue;
      candidates.set(registration.id, {
        registrationId: registration.id,
        packageId: registration.packageId,
        owners: registration.owners.map((owner) => owner.user),
        versions: visible,
        shown,
        signing: signingState({
          ...shown,
          signer: shown.signerCertificateId === null ? null : { subject: shown.signerSubject, compromisedAt: shown.compromisedAt },
        }),
      });
    }
  }
  return registrationIds.flatMap((id) => candidates.get(id) ?? []);
}

const DETAILS_SELECT = {
  id: true,
  title: true,
  description: true,
  summary: true,
  authors: true,
  tags: true,
  iconUrl: true,
  licenseUrl: true,
  licenseExpression: true,
  projectUrl: true,
  packageTypes: true,
  signatureStatus: true,
  provenSigningTime: true,
  provenSigningTimeSource: true,
  signatureReport: true,
  signerCertificate: { select: { subject: true, sha256Fingerprint: true, compromisedAt: true } },
} satisfies Prisma.PackageVersionSelect;

type DetailsRow = Prisma.PackageVersionGetPayload<{ select: typeof DETAILS_SELECT }>;

function hitVersion(row: Pick<VersionRow, "version" | "originalVersion" | "publishedAt">): SearchHitVersion {
  return { version: row.version, fullVersion: fullVersionString(parseVersion(row.originalVersion)), publishedAt: row.publishedAt };
}

function toHit(candidate: Candidate, details: DetailsRow, reservations: readonly ReservationWithOwners[]): PackageSearchHit {
  return {
    packageId: candidate.packageId,
    owners: candidate.owners.map((owner) => owner.username),
    verification: verifyPackageId(candidate.packageId, candidate.owners, reservations),
    versions: sortByVersionDescending(candidate.versions).reverse().map(hitVersion),
    shown: {
      ...hitVersion(candidate.shown),
      title: details.title,
      description: details.description,
      summary: details.summary,
      authors: details.authors,
      tags: details.tags?.split(/[\s,;]+/).filter((tag) => tag !== "") ?? [],
      iconUrl: details.iconUrl,
      licenseUrl: details.licenseUrl,
      licenseExpression: details.licenseExpression,
      projectUrl: details.projectUrl,
      packageTypes: readPackageTypes(details.packageTypes),
      signing: candidate.signing,
      signature: signatureSummary({
        signatureStatus: details.signatureStatus as SignatureStatus,
        provenSigningTime: details.provenSigningTime,
        provenSigningTimeSource: details.provenSigningTimeSource,
        signer: details.signerCertificate,
        report: parseStoredReport(details.signatureReport),
      }),
    },
  };
}

/** Every reservation with its owners: few (admins create them), and needed for every badge. */
export async function loadReservations(db: Db): Promise<ReservationWithOwners[]> {
  const rows = await db.prefixReservation.findMany({
    select: { pattern: true, isPrefix: true, isPublic: true, owners: { select: { user: { select: { id: true, username: true } } } } },
  });
  return rows.map((row) => ({ ...row, owners: row.owners.map((owner) => owner.user) }));
}

async function toHits(db: Db, candidates: Candidate[]): Promise<PackageSearchHit[]> {
  if (candidates.length === 0) return [];
  const [details, reservations] = await Promise.all([
    db.packageVersion.findMany({ where: { id: { in: candidates.map((candidate) => candidate.shown.id) } }, select: DETAILS_SELECT }),
    loadReservations(db),
  ]);
  const detailsById = new Map(details.map((row) => [row.id, row]));
  return candidates.flatMap((candidate) => {
    const row = detailsById.get(candidate.shown.id);
    return row ? [toHit(candidate, row, reservations)] : [];
  });
}

export async function searchPackages(db: Db, query: PackageSearchQuery): Promise<PackageSearchResult> {
  if (!query.signedOnly) {
    const [total, ids] = await Promise.all([countMatches(db, whereClause(query)), matchingRegistrations(db, query, query)]);
    return { total, hits: await toHits(db, await loadCandidates(db, query, ids)) };
  }
  const candidates = await loadCandidates(db, query, await matchingRegistrations(db, query, null));
  const signed = candidates.filter((candidate) => isTrustedSigning(candidate.signing));
  return { total: signed.length, hits: await toHits(db, signed.slice(query.skip, query.skip + query.take)) };
}
