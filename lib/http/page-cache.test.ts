import { describe, expect, it, vi } from "vitest";
import { PageCache, isAnonymousPageLoad, packagePageIdLower, type CachedPage } from "./page-cache";

function page(stamp: string, storedAt: number, text = "<html>"): CachedPage {
  return { stamp, storedAt, status: 200, contentType: "text/html; charset=utf-8", html: text, renderedNonce: "bm9uY2Utbm9uY2Utbm9uY2U=" };
}

describe("PageCache", () => {
  it("serves a copy only at the stamp it was rendered at", () => {
    const cache = new PageCache({ maxEntries: 10, maxAgeMs: 60_000 });
    cache.set("/packages/A", page("7", 0));
    expect(cache.get("/packages/A", "7", 1_000)).not.toBeNull();
    expect(cache.get("/packages/A", "8", 1_000)).toBeNull();
    // A stale copy is dropped, not kept for when the stamp comes back.
    expect(cache.get("/packages/A", "7", 1_000)).toBeNull();
  });

  it("drops copies older than the maximum age", () => {
    const cache = new PageCache({ maxEntries: 10, maxAgeMs: 60_000 });
    cache.set("/packages/A", page("1", 0));
    expect(cache.get("/packages/A", "1", 60_000)).not.toBeNull();
    expect(cache.get("/packages/A", "1", 60_001)).toBeNull();
  });

  it("evicts the least recently used copy when full", () => {
    const cache = new PageCache({ maxEntries: 2, maxAgeMs: 60_000 });
    cache.set("/packages/A", page("1", 0, "a"));
    cache.set("/packages/B", page("1", 0, "b"));
    cache.get("/packages/A", "1", 0);
    cache.set("/packages/C", page("1", 0, "c"));
    expect(cache.size).toBe(2);
    expect(cache.get("/packages/B", "1", 0)).toBeNull();
    expect(cache.get("/packages/A", "1", 0)?.html).toBe("a");
  });
});

describe("PageCache.serve", () => {
  /** A render that finishes when told to, counting how often it was started. */
  function controlledRender(text: string) {
    let finish: (page: CachedPage | null) => void = () => {};
    const render = vi.fn(() => new Promise<CachedPage | null>((resolve) => (finish = resolve)));
    return { render, finish: (stamp: string) => finish(page(stamp, 0, text)), fail: () => finish(null) };
  }

  it("renders once for concurrent misses of one page at one stamp, then serves the copy", async () => {
    const cache = new PageCache({ maxEntries: 10, maxAgeMs: 60_000 });
    const { render, finish } = controlledRender("a");
    const first = cache.serve("/packages/A", "1:0:0", 0, render);
    const second = cache.serve("/packages/A", "1:0:0", 0, render);
    finish("1:0:0");
    expect(await first).toMatchObject({ outcome: "miss", page: { html: "a" } });
    expect(await second).toMatchObject({ outcome: "joined", page: { html: "a" } });
    expect(render).toHaveBeenCalledTimes(1);
    expect(await cache.serve("/packages/A", "1:0:0", 0, render)).toMatchObject({ outcome: "hit", page: { html: "a" } });
    expect(render).toHaveBeenCalledTimes(1);
  });

  it("does not let a request that read a newer stamp wait for a render begun before the change", async () => {
    const cache = new PageCache({ maxEntries: 10, maxAgeMs: 60_000 });
    const before = controlledRender("old");
    const after = controlledRender("new");
    const first = cache.serve("/packages/A", "1:0:0", 0, before.render);
    const second = cache.serve("/packages/A", "2:0:0", 0, after.render);
    after.finish("2:0:0");
    before.finish("1:0:0");
    expect(await first).toMatchObject({ outcome: "miss", page: { html: "old" } });
    expect(await second).toMatchObject({ outcome: "miss", page: { html: "new" } });
    expect(before.render).toHaveBeenCalledTimes(1);
    expect(after.render).toHaveBeenCalledTimes(1);
  });

  it("gives null to every waiter when the render gives none, and tries again on the next request", async () => {
    const cache = new PageCache({ maxEntries: 10, maxAgeMs: 60_000 });
    const { render, fail } = controlledRender("a");
    const first = cache.serve("/packages/A", "1:0:0", 0, render);
    const second = cache.serve("/packages/A", "1:0:0", 0, render);
    fail();
    expect(await first).toBeNull();
    expect(await second).toBeNull();
    const retry = controlledRender("b");
    const third = cache.serve("/packages/A", "1:0:0", 0, retry.render);
    retry.finish("1:0:0");
    expect(await third).toMatchObject({ outcome: "miss", page: { html: "b" } });
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

  it("covers package and version pages, not search or manage, and names their package", () => {
    expect(packagePageIdLower("/packages/Contoso.Core")).toBe("contoso.core");
    expect(packagePageIdLower("/packages/Contoso.Core/1.0.0")).toBe("contoso.core");
    expect(packagePageIdLower("/packages/Contoso%2ECore/1.0.0")).toBe("contoso.core");
    expect(packagePageIdLower("/packages/Contoso.Core/manage")).toBeNull();
    expect(packagePageIdLower("/packages")).toBeNull();
    expect(packagePageIdLower("/packages/a/b/c")).toBeNull();
    expect(packagePageIdLower("/admin/packages/a")).toBeNull();
    expect(packagePageIdLower("/packages/%E0%A4%A")).toBeNull();
  });
});
