// End-to-end tests in Debian's Chromium against `next start` (run `next build` first; set
// E2E_DEV=1 to use `next dev` instead), on a throwaway SQLite database and storage folder that
// the web server command migrates and seeds. A second server is the e2e timestamping
// authority; the PKI both use is made fresh each run by e2e/support/prepare-pki.ts.
import path from "node:path";
import { defineConfig } from "@playwright/test";

import { SYSTEM_CODE_SIGNING_BUNDLE, dotnetSdkBundle } from "./lib/trust";
import {
  E2E_PKI_FILES,
  e2eBaseUrl,
  e2eDataDir,
  e2eDatabaseUrl,
  e2eOidcIssuerUrl,
  e2eOidcPort,
  e2ePort,
  e2eTimestampPort,
  trustedRootFiles,
} from "./e2e/support/environment";

const nextCommand = process.env.E2E_DEV ? "dev" : "start";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: e2eBaseUrl,
    headless: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    },
  },
  projects: [{ name: "chromium" }],
  // Started in this order: the PKI exists before the gallery loads its trust store.
  webServer: [
    {
      command: `npx tsx e2e/support/prepare-pki.ts && npx tsx scripts/tsa.ts --port ${e2eTimestampPort} --key "${E2E_PKI_FILES.timestampKey}" --cert "${E2E_PKI_FILES.timestampChain}"`,
      port: e2eTimestampPort,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
    },
    {
      // The CI system trusted publishing accepts tokens from (GitHub Actions' claims).
      command: "npx tsx e2e/support/oidc-issuer-server.ts",
      port: e2eOidcPort,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
    },
    {
      // A fresh database every run, so tests never depend on what an earlier run left behind.
      // Sockets kept alive longer than the tests' pauses: with Node's 5 s default, a request sent on a
      // connection the server was just closing failed with ECONNRESET (seen in the admin spec).
      command: `rm -rf "${e2eDataDir}" && npx tsx scripts/db/migrate.ts && npx tsx scripts/db/seed.ts && npx next ${nextCommand} -p ${e2ePort} -H 127.0.0.1${nextCommand === "start" ? " --keepAliveTimeout 65000" : ""}`,
      url: `${e2eBaseUrl}/api/health`,
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: "pipe",
      env: {
        DATABASE_URL: e2eDatabaseUrl,
        SIGNET_DATA_DIR: e2eDataDir,
        SIGNET_STORAGE_DIR: path.join(e2eDataDir, "packages"),
        SIGNET_CODE_SIGNING_ROOTS: trustedRootFiles(E2E_PKI_FILES.codeSigningRoot, [
          SYSTEM_CODE_SIGNING_BUNDLE,
          dotnetSdkBundle("codesignctl.pem"),
        ]),
        SIGNET_TIMESTAMPING_ROOTS: trustedRootFiles(E2E_PKI_FILES.timestampingRoot, [
          dotnetSdkBundle("timestampctl.pem"),
        ]),
        NEXTAUTH_URL: e2eBaseUrl,
        // The specs talk to the server over loopback as a reverse proxy would: a spec that needs a
        // client address of its own names it in X-Forwarded-For, and only loopback is believed.
        SIGNET_TRUSTED_PROXIES: "loopback",
        // Downloads reach the pages within seconds (e2e/downloads.spec.ts), not the default 5 minutes.
        SIGNET_DOWNLOAD_ROLLUP_SECONDS: "2",
        SIGNET_TRUSTED_PUBLISHING_ISSUERS: e2eOidcIssuerUrl,
        GITHUB_ID: "",
        GITHUB_SECRET: "",
      },
    },
  ],
});
