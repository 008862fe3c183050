// The V3 SearchQueryService and SearchAutocompleteService: NuGet's query parameters read into
// the gallery's one package search (lib/search), and its hits written in the shape NuGet's
// client deserialises (V3SearchResults of PackageSearchMetadata; AutoCompleteModel). Each
// search result also carries the shown version's signing state as `signet:signature`.
// A parameter the client could not have meant answers 400 with a sentence naming it; `take`
// above the maximum is capped, as nuget.org caps it.

import { readVersionDownloads } from "@/lib/packages/download-counts";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import { parseSearchText } from "@/lib/search/query-text";
import {
  DEFAULT_SEARCH,
  MAX_SEARCH_TERMS,
  searchPackages,
  type PackageSearchHit,
  type PackageSearchQuery,
} from "@/lib/search/search";
import { checkPackageId } from "@/lib/validation/rules/package-identity";
import { isWebUrl } from "@/lib/validation/rules/metadata-fields";
import { parseVersion } from "@/lib/versioning/version";
import { SIGNATURE_PROPERTY } from "./registration";
import type { FeedUrls, RegistrationHiveName } from "@/lib/nuget-client/urls";

export const MAX_TAKE = 1000;
export const MAX_SKIP = 100_000;
export const DEFAULT_TAKE = 20;
const MAX_QUERY_LENGTH = 500;
const MAX_PACKAGE_TYPE_LENGTH = 100;

const invalid = (name: string, rule: string) => (value: string) =>
  `The '${name}' parameter ${rule}; it was '${value.slice(0, 100)}'.`;

function wholeNumber(name: string, max: number | null) {
  const rule = max === null ? "must be a whole number of 0 or more" : `must be a whole number from 0 to ${max}`;
  return z
    .string()
    .optional()
    .superRefine((value, context) => {
      if (value === undefined) return;
      const number = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
      if (Number.isNaN(number) || (max !== null && number > max))
        context.addIssue({ code: "custom", message: invalid(name, rule)(value) });
    })
    .transform((value) => (value === undefined ? undefined : Number(value)));
}

const booleanText = z
  .string()
  .optional()
  .superRefine((value, context) => {
    if (value !== undefined && !/^(true|false)$/i.test(value))
      context.addIssue({ code: "custom", message: invalid("prerelease", "must be true or false")(value) });
  })
  .transform((value) => value?.toLowerCase() === "true");

/** semVerLevel: a version; 2.0.0 or above opts in to SemVer 2 versions. */
const semVerLevel = z
  .string()
  .optional()
  .superRefine((value, context) => {
    if (value === undefined || value === "") return;
    try {
      parseVersion(value);
    } catch {
      context.addIssue({ code: "custom", message: invalid("semVerLevel", "must be a version such as 2.0.0")(value) });
    }
  })
  .transform((value) => (value ? parseVersion(value).major >= 2 : false));

const packageType = z
  .string()
  .optional()
  .superRefine((value, context) => {
    if (
      value !== undefined &&
      value !== "" &&
      (value.length > MAX_PACKAGE_TYPE_LENGTH || !/^[A-Za-z0-9._-]+$/.test(value))
    ) {
      context.addIssue({
        code: "custom",
        message: invalid("packageType", "must be a package type name such as DotnetTool")(value),
      });
    }
  })
  .transform((value) => value || null);

const queryText = z
  .string()
  .optional()
  .superRefine((value, context) => {
    if (value === undefined) return;
    if (value.length > MAX_QUERY_LENGTH)
      context.addIssue({
        code: "custom",
        message: `The 'q' parameter may be at most ${MAX_QUERY_LENGTH} characters long; it was ${value.length}.`,
      });
  })
  .transform((value) => value?.trim() ?? "");

const commonParameters = {
  q: queryText,
  skip: wholeNumber("skip", MAX_SKIP),
  take: wholeNumber("take", null),
  prerelease: booleanText,
  semVerLevel,
  packageType,
};

const searchParameters = z.object(commonParameters);
const autocompleteParameters = z.object({ ...commonParameters, id: z.string().optional() });

function parameters(url: URL): Record<string, string> {
  const values: Record<string, string> = {};
  // The first of a repeated parameter counts, as URLSearchParams.get reads it.
  for (const [name, value] of url.searchParams) if (!(name in values)) values[name] = value;
  return values;
}

function parseOr400<Schema extends z.ZodType>(schema: Schema, url: URL): z.infer<Schema> {
  const parsed = schema.safeParse(parameters(url));
  if (!parsed.success)
    throw new IssueError(
      "INVALID_QUERY_PARAMETER",
      parsed.error.issues[0]?.message ?? "The query parameters are not valid.",
    );
  return parsed.data;
}

type CommonParameters = z.infer<typeof searchParameters>;

