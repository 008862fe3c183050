// Runs before every page and NuGet feed address (not API routes or static files):
// - addresses with broken percent-encoding (say /packages/%E0%A4%A) make Next fail while
//   decoding the route's parameters and answer a bare 500; this answers 400 with a sentence
//   (as JSON with a code for the feeds, whose clients read JSON). Feed requests go no further;
// - a POST to a page (a server action) that declares a body over 64 KiB is refused with 413
//   BODY_TOO_LARGE before Next reads it, and one that declares no length (chunked) with 411
//   LENGTH_REQUIRED. Next enforces serverActions.bodySizeLimit (next.config.js) itself while
//   reading, but answers an action over it with a 500;
// - every page gets its security headers and a Content Security Policy with a fresh script
//   nonce, which Next reads from the request's copy of the policy (lib/http/security-headers.ts);
// - anonymous loads of package pages, the home page and /packages are served from the gallery's
//   page cache (lib/http/page-cache.ts) while the page's stamp is unchanged. A miss is rendered by
//   Next.js through a request from this server to its own listening address (never the address
//   the client named), carrying the cache's per-process render mark so that it is rendered rather
//   than intercepted again; the result is kept with the nonce it was rendered with, which each
//   response replaces with its own. Next.js offers no way to keep a page rendered with a
//   per-request nonce, nor to read a page's HTML inside the process, and caching only the view
//   model would leave the render (18-30 ms of CPU a page) on every request.
import { NextResponse, type NextRequest } from "next/server";
import { assertDeclaredLengthWithin, assertLengthDeclared } from "@/lib/http/body";
import { errorResponse } from "@/lib/http/errors";
import {
  cacheablePage,
  isAnonymousPageLoad,
  readPageStamp,
  type CacheablePage,
  type CacheOutcome,
  type CachedPage,
} from "@/lib/http/page-cache";
import {
  STATIC_SECURITY_HEADERS,
  contentSecurityPolicy,
  createNonce,
  nonceOfPolicy,
  withFreshNonce,
} from "@/lib/http/security-headers";
import { getDb, services } from "@/lib/services";

const RENDER_HEADER = "x-signet-render";
const CSP_HEADER = "content-security-policy";
const pageCache = services.pageCache;

function withSecurityHeaders(response: NextResponse, policy: string): NextResponse {
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) response.headers.set(name, value);
  response.headers.set(CSP_HEADER, policy);
  return response;
}

/** Renders the page as usual, with this response's nonce in the policy Next reads. */
function renderWithNonce(request: NextRequest): NextResponse {
  const policy = contentSecurityPolicy(createNonce());
  const headers = new Headers(request.headers);
  headers.delete(RENDER_HEADER);
  headers.set(CSP_HEADER, policy);
  return withSecurityHeaders(NextResponse.next({ request: { headers } }), policy);
}

function cachedResponse(page: CachedPage, outcome: CacheOutcome): NextResponse {
  const nonce = createNonce();
  const response = new NextResponse(withFreshNonce(page.html, page.renderedNonce, nonce), {
    status: page.status,
    headers: { "Content-Type": page.contentType, "X-Signet-Cache": outcome },
  });
  return withSecurityHeaders(response, contentSecurityPolicy(nonce));
}

/**
 * This server's own address, as Next.js records it once listening (start-server.ts sets PORT, and
 * the full origin for its render workers); null before that (then pages render as usual).
 */
function ownOrigin(): string | null {
  const origin = process.env.__NEXT_PRIVATE_ORIGIN;
  if (origin) return origin;
  return process.env.PORT ? `http://127.0.0.1:${process.env.PORT}` : null;
}

async function renderForCache(page: CacheablePage, stamp: string): Promise<CachedPage | null> {
  const origin = ownOrigin();
  if (origin === null) return null;
  try {
    const rendered = await fetch(new URL(page.key, origin), {
      headers: { [RENDER_HEADER]: pageCache.renderMark, accept: "text/html" },
      redirect: "manual",
      cache: "no-store",
    });
    if (rendered.status !== 200 && rendered.status !== 404) return null;
    const contentType = rendered.headers.get("content-type") ?? "";
    const renderedNonce = nonceOfPolicy(rendered.headers.get(CSP_HEADER));
    if (!contentType.startsWith("text/html") || !renderedNonce) return null;
    return {
      stamp,
      storedAt: Date.now(),
      status: rendered.status,
      contentType,
      html: await rendered.text(),
      renderedNonce,
    };
  } catch {
    return null; // the server cannot reach its own address: render as usual
  }
}

const BROKEN_ADDRESS = "This address is not valid: it contains a broken percent-encoded character.";

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/** The NuGet V3 documents and downloads (/v3/…, /v3-flatcontainer/…). */
function isFeedPath(pathname: string): boolean {
  return pathname.startsWith("/v3/") || pathname.startsWith("/v3-flatcontainer/");
}

/** 413 for a server action (a POST to a page) that declares more than the gallery reads; 411 for one that declares nothing. */
function refusedActionBody(request: NextRequest): Response | null {
  if (request.method !== "POST") return null;
  try {
    assertLengthDeclared(request);
    assertDeclaredLengthWithin(request);
    return null;
  } catch (failure) {
    return errorResponse(failure);
  }
}

export async function proxy(request: NextRequest): Promise<Response> {
  const { pathname } = request.nextUrl;
  const feed = isFeedPath(pathname);
  if (!isDecodable(pathname)) {
    if (feed) return NextResponse.json({ error: { code: "INVALID_URL", message: BROKEN_ADDRESS } }, { status: 400 });
    return new NextResponse(`${BROKEN_ADDRESS}\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  if (feed) return NextResponse.next();
  const refusedBody = refusedActionBody(request);
  if (refusedBody) return refusedBody;
  // A client's copy of the header is no mark (a random value per process): its request is treated as any other.
  if (pageCache.isRenderMark(request.headers.get(RENDER_HEADER))) return renderWithNonce(request);
  const page = isAnonymousPageLoad(request) ? cacheablePage(request.nextUrl) : null;
  if (page === null) return renderWithNonce(request);

  const stamp = await readPageStamp(getDb(), page);
  const served = await pageCache.serve(page, stamp, Date.now(), () => renderForCache(page, stamp));
  return served ? cachedResponse(served.page, served.outcome) : renderWithNonce(request);
}

// Pages and feeds: API routes and Next's static files never fail on their addresses' encoding,
// carry no scripts to allow, and get the static headers from next.config.js.
export const config = { matcher: "/((?!api/|_next/static/|_next/image|favicon).*)" };
