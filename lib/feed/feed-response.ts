// How the V3 read endpoints answer: JSON, cacheable by anyone (nothing in them depends on who
// asks) but always revalidated. The ETag is the gallery revision (raised by database triggers
// with any change a document could show, lib/db/revision.ts), so an unlisted version or a
// compromised signer shows on the next request while an unchanged document costs a 304.
//
// Compression is the server's: `next start` gzips JSON responses for clients that accept it
// (and strips any Content-Encoding a route handler sets), which is how the /3.4.0 and /3.6.0
// registration hives reach NuGet clients gzip-encoded, as nuget.org serves them.

import { createHash } from "node:crypto";

// Part of every ETag, so a new server build (which may shape documents differently) never
// answers 304 for a document an older one produced.
const SERVER_STARTED = Date.now().toString(36);

export const FEED_CACHE_CONTROL = "public, no-cache";

export interface FeedResponseOptions {
  /** The gallery revision the document was read at. */
  revision: number;
  /** The public origin the document's URLs are built on. */
  origin: string;
}

function entityTag(options: FeedResponseOptions): string {
  const origin = createHash("sha256").update(options.origin).digest("hex").slice(0, 12);
  return `"${options.revision}-${SERVER_STARTED}-${origin}"`;
}

/** Whether the request's If-None-Match names the entity tag (weakly or strongly, or "*"). */
export function requestHoldsEntity(request: Request, tag: string): boolean {
  const header = request.headers.get("if-none-match");
  if (header === null) return false;
  return header.split(",").some((candidate) => {
    const trimmed = candidate.trim();
    return trimmed === "*" || trimmed === tag || trimmed === `W/${tag}`;
  });
}

function cacheHeaders(tag: string): Headers {
  return new Headers({ "Cache-Control": FEED_CACHE_CONTROL, ETag: tag, Vary: "Accept-Encoding" });
}

/** 304 when the client holds this revision's document, to answer before building it; else null. */
export function notModified(request: Request, options: FeedResponseOptions): Response | null {
  const tag = entityTag(options);
  return requestHoldsEntity(request, tag) ? new Response(null, { status: 304, headers: cacheHeaders(tag) }) : null;
}

export function feedJson(document: unknown, options: FeedResponseOptions): Response {
  const headers = cacheHeaders(entityTag(options));
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(document), { headers });
}