function baseQuery(parsed: CommonParameters): PackageSearchQuery {
  return {
    ...DEFAULT_SEARCH,
    skip: parsed.skip ?? 0,
    take: Math.min(parsed.take ?? DEFAULT_TAKE, MAX_TAKE),
    includePrerelease: parsed.prerelease,
    includeSemVer2: parsed.semVerLevel,
    packageType: parsed.packageType,
    // NuGet clients show the highest version the query allows.
    preferStable: false,
  };
}

/** The search a V3 SearchQueryService request asks for; IssueError INVALID_QUERY_PARAMETER (400) when it cannot be read. */
export function searchQueryFromUrl(url: URL): PackageSearchQuery {
  const parsed = parseOr400(searchParameters, url);
  const terms = parseSearchText(parsed.q).length;
  if (terms > MAX_SEARCH_TERMS) {
    throw new IssueError(
      "INVALID_QUERY_PARAMETER",
      `The 'q' parameter has ${terms} words and filters; at most ${MAX_SEARCH_TERMS} are searched.`,
    );
  }
  return { ...baseQuery(parsed), text: parsed.q };
}

function hiveFor(query: PackageSearchQuery): RegistrationHiveName {
  return query.includeSemVer2 ? "registration-gz-semver2" : "registration";
}

function webUrl(url: string | null): string | undefined {
  return url !== null && isWebUrl(url) ? url : undefined;
}

function searchResult(
  urls: FeedUrls,
  hive: RegistrationHiveName,
  hit: PackageSearchHit,
  versionDownloads: ReadonlyMap<string, number>,
) {
  const { shown } = hit;
  const registration = urls.registrationIndex(hive, hit.packageId);
  return {
    "@id": registration,
    "@type": "Package",
    registration,
    id: hit.packageId,
    version: shown.fullVersion,
    description: shown.description,
    summary: shown.summary ?? "",
    title: shown.title ?? "",
    iconUrl: webUrl(shown.iconUrl),
    licenseUrl: webUrl(shown.licenseUrl),
    licenseExpression: shown.licenseExpression ?? undefined,
    projectUrl: webUrl(shown.projectUrl),
    tags: shown.tags,
    authors: [shown.authors],
    owners: hit.owners,
    // As of the last download roll-up.
    totalDownloads: hit.downloads,
    verified: hit.verification.verified,
    packageTypes: shown.packageTypes.map((name) => ({ name })),
    // Each version's downloads, also as of the last roll-up.
    versions: hit.versions.map((version) => ({
      version: version.fullVersion,
      downloads: versionDownloads.get(`${hit.packageId.toLowerCase()}/${version.version.toLowerCase()}`) ?? 0,
      "@id": urls.registrationLeaf(hive, hit.packageId, version.version),
    })),
    vulnerabilities: [],
    [SIGNATURE_PROPERTY]: shown.signature,
  };
}

/** GET {SearchQueryService}?q=&skip=&take=&prerelease=&semVerLevel=&packageType= */
export async function searchDocument(db: Db, urls: FeedUrls, query: PackageSearchQuery) {
  const result = await searchPackages(db, query);
  const hive = hiveFor(query);
  const versionDownloads = await readVersionDownloads(
    db,
    result.hits.map((hit) => hit.packageId.toLowerCase()),
  );
  return { totalHits: result.total, data: result.hits.map((hit) => searchResult(urls, hive, hit, versionDownloads)) };
}

export type AutocompleteRequest =
  { kind: "ids"; query: PackageSearchQuery } | { kind: "versions"; packageId: string; query: PackageSearchQuery };

/** What a V3 SearchAutocompleteService request asks for: IDs matching q, or the versions of id. */
export function autocompleteRequestFromUrl(url: URL): AutocompleteRequest {
  const parsed = parseOr400(autocompleteParameters, url);
  const query = baseQuery(parsed);
  if (parsed.id === undefined) return { kind: "ids", query: { ...query, match: "id", text: parsed.q } };
  const [problem] = checkPackageId(parsed.id);
  if (problem) throw new IssueError("INVALID_QUERY_PARAMETER", problem.message);
  // The ID is valid, so it is one word of the search language.
  return {
    kind: "versions",
    packageId: parsed.id,
    query: { ...query, text: `packageid:${parsed.id}`, skip: 0, take: 1 },
  };
}

/** GET {SearchAutocompleteService}?q=… (package IDs) or ?id=… (that package's versions). */
export async function autocompleteDocument(db: Db, request: AutocompleteRequest) {
  const result = await searchPackages(db, request.query);
  if (request.kind === "ids") return { totalHits: result.total, data: result.hits.map((hit) => hit.packageId) };
  const versions = result.hits[0]?.versions.map((version) => version.fullVersion) ?? [];
  return { totalHits: versions.length, data: versions };
}
