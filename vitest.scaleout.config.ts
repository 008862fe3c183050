import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The scaled-out deployment tests (test/scaleout): they start `next start` several times, so they
// need a production build and a PostgreSQL server (TEST_POSTGRES_URL), and run as a step of their
// own in scripts/test-all.sh after `next build`. vitest.config.ts leaves them out.
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["test/scaleout/**/*.test.ts"],
    environment: "node",
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
