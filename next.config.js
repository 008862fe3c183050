/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // NuGet clients push to the PackagePublish URL with a slash appended ("/api/v2/package/").
  // Next's automatic trailing-slash redirect would answer 308 and the client would then upload
  // the whole package a second time, so that redirect is declared here for every other path.
  skipTrailingSlashRedirect: true,
  // lib/http/security-headers.ts's STATIC_SECURITY_HEADERS, for responses the proxy does not see
  // (API routes, feeds, static files); pages get them, with their CSP, from proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
    ];
  },
  async redirects() {
    return [{ source: "/:path((?!api/v2/package/?$)(?:[^/]+/)*[^/]+)/", destination: "/:path", permanent: true }];
  },
  // Lets several builds (e.g. parallel browser-test runs) live side by side in one checkout.
  distDir: process.env.SIGNET_NEXT_DIST_DIR || ".next",
  // Native and driver modules are loaded by Node at run time rather than bundled.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "pg",
    "@prisma/adapter-pg",
    "pg-boss",
    "@azure/storage-blob",
  ],
  // Type errors are a test step of their own (`tsc --noEmit` in scripts/test-all.sh), so a type
  // slip in one test file does not also block the build and every browser test behind it.
  typescript: { ignoreBuildErrors: true },
  experimental: {
    // Lets requireAdmin() answer with the 403 page through forbidden().
    authInterrupts: true,
    // Server action forms (sign-up, package management) are small: lib/http/body.ts's
    // MAX_BODY_BYTES, which route handlers apply to their JSON bodies, holds for them too.
    serverActions: { bodySizeLimit: "64kb" },
  },
};

export default nextConfig;
