import { describe, expect, it } from "vitest";
import type { NextConfig } from "next";
import {
  STATIC_SECURITY_HEADERS,
  contentSecurityPolicy,
  createNonce,
  nonceOfPolicy,
  withFreshNonce,
} from "./security-headers";

describe("page security headers", () => {
  it("allows scripts only with this response's nonce, and no framing", () => {
    const nonce = createNonce();
    const policy = contentSecurityPolicy(nonce, false);
    expect(policy).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic';`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain("unsafe-eval");
    expect(policy.split("; ").find((directive) => directive.startsWith("script-src"))).not.toContain("unsafe-inline");
    expect(nonceOfPolicy(policy)).toBe(nonce);
    expect(nonceOfPolicy("default-src 'self'")).toBeNull();
    expect(createNonce()).not.toBe(nonce);
  });

  it("gives a cached page's HTML the new nonce everywhere the old one was", () => {
    const rendered = createNonce();
    const fresh = createNonce();
    const html = `<script nonce="${rendered}">a</script><script nonce="${rendered}" src="/_next/x.js"></script>{"nonce":"${rendered}"}`;
    const served = withFreshNonce(html, rendered, fresh);
    expect(served).not.toContain(rendered);
    expect(served.split(fresh)).toHaveLength(4);
  });

  it("next.config.js sends the same static headers to the responses the proxy does not see", async () => {
    // @ts-expect-error next.config.js is plain JavaScript without declarations
    const nextConfig = (await import("@/next.config.js")).default as NextConfig;
    const rules = await nextConfig.headers!();
    const all = rules.find((rule) => rule.source === "/:path*");
    expect(Object.fromEntries((all?.headers ?? []).map((header) => [header.key, header.value]))).toEqual(
      STATIC_SECURITY_HEADERS,
    );
  });
});
