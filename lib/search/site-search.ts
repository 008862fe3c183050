// The /packages page's reading of its address (q, signed, verified, sort, page) as a package search:
// pages of 20, every listed version, the highest stable version shown where there is one.
// Anything odd in the address falls back to a default; the page never fails on its query.

import { z } from "zod";
import { DEFAULT_SEARCH, type PackageSearchQuery } from "./search";

export const SEARCH_PAGE_SIZE = 20;

const MAX_QUERY_LENGTH = 200;
const MAX_PAGE = 10_000;

/** The orders a person may choose, with the words the page shows for them. */
export const SITE_SORTS = { relevance: "Relevance", downloads: "Downloads", recent: "Recently updated" } as const;

export type SiteSort = keyof typeof SITE_SORTS;

export interface SiteSearch {
  text: string;
  signedOnly: boolean;
  verifiedOnly: boolean;
  sort: SiteSort;
  /** 1-based. */
  page: number;
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

const flag = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => value !== undefined && value !== "" && value !== "0");

const siteParams = z.object({
  q: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => first(value)?.trim().slice(0, MAX_QUERY_LENGTH) ?? ""),
  signed: flag,
  verified: flag,
  sort: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value): SiteSort => {
      const sort = first(value) ?? "";
      return Object.hasOwn(SITE_SORTS, sort) ? (sort as SiteSort) : "relevance";
    }),
  page: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => {
      const page = Number.parseInt(first(value) ?? "1", 10);
      return Number.isSafeInteger(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1;
    }),
});

export function siteSearchFromParams(params: Record<string, string | string[] | undefined>): SiteSearch {
  const { q, signed, verified, sort, page } = siteParams.parse(params);
  return { text: q, signedOnly: signed, verifiedOnly: verified, sort, page };
}

/** The address of a search, in one spelling: defaults left out, so each search has one address (the page cache keys by it). */
export function siteSearchHref(search: SiteSearch): string {
  const params = new URLSearchParams();
  if (search.text) params.set("q", search.text);
  if (search.signedOnly) params.set("signed", "1");
  if (search.verifiedOnly) params.set("verified", "1");
  if (search.sort !== "relevance") params.set("sort", search.sort);
  if (search.page > 1) params.set("page", String(search.page));
  const text = params.toString();
  return text ? `/packages?${text}` : "/packages";
}

export function siteSearchQuery(search: SiteSearch): PackageSearchQuery {
  return {
    ...DEFAULT_SEARCH,
    text: search.text,
    signedOnly: search.signedOnly,
    verifiedOnly: search.verifiedOnly,
    order: search.sort,
    skip: (search.page - 1) * SEARCH_PAGE_SIZE,
    take: SEARCH_PAGE_SIZE,
  };
}

/** Pages of `total` hits; when more match than were counted (`totalIsLowerBound`), one more page leads on. */
export function pageCount(total: number, totalIsLowerBound = false): number {
  return Math.max(1, Math.ceil(total / SEARCH_PAGE_SIZE) + (totalIsLowerBound ? 1 : 0));
}

/** "1 package", "25 packages", and "1,000+ packages" when more match than were counted. */
export function describeTotal(total: number, totalIsLowerBound: boolean): string {
  return `${total.toLocaleString("en-US")}${totalIsLowerBound ? "+" : ""} ${total === 1 && !totalIsLowerBound ? "package" : "packages"}`;
}
