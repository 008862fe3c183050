// Cached package pages for anonymous readers. Rendering a package page costs about 10 ms of CPU
// (mostly React and Next.js), which caps a 2-core server near 100 pages/s; a cached copy costs
// well under a millisecond. A copy is served only while the gallery revision (raised by database
// triggers in the same transaction as any change a page could show) is the one it was rendered
// at, so a compromised certificate, a new owner or a new version shows on the next request.
// Time-dependent wording (say, "expires in 3 days") is bounded by a maximum age.

export interface CachedPage {
  revision: number;
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

export class PageCache {
  private readonly pages = new Map<string, CachedPage>();

  constructor(private readonly limits: PageCacheLimits) {}

  /** The copy of `key` rendered at `revision` and young enough, or null. */
  get(key: string, revision: number, now: number): CachedPage | null {
    const page = this.pages.get(key);
    if (!page) return null;
    this.pages.delete(key);
    if (page.revision !== revision || now - page.storedAt > this.limits.maxAgeMs) return null;
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

  get size(): number {
    return this.pages.size;
  }
}

const SESSION_COOKIE = /(^|;\s*)(__Secure-)?next-auth\.session-token/;

/**
 * Whether a request may be answered from the cache: a plain page load (no query, not one of
 * Next's client-side navigation or prefetch requests) by someone who is not signed in, since
 * signed-in readers see their own header and manage links.
 */
export function isAnonymousPageLoad(request: Request): boolean {
  if (request.method !== "GET") return false;
  const url = new URL(request.url);
  if (url.search !== "") return false;
  const headers = request.headers;
  if (headers.has("rsc") || headers.has("next-router-prefetch") || headers.has("next-router-state-tree")) return false;
  return !SESSION_COOKIE.test(headers.get("cookie") ?? "");
}

/** /packages/<id> and /packages/<id>/<version>; not the search page and not /manage. */
export function isPackagePagePath(pathname: string): boolean {
  const segments = pathname.split("/").filter(Boolean);
  if (segments[0] !== "packages") return false;
  return segments.length === 2 || (segments.length === 3 && segments[2] !== "manage");
}
