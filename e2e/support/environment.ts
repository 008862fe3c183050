// Where the e2e gallery keeps its data and where its test PKI lives. Shared by
// playwright.config.ts (which starts the servers) and the specs (which sign packages and
// sometimes write to the database), so both always agree.
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const e2ePort = Number(process.env.E2E_PORT ?? 3210);
export const e2eBaseUrl = `http://127.0.0.1:${e2ePort}`;
/**
 * What a browser adds to a page's own fetch: Playwright's API client sends no Origin, and the
 * gallery refuses cookie-authenticated changes without one (lib/http/same-origin.ts).
 */
export const sameOriginHeaders = { Origin: e2eBaseUrl };
export const e2eDataDir = process.env.E2E_DATA_DIR ?? path.join(tmpdir(), `signet-e2e-${e2ePort}`);
export const e2eDatabaseUrl = `file:${path.join(e2eDataDir, "signet.db")}`;
/** Beside the data folder, not in it: the gallery's start command wipes the data folder. */
export const e2ePkiDir = `${e2eDataDir}-pki`;
export const e2eTimestampPort = e2ePort + 1;
export const e2eTimestampUrl = `http://127.0.0.1:${e2eTimestampPort}/`;
/** The stand-in CI system's OIDC issuer (test/support/oidc-issuer.ts), with GitHub Actions' claims. */
export const e2eOidcPort = e2ePort + 2;
export const e2eOidcIssuerUrl = `http://127.0.0.1:${e2eOidcPort}`;

export const E2E_PKI_FILES = {
  codeSigningRoot: path.join(e2ePkiDir, "code-signing-root.pem"),
  codeSigningRootKey: path.join(e2ePkiDir, "code-signing-root-key.pem"),
  timestampingRoot: path.join(e2ePkiDir, "timestamping-root.pem"),
  timestampKey: path.join(e2ePkiDir, "tsa-key.pem"),
  timestampChain: path.join(e2ePkiDir, "tsa-chain.pem"),
  /** The OverlaySdk (test/support/dotnet.ts) as JSON; absent when dotnet is not installed. */
  dotnetOverlay: path.join(e2ePkiDir, "dotnet-overlay.json"),
};

/** The e2e roots plus the usual bundles that exist here, so real nuget.org packages verify too. */
export function trustedRootFiles(e2eRoot: string, defaults: readonly (string | null)[]): string {
  return [e2eRoot, ...defaults.filter((file): file is string => file !== null && existsSync(file))].join(
    path.delimiter,
  );
}
