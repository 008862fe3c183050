// The gallery's one page cache: rendered pages for anonymous readers. Rendering a package page
// costs about 18 ms of CPU and the home page or /packages about 30 ms (mostly React and Next.js),
// which caps a 2-core server near 70 pages/s; a cached copy costs under 2 ms. What is kept is the
// rendered HTML, not a view model, because the render is the cost: Next.js cannot keep a page
// whose scripts carry a per-request CSP nonce (lib/http/security-headers.ts), so the copy is kept
// here with the nonce it was rendered with, which each response swaps for its own.
//
// Keyed by what a page shows, in one spelling: a package or version page by its address; the home
// page as one page; /packages by its search as the page reads it (site-search.ts), so parameters
// the page ignores or spells differently share a copy and the number of copies stays bounded.
// A copy is served only while its stamp (lib/db/revision.ts, raised by database triggers in the
// same transaction as the change) is the one it was rendered at: for a package page, the
// package's own revision and the few gallery-wide facts it shows; for the listings, the search
// index's revision and the reservations and usernames. So a compromised certificate, a new owner,
// a publish or an unlist shows on the next request, on every instance sharing the database, while
// a write elsewhere (another package, a sign-up) leaves a package page's copy in use.
// Concurrent misses of one page at one stamp share one render.
// Time-dependent wording (say, "3 days ago") is bounded by a maximum age.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "@/lib/db";
import { readListingStamp, readPackagePageStamp } from "@/lib/db/revision";
import { siteSearchFromParams, siteSearchHref } from "@/lib/search/site-search";

export interface CachedPage {
  /** The stamp the page was rendered at. */
  stamp: string;
  storedAt: number;
  status: number;
  contentType: string;
  /** The HTML as rendered: its script nonce is swapped for each response's own (lib/http/security-headers.ts). */
  html: string;
  /** The nonce the page was rendered with. */
  renderedNonce: string;
}

export interface PageCacheLimits {
  maxEntries: number;
  maxAgeMs: number;
}

/** hit: a stored copy; miss: this request rendered it; joined: it waited for another request's render. */
export type CacheOutcome = "hit" | "miss" | "joined";

export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  private readonly rendering = new Map<string, Promise<CachedPage | null>>();

  constructor(private readonly limits: PageCacheLimits) {}

  /** The copy of `key` rendered at `stamp` and young enough, or null. */
  get(key: string, stamp: string, now: number): CachedPage | null {
    const page = this.pages.get(key);
    if (!page) return null;
    this.pages.delete(key);
    if (page.stamp !== stamp || now - page.storedAt > this.limits.maxAgeMs) return null;
    this.pages.set(key, page); // most recently used last, so eviction takes the first key
    return page;
  }

  set(key: string, page: CachedPage): void {
    this.pages.delete(key);
    if (this.pages.size >= this.limits.maxEntries) {
      const oldest = this.pages.keys().next();
      if (!oldest.done) this.pages.delete(oldest.value);
    }
    this.pages.set(key, page);
  }

  /**
   * The copy of `key` at `stamp`, else the one `render` makes (kept when it makes one). A request
   * that misses while another renders the same page at the same stamp waits for that render
   * instead of starting its own; one that read a newer stamp does not, since the render under
   * way may predate the change it saw. Null when `render` gives null (the caller renders as usual).
   */
  async serve(
    key: string,
    stamp: string,
    now: number,
    render: () => Promise<CachedPage | null>,
  ): Promise<{ page: CachedPage; outcome: CacheOutcome } | null> {
    const cached = this.get(key, stamp, now);
    if (cached) return { page: cached, outcome: "hit" };
    const renderKey = `${stamp} ${key}`;
    const underWay = this.rendering.get(renderKey);
    if (underWay) {
      const page = await underWay;
      return page && { page, outcome: "joined" };
    }
    const rendered = render()
      .then((page) => {
        if (page) this.set(key, page);
        return page;
      })
      .finally(() => this.rendering.delete(renderKey));
    this.rendering.set(renderKey, rendered);
    const page = await rendered;
    return page && { page, outcome: "miss" };
  }

  get size(): number {
    return this.pages.size;
  }
}

const SESSION_COOKIE = /(^|;\s*)(__Secure-)?next-auth\.session-token/;

