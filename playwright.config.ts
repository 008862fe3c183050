// End-to-end tests in Debian's Chromium against `next start` (run `next build` first), on a
// throwaway SQLite database and storage folder that the web server command migrates and seeds.
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3210);
const dataDir = process.env.E2E_DATA_DIR ?? path.join(tmpdir(), `signet-e2e-${port}`);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    headless: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    },
  },
  projects: [{ name: "chromium" }],
  webServer: {
    // A fresh database every run, so tests never depend on what an earlier run left behind.
    command: `rm -rf "${dataDir}" && npx tsx scripts/db/migrate.ts && npx tsx scripts/db/seed.ts && npx next start -p ${port} -H 127.0.0.1`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    env: {
      DATABASE_URL: `file:${path.join(dataDir, "signet.db")}`,
      SIGNET_DATA_DIR: dataDir,
      SIGNET_STORAGE_DIR: path.join(dataDir, "packages"),
      NEXTAUTH_URL: baseURL,
      GITHUB_ID: "",
      GITHUB_SECRET: "",
    },
  },
});
