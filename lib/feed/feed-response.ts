// How the V3 read endpoints answer: JSON, gzip-encoded where the hive is a gzip hive and the
// client accepts it, and cacheable by anyone (nothing in them depends on who asks) but always
// revalidated: the ETag is the gallery revision (raised by database triggers with any change a
// document could show, lib/db/revision.ts), so an unlisted version or a compromised signer
// shows on the next request while an unchanged document costs a 304.

import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";

// Part of every ETag, so a new server build (which may shape documents differently) never
// answers 304 for a document an older one produced.
const SERVER_STARTED = Date.now().toString(36);

export const FEED_CACHE_CONTROL = "public, no-cache";

/** Whether Accept-Encoding allows gzip (by name or "*", with a non-zero q). */
export function acceptsGzip(request: Request): boolean {
  const header = request.headers.get("accept-encoding") ?? "";
  return header.split(",").some((part) => {
    const [name = "", ...parameters] = part.split(";").map((piece) => piece.trim().toLowerCase());
    if (name !== "gzip" && name !== "*") return false;
    const quality = parameters.find((parameter) => parameter.startsWith("q="));
    return quality === undefined || Number.parseFloat(quality.slice(2)) > 0;
  });
}

export interface FeedResponseOptions {
  /** The gallery revision the document was read at. */
  revision: number;
  /** The public origin the document's URLs are built on. */
  origin: string;
  /** A gzip hive: encode when the client accepts it. */
  gzip?: boolean;
}

function entityTag(options: FeedResponseOptions, encoding: string): string {
  const variant = createHash("sha256").update(`${options.origin}\n${encoding}`).digest("hex").slice(0, 12);
  return `"${options.revision}-${SERVER_STARTED}-${variant}"`;
}

function matches(request: Request, tag: string): boolean {
  const header = request.headers.get("if-none-match");
  if (header === null) return false;
  return header.split(",").some((candidate) => {
    const trimmed = candidate.trim();
    return trimmed === "*" || trimmed === tag || trimmed === `W/${tag}`;
  });
}

/** The tag a response to this request would carry, to answer 304 before building the document. */
export function notModified(request: Request, options: FeedResponseOptions): Response | null {
  const encoding = options.gzip && acceptsGzip(request) ? "gzip" : "identity";
  const tag = entityTag(options, encoding);
  if (!matches(request, tag)) return null;
  return new Response(null, { status: 304, headers: cacheHeaders(options, tag) });
}

function cacheHeaders(options: FeedResponseOptions, tag: string): Headers {
  const headers = new Headers({ "Cache-Control": FEED_CACHE_CONTROL, ETag: tag });
  if (options.gzip) headers.set("Vary", "Accept-Encoding");
  return headers;
}

export function feedJson(request: Request, document: unknown, options: FeedResponseOptions): Response {
  const gzip = options.gzip === true && acceptsGzip(request);
  const headers = cacheHeaders(options, entityTag(options, gzip ? "gzip" : "identity"));
  headers.set("Content-Type", "application/json; charset=utf-8");
  const text = JSON.stringify(document);
  if (!gzip) return new Response(text, { headers });
  headers.set("Content-Encoding", "gzip");
  return new Response(new Uint8Array(gzipSync(text)), { headers });
}