/**
 * Whether a request may be answered from the anonymous cache: a plain page load (not one of
 * Next's client-side navigation or prefetch requests) by someone who is not signed in, since
 * signed-in readers see their own header and manage links.
 */
export function isAnonymousPageLoad(request: Request): boolean {
  if (request.method !== "GET") return false;
  const headers = request.headers;
  if (headers.has("rsc") || headers.has("next-router-prefetch") || headers.has("next-router-state-tree")) return false;
  return !SESSION_COOKIE.test(headers.get("cookie") ?? "");
}

/**
 * The lower-case package ID of /packages/<id> and /packages/<id>/<version>; null for any other
 * address (the search page, /manage, the graph) or one that does not decode.
 */
export function packagePageIdLower(pathname: string): string | null {
  const segments = pathname.split("/").filter(Boolean);
  if (segments[0] !== "packages" || segments[1] === undefined) return null;
  if (segments.length !== 2 && (segments.length !== 3 || segments[2] === "manage")) return null;
  try {
    return decodeURIComponent(segments[1]).toLowerCase();
  } catch {
    return null;
  }
}

/** A page the cache keeps: "package" pages and the "listing" pages (home, /packages) have their own stamps and bounds. */
export type CacheablePage = { kind: "package"; key: string; packageIdLower: string } | { kind: "listing"; key: string };

function searchParamsRecord(params: URLSearchParams): Record<string, string[]> {
  const record: Record<string, string[]> = {};
  for (const [name, value] of params) (record[name] ??= []).push(value);
  return record;
}

/**
 * The cached page an anonymous load of `url` is, keyed (and rendered on a miss) by the address
 * that shows the same thing; null for pages that are not cached. Package pages read no query, and
 * the home page reads none either.
 */
export function cacheablePage(url: URL): CacheablePage | null {
  if (url.pathname === "/") return { kind: "listing", key: "/" };
  if (url.pathname === "/packages")
    return { kind: "listing", key: siteSearchHref(siteSearchFromParams(searchParamsRecord(url.searchParams))) };
  const packageIdLower = packagePageIdLower(url.pathname);
  return packageIdLower === null ? null : { kind: "package", key: url.pathname, packageIdLower };
}

/** The stamp a page's copy must carry to be served: what the page shows, read in one statement. */
export function readPageStamp(db: Db, page: CacheablePage): Promise<string> {
  return page.kind === "package" ? readPackagePageStamp(db, page.packageIdLower) : readListingStamp(db);
}

export type PageCacheBounds = Record<CacheablePage["kind"], PageCacheLimits>;

// Listings get their own bound, so a crawler walking search variants cannot push package pages out.
export const GALLERY_PAGE_CACHE_BOUNDS: PageCacheBounds = {
  package: { maxEntries: 500, maxAgeMs: 60_000 },
  listing: { maxEntries: 200, maxAgeMs: 60_000 },
};

/**
 * The gallery's page cache: one store per kind of page, and the token that marks this server's
 * own request for a page it must render rather than answer from the cache (the proxy renders a
 * miss that way, see proxy.ts). The token is random per process and never leaves it, so no client
 * can send a header that skips the cache.
 */
export class GalleryPageCache {
  private readonly stores: Record<CacheablePage["kind"], PageCache>;
  private readonly renderToken = randomBytes(32);

  constructor(bounds: PageCacheBounds = GALLERY_PAGE_CACHE_BOUNDS) {
    this.stores = { package: new PageCache(bounds.package), listing: new PageCache(bounds.listing) };
  }

  serve(
    page: CacheablePage,
    stamp: string,
    now: number,
    render: () => Promise<CachedPage | null>,
  ): Promise<{ page: CachedPage; outcome: CacheOutcome } | null> {
    return this.stores[page.kind].serve(page.key, stamp, now, render);
  }

  /** The header value this server puts on its own render requests. */
  get renderMark(): string {
    return this.renderToken.toString("base64url");
  }

  /** Whether `value` (a request's render header) is this server's own mark. */
  isRenderMark(value: string | null): boolean {
    if (value === null) return false;
    const given = Buffer.from(value, "base64url");
    return given.length === this.renderToken.length && timingSafeEqual(given, this.renderToken);
  }

  size(kind: CacheablePage["kind"]): number {
    return this.stores[kind].size;
  }
}
