// The cross-site request forgery guard for every change made with the session cookie. A browser
// attaches the cookie to requests that other sites start (a form, an image, fetch with
// credentials), and "same-site" includes other ports and sibling subdomains, so SameSite=Lax
// alone does not stop them. Two checks, both of which browsers make impossible to fake from a
// page on another origin:
// - the request comes from a page of this origin: `Origin` equals it, or, when a browser sends
//   no Origin, `Sec-Fetch-Site: same-origin`;
// - a body is JSON (`application/json` needs a CORS preflight, which this gallery never grants),
//   or multipart for the upload route, which needs a file; bodyless requests carry no type.
// Requests signed with an API key (X-NuGet-ApiKey) never read the cookie, so they are not
// subject to this; next-auth's own endpoints carry its double-submit CSRF token.
import { IssueError } from "@/lib/issues";

export type MutationBody = "json" | "multipart";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The origins this gallery is served at: the configured public URL and the one this request
 * named (Next.js fills X-Forwarded-Host and -Proto from the connection when no proxy did).
 */
export function siteOrigins(headers: Headers, requestUrl?: string): Set<string> {
  const url = requestUrl ? new URL(requestUrl) : null;
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? url?.host;
  const protocol = headers.get("x-forwarded-proto")?.concat(":") ?? url?.protocol ?? "http:";
  const origins = new Set(host ? [`${protocol}//${host}`] : []);
  const configured = process.env.NEXTAUTH_URL;
  if (configured) {
    try {
      origins.add(new URL(configured).origin);
    } catch {
      // A malformed NEXTAUTH_URL is next-auth's to report; the request's own origin still counts.
    }
  }
  return origins;
}

function mediaType(request: Request): string | null {
  const header = request.headers.get("content-type");
  if (header === null) return null;
  return (header.split(";")[0] ?? "").trim().toLowerCase();
}

function hasBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  if (length !== null) return length.trim() !== "0";
  return request.headers.has("transfer-encoding") || mediaType(request) !== null;
}

/**
 * Throws CROSS_SITE_REQUEST (403) or UNSUPPORTED_MEDIA_TYPE (415) unless a state-changing
 * request provably comes from this site's own pages. Safe methods pass untouched.
 */
export function assertSameOriginMutation(request: Request, body: MutationBody = "json"): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const origin = request.headers.get("origin");
  const fetchSite = request.headers.get("sec-fetch-site");
  const sameOrigin =
    origin !== null ? siteOrigins(request.headers, request.url).has(origin) : fetchSite === "same-origin";
  if (!sameOrigin) {
    throw new IssueError(
      "CROSS_SITE_REQUEST",
      "This change must come from a page of this gallery (the request's Origin is missing or belongs to another site). Use the gallery's pages, or an API key for scripts.",
    );
  }
  if (!hasBody(request)) return;
  const type = mediaType(request);
  const expected = body === "json" ? "application/json" : "multipart/form-data";
  if (type !== expected) {
    throw new IssueError(
      "UNSUPPORTED_MEDIA_TYPE",
      `This request's body must be ${expected}${type ? `, not ${type}` : ""}.`,
    );
  }
}
