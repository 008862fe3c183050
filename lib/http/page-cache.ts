// Cached package pages for anonymous readers. Rendering a package page costs about 10 ms of CPU
// (mostly React and Next.js), which caps a 2-core server near 100 pages/s; a cached copy costs
// well under a millisecond. A copy is served only while the page's stamp (lib/db/revision.ts
// readPackagePageStamp: the package's own revision and the few gallery-wide facts its pages show,
// all raised by database triggers in the same transaction as the change) is the one it was
// rendered at, so a compromised certificate, a new owner or a new version shows on the next
// request, while a write elsewhere (another package, a sign-up) leaves the copy in use.
// Concurrent misses of one page at one stamp share one render.
// Time-dependent wording (say, "expires in 3 days") is bounded by a maximum age.

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
  async serve(key: string, stamp: string, now: number, render: () => Promise<CachedPage | null>): Promise<{ page: CachedPage; outcome: CacheOutcome } | null> {
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
