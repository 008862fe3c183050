import { describe, expect, it } from "vitest";
import { PageCache, isAnonymousPageLoad, isPackagePagePath, type CachedPage } from "./page-cache";

function page(revision: number, storedAt: number, text = "<html>"): CachedPage {
  return { revision, storedAt, status: 200, contentType: "text/html; charset=utf-8", html: text, renderedNonce: "bm9uY2Utbm9uY2Utbm9uY2U=" };
}

describe("PageCache", () => {
  it("serves a copy only at the revision it was rendered at", () => {
    const cache = new PageCache({ maxEntries: 10, maxAgeMs: 60_000 });
    cache.set("/packages/A", page(7, 0));
    expect(cache.get("/packages/A", 7, 1_000)).not.toBeNull();
    expect(cache.get("/packages/A", 8, 1_000)).toBeNull();
    // A stale copy is dropped, not kept for when the revision comes back.
    expect(cache.get("/packages/A", 7, 1_000)).toBeNull();
  });

  it("drops copies older than the maximum age", () => {
    const cache = new PageCache({ maxEntries: 10, maxAgeMs: 60_000 });
    cache.set("/packages/A", page(1, 0));
    expect(cache.get("/packages/A", 1, 60_000)).not.toBeNull();
    expect(cache.get("/packages/A", 1, 60_001)).toBeNull();
  });

  it("evicts the least recently used copy when full", () => {
    const cache = new PageCache({ maxEntries: 2, maxAgeMs: 60_000 });
    cache.set("/packages/A", page(1, 0, "a"));
    cache.set("/packages/B", page(1, 0, "b"));
    cache.get("/packages/A", 1, 0);
    cache.set("/packages/C", page(1, 0, "c"));
    expect(cache.size).toBe(2);
    expect(cache.get("/packages/B", 1, 0)).toBeNull();
    expect(cache.get("/packages/A", 1, 0)?.html).toBe("a");
  });
});

describe("which requests may be cached", () => {
  const load = (url: string, headers: Record<string, string> = {}, method = "GET") => new Request(`http://gallery.test${url}`, { method, headers });

  it("takes anonymous plain loads only", () => {
    expect(isAnonymousPageLoad(load("/packages/A"))).toBe(true);
    expect(isAnonymousPageLoad(load("/packages/A", { cookie: "theme=dark; next-auth.csrf-token=x" }))).toBe(true);
    expect(isAnonymousPageLoad(load("/packages/A", { cookie: "theme=dark; next-auth.session-token=x" }))).toBe(false);
    expect(isAnonymousPageLoad(load("/packages/A", { cookie: "__Secure-next-auth.session-token.0=x" }))).toBe(false);
    expect(isAnonymousPageLoad(load("/packages/A?x=1"))).toBe(false);
    expect(isAnonymousPageLoad(load("/packages/A", { rsc: "1" }))).toBe(false);
    expect(isAnonymousPageLoad(load("/packages/A", { "next-router-prefetch": "1" }))).toBe(false);
    expect(isAnonymousPageLoad(load("/packages/A", {}, "HEAD"))).toBe(false);
  });

  it("covers package and version pages, not search or manage", () => {
    expect(isPackagePagePath("/packages/Contoso.Core")).toBe(true);
    expect(isPackagePagePath("/packages/Contoso.Core/1.0.0")).toBe(true);
    expect(isPackagePagePath("/packages/Contoso.Core/manage")).toBe(false);
    expect(isPackagePagePath("/packages")).toBe(false);
    expect(isPackagePagePath("/packages/a/b/c")).toBe(false);
    expect(isPackagePagePath("/admin/packages/a")).toBe(false);
  });
});
