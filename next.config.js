/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Lets several builds (e.g. parallel browser-test runs) live side by side in one checkout.
  distDir: process.env.SIGNET_NEXT_DIST_DIR || ".next",
  // Native and driver modules are loaded by Node at run time rather than bundled.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg"],
  // Type errors are a test step of their own (`tsc --noEmit` in scripts/test-all.sh), so a type
  // slip in one test file does not also block the build and every browser test behind it.
  typescript: { ignoreBuildErrors: true },
  experimental: {
    // Lets requireAdmin() answer with the 403 page through forbidden().
    authInterrupts: true,
  },
};

export default nextConfig;
