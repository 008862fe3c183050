import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

// Unit tests sit beside the code they test (lib/**/*.test.ts, app/**/*.test.ts); tests that need a
// database, the dotnet CLI or a running server live under test/.
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["lib/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts", "app/**/*.test.ts"],
    // They start production servers: a step of their own after the build (vitest.scaleout.config.ts).
    exclude: [...configDefaults.exclude, "test/scaleout/**"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
