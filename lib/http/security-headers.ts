// The browser-side protections every page carries (issue 14): a Content Security Policy whose
// scripts are allowed by a per-response nonce (Next.js reads it from the policy the proxy puts
// on the request and stamps it on its own scripts), no framing by any other page, no MIME
// sniffing, and no full URLs leaking to other sites in Referer.
//
// Cached package pages (lib/http/page-cache.ts) are HTML rendered once with one nonce. Serving
// that nonce again would let anyone who has seen one copy predict it, so each cached copy keeps
// the nonce it was rendered with and every response swaps it for a fresh one. The rendered
// nonce is 128 random bits chosen after the page's content was written, so no package text can
// contain it by design or chance.
import { randomBytes } from "node:crypto";

/** Headers for every response, pages and API alike (next.config.js and the proxy both use them). */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "strict-origin-when-cross-origin",
};

export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The policy for a page. Styles may be inline (React writes style attributes and Next inlines
 * critical CSS); scripts only with the nonce, and what they load ('strict-dynamic'). Next's
 * development server needs eval for its error overlay. Images from any https: host, because
 * readmes show their badges and logos from wherever the author hosts them (as nuget.org and
 * GitHub do); the readme sanitizer lets only https: image addresses through.
 */
export function contentSecurityPolicy(nonce: string, development = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const NONCE_SOURCE = /'nonce-([A-Za-z0-9+/=]{16,64})'/;

/** The nonce a policy allows, or null. */
export function nonceOfPolicy(policy: string | null): string | null {
  return policy ? (NONCE_SOURCE.exec(policy)?.[1] ?? null) : null;
}

/** A cached page's HTML with the nonce it was rendered with replaced by this response's. */
export function withFreshNonce(html: string, renderedNonce: string, nonce: string): string {
  return html.replaceAll(renderedNonce, nonce);
}
