import { describe, expect, it, vi } from "vitest";
import {
  GalleryPageCache,
  PageCache,
  cacheablePage,
  isAnonymousPageLoad,
  packagePageIdLower,
  type CachedPage,
} from "./page-cache";

function page(stamp: string, storedAt: number, text = "<html>"): CachedPage {
  return {
    stamp,
    storedAt,
    status: 200,
    contentType: "text/html; charset=utf-8",
    html: text,
    renderedNonce: "bm9uY2Utbm9uY2Utbm9uY2U=",
  };
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
  const load = (url: string, headers: Record<string, string> = {}, method = "GET") =>
    new Request(`http://gallery.test${url}`, { method, headers });

  it("takes anonymous plain loads only", () => {
    expect(isAnonymousPageLoad(load("/packages/A"))).toBe(true);
    expect(isAnonymousPageLoad(load("/packages/A", { cookie: "theme=dark; next-auth.csrf-token=x" }))).toBe(true);
    expect(isAnonymousPageLoad(load("/packages/A", { cookie: "theme=dark; next-auth.session-token=x" }))).toBe(false);
    expect(isAnonymousPageLoad(load("/packages/A", { cookie: "__Secure-next-auth.session-token.0=x" }))).toBe(false);
    // What a query changes is the key's business (cacheablePage), not whether the reader is anonymous.
    expect(isAnonymousPageLoad(load("/packages?q=json"))).toBe(true);
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

describe("what a cached page is keyed by", () => {
  const key = (address: string) => cacheablePage(new URL(address, "http://gallery.test"));

  it("keys /packages by the search the page reads, in one spelling", () => {
    expect(key("/packages")).toEqual({ kind: "listing", key: "/packages" });
    expect(key("/packages?q=json")).toEqual({ kind: "listing", key: "/packages?q=json" });
    // Parameter order, defaults, unknown parameters and a repeated q do not make another copy.
    expect(key("/packages?verified=1&q=json&signed=1")?.key).toBe(key("/packages?q=json&signed=1&verified=1")?.key);
    expect(key("/packages?q=json&sort=relevance&page=1&utm=x&q=other")?.key).toBe("/packages?q=json");
    expect(key("/packages?q=%20json%20")?.key).toBe("/packages?q=json");
    expect(key("/packages?sort=nonsense&page=-3")?.key).toBe("/packages");
    // What the page shows differently is keyed differently.
    expect(key("/packages?q=json&page=2")?.key).toBe("/packages?q=json&page=2");
    expect(key("/packages?q=json&sort=downloads")?.key).toBe("/packages?q=json&sort=downloads");
    expect(key("/packages?q=json&signed=1")?.key).not.toBe(key("/packages?q=json")?.key);
  });

  it("bounds the number of listing keys however long the query", () => {
    // The page reads at most 200 characters of the query and pages up to 10,000.
    expect(key(`/packages?q=${"a".repeat(5_000)}`)?.key).toBe(`/packages?q=${"a".repeat(200)}`);
    expect(key("/packages?page=99999999")?.key).toBe("/packages?page=10000");
  });

  it("keys the home page as one page and package pages by their address, whatever the query", () => {
    expect(key("/")).toEqual({ kind: "listing", key: "/" });
    expect(key("/?anything=1")).toEqual({ kind: "listing", key: "/" });
    expect(key("/packages/Contoso.Core?x=1")).toEqual({
      kind: "package",
      key: "/packages/Contoso.Core",
      packageIdLower: "contoso.core",
    });
    expect(key("/packages/Contoso.Core/1.0.0")).toEqual({
      kind: "package",
      key: "/packages/Contoso.Core/1.0.0",
      packageIdLower: "contoso.core",
    });
    expect(key("/packages/Contoso.Core/manage")).toBeNull();
    expect(key("/upload")).toBeNull();
    expect(key("/account")).toBeNull();
  });
});

describe("GalleryPageCache", () => {
  it("keeps listings and package pages within their own bounds", async () => {
    const cache = new GalleryPageCache({
      package: { maxEntries: 2, maxAgeMs: 60_000 },
      listing: { maxEntries: 1, maxAgeMs: 60_000 },
    });
    const render = (text: string) => async () => page("1", 0, text);
    await cache.serve({ kind: "package", key: "/packages/A", packageIdLower: "a" }, "1", 0, render("a"));
    await cache.serve({ kind: "listing", key: "/packages?q=x" }, "1", 0, render("x"));
    await cache.serve({ kind: "listing", key: "/packages?q=y" }, "1", 0, render("y"));
    expect(cache.size("listing")).toBe(1);
    expect(cache.size("package")).toBe(1);
    expect(
      await cache.serve({ kind: "package", key: "/packages/A", packageIdLower: "a" }, "1", 0, render("again")),
    ).toMatchObject({ outcome: "hit", page: { html: "a" } });
  });

  it("recognises only its own render mark, so no request header skips the cache", () => {
    const cache = new GalleryPageCache();
    const other = new GalleryPageCache();
    expect(cache.isRenderMark(cache.renderMark)).toBe(true);
    expect(cache.isRenderMark(null)).toBe(false);
    expect(cache.isRenderMark("1")).toBe(false);
    expect(cache.isRenderMark("")).toBe(false);
    expect(cache.isRenderMark(other.renderMark)).toBe(false);
    expect(cache.isRenderMark(`${cache.renderMark}x`)).toBe(false);
  });
});
