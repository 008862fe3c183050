// Runs before /packages pages:
// - addresses with broken percent-encoding (say /packages/%E0%A4%A) make Next fail while
//   decoding the route's parameters and answer a bare 500; this answers 400 with a sentence;
// - anonymous loads of package pages are served from lib/http/page-cache.ts while the gallery
//   revision is unchanged. A miss renders the page through a request to this same server
//   (marked so that it is not intercepted again) and keeps the result.
import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/lib/db";
import { readGalleryRevision } from "@/lib/db/revision";
import { PageCache, isAnonymousPageLoad, isPackagePagePath, type CachedPage } from "@/lib/http/page-cache";

const RENDER_HEADER = "x-signet-render";
const holder = globalThis as typeof globalThis & { signetPageCache?: PageCache };
const pageCache = (holder.signetPageCache ??= new PageCache({ maxEntries: 500, maxAgeMs: 60_000 }));

function cachedResponse(page: CachedPage, outcome: "hit" | "miss"): NextResponse {
  return new NextResponse(page.body, { status: page.status, headers: { "Content-Type": page.contentType, "X-Signet-Cache": outcome } });
}

async function renderForCache(request: NextRequest, revision: number): Promise<CachedPage | null> {
  try {
    const rendered = await fetch(request.url, { headers: { [RENDER_HEADER]: "1", accept: "text/html" }, redirect: "manual", cache: "no-store" });
    if (rendered.status !== 200 && rendered.status !== 404) return null;
    const contentType = rendered.headers.get("content-type") ?? "";
    if (!contentType.startsWith("text/html")) return null;
    return { revision, storedAt: Date.now(), status: rendered.status, contentType, body: new Uint8Array(await rendered.arrayBuffer()) };
  } catch {
    return null; // the server cannot reach its own address (an unusual proxy set-up): render as usual
  }
}

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { pathname } = request.nextUrl;
  try {
    decodeURIComponent(pathname);
  } catch {
    return new NextResponse("This address is not valid: it contains a broken percent-encoded character.\n", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  if (request.headers.has(RENDER_HEADER) || !isPackagePagePath(pathname) || !isAnonymousPageLoad(request)) return NextResponse.next();

  const revision = await readGalleryRevision(getDb());
  const cached = pageCache.get(pathname, revision, Date.now());
  if (cached) return cachedResponse(cached, "hit");
  const rendered = await renderForCache(request, revision);
  if (!rendered) return NextResponse.next();
  pageCache.set(pathname, rendered);
  return cachedResponse(rendered, "miss");
}

export const config = { matcher: "/packages/:path*" };
