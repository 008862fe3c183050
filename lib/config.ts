// Everything the gallery reads from its environment, in one place, with the defaults that
// make a fresh clone work without any configuration (SQLite and package files under ./data).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";

// Paths below come from the environment at run time; the turbopackIgnore hints stop Next's
// build from tracing (and shipping) the whole project because of them.

export type DatabaseDialect = "sqlite" | "postgresql";

export const DEFAULT_DATABASE_URL = "file:./data/signet.db";

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.SIGNET_DATA_DIR ?? "./data");
}

export function databaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

export function databaseDialect(url: string): DatabaseDialect {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgresql";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(`DATABASE_URL must be a file: URL (SQLite) or a postgres:// URL, got "${url.split(":")[0]}:..."`);
}

/** The SQLite file a `file:` URL names, resolved against the working directory. */
export function sqliteFilePath(url: string): string {
  const file = url.slice("file:".length).split("?")[0] ?? "";
  if (file === "") throw new Error("DATABASE_URL file: URL names no file");
  return path.resolve(/*turbopackIgnore: true*/ file);
}

export function storageDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.SIGNET_STORAGE_DIR ?? path.join(dataDir(), "packages"));
}

export interface AzureBlobSettings {
  connectionString: string;
  packagesContainer: string;
  quarantineContainer: string;
}

// Azure's container naming rule: 3-63 lower-case letters, digits and single hyphens, starting
// and ending with a letter or digit.
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

function containerSetting(name: string, fallback: string): string {
  const value = process.env[name] || fallback;
  if (!CONTAINER_NAME.test(value)) {
    throw new Error(
      `${name} must be an Azure container name (3-63 lower-case letters, digits and single hyphens), got "${value}"`,
    );
  }
  return value;
}

/**
 * Azure Blob Storage for package files, switched on by SIGNET_AZURE_STORAGE_CONNECTION_STRING
 * (an account key or SAS connection string). Published packages and pending previews go to
 * SIGNET_AZURE_PACKAGES_CONTAINER ("packages"), refused uploads kept for review to
 * SIGNET_AZURE_QUARANTINE_CONTAINER ("quarantine"). Uploads in flight are still staged under
 * the local storage folder. Null means the local folder holds everything (the default).
 */
export function azureBlobSettings(): AzureBlobSettings | null {
  const connectionString = process.env.SIGNET_AZURE_STORAGE_CONNECTION_STRING;
  if (!connectionString) return null;
  const settings = {
    connectionString,
    packagesContainer: containerSetting("SIGNET_AZURE_PACKAGES_CONTAINER", "packages"),
    quarantineContainer: containerSetting("SIGNET_AZURE_QUARANTINE_CONTAINER", "quarantine"),
  };
  if (settings.packagesContainer === settings.quarantineContainer) {
    throw new Error(
      "SIGNET_AZURE_PACKAGES_CONTAINER and SIGNET_AZURE_QUARANTINE_CONTAINER must name different containers: quarantine is kept apart from served packages.",
    );
  }
  return settings;
}

/** nuget.org caps requests at 250 MB in IIS (maxAllowedContentLength 262,144,000 bytes). */
export const DEFAULT_PACKAGE_SIZE_LIMIT = 250 * 1024 * 1024;

/**
 * The largest package an upload may be, in bytes: SIGNET_MAX_PACKAGE_BYTES, else nuget.org's
 * 250 MB. A value that is not a positive whole number is a configuration mistake, so it stops
 * the server rather than silently falling back.
 */
export function maxPackageBytes(): number {
  return wholeNumberSetting("SIGNET_MAX_PACKAGE_BYTES", DEFAULT_PACKAGE_SIZE_LIMIT, 1, "bytes");
}

/** How often the background job rolls counted downloads up into the totals pages and search show: SIGNET_DOWNLOAD_ROLLUP_SECONDS, default 300. */
export function downloadRollUpSeconds(): number {
  return wholeNumberSetting("SIGNET_DOWNLOAD_ROLLUP_SECONDS", 300, 1, "seconds");
}

/** How often a server appends the downloads it counted in memory: SIGNET_DOWNLOAD_FLUSH_MS, default 1000. */
export function downloadFlushMs(): number {
  return wholeNumberSetting("SIGNET_DOWNLOAD_FLUSH_MS", 1000, 1, "milliseconds");
}

/**
 * How many threads read a SQLite database for searches (lib/db/read-pool.ts):
 * SIGNET_SQLITE_READ_THREADS, default the machine's cores up to 4; 0 reads on the server's own thread.
 */
export function sqliteReadThreads(): number {
  return wholeNumberSetting("SIGNET_SQLITE_READ_THREADS", Math.min(availableParallelism(), 4), 0, "threads");
}

/** A whole-number setting; anything else is a configuration mistake that stops the server. */
function wholeNumberSetting(name: string, fallback: number, minimum: number, unit: string): number {
  const configured = process.env[name];
  if (configured === undefined || configured === "") return fallback;
  const value = Number(configured);
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new Error(`${name} must be a whole number of ${unit}, at least ${minimum}, got "${configured}"`);
  }
  return value;
}

export interface QuarantineLimits {
  /** The most bytes of one account's refused files kept in quarantine at once. */
  bytesPerAccount: number;
  /** The most refused files of one account kept in any hour. */
  filesPerHour: number;
}

/**
 * How much of its refused uploads one account may leave in quarantine: SIGNET_QUARANTINE_BYTES
 * (default 256 MiB) and SIGNET_QUARANTINE_FILES_PER_HOUR (default 20). Past either, a refused
 * upload keeps its record and reasons but not its file, so garbage pushes cannot fill the disk.
 */
export function quarantineLimits(): QuarantineLimits {
  return {
    bytesPerAccount: wholeNumberSetting("SIGNET_QUARANTINE_BYTES", 256 * 1024 * 1024, 0, "bytes"),
    filesPerHour: wholeNumberSetting("SIGNET_QUARANTINE_FILES_PER_HOUR", 20, 0, "files"),
  };
}

export interface GitHubOAuthConfig {
  clientId: string;
  clientSecret: string;
}

/** GitHub sign-in is switched on only when both variables are set. */
export function githubOAuthConfig(): GitHubOAuthConfig | null {
  const clientId = process.env.GITHUB_ID;
  const clientSecret = process.env.GITHUB_SECRET;
  return clientId && clientSecret ? { clientId, clientSecret } : null;
}

/**
 * The contents of a generated secret file in the data folder, made once with `generate` when
 * missing. "wx" keeps the first writer's file if two processes start at once.
 */
export function generatedDataFile(name: string, generate: () => string): string {
  const file = path.join(dataDir(), name);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, generate(), { flag: "wx", mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return readFileSync(file, "utf8").trim();
}

/** The gallery's public address (NEXTAUTH_URL), as people and clients reach it. */
export function publicUrl(): string {
  return process.env.NEXTAUTH_URL || "http://localhost:3000";
}

/**
 * The reverse proxies whose X-Forwarded-For entries are believed when deciding a client's address
 * (SIGNET_TRUSTED_PROXIES: addresses, CIDR ranges, or `loopback` / `linklocal` / `uniquelocal`,
 * comma-separated). Unset trusts none: the address is the connection's own.
 */
export function trustedProxies(): string {
  return process.env.SIGNET_TRUSTED_PROXIES ?? "";
}

/**
 * The service index URL the gallery's repository signatures name (nuget-v3-service-index-url),
 * which consumers put in `<repository serviceIndex=...>`. NuGet accepts only an https URL there,
 * so a gallery served over plain http (development) signs with the same address over https;
 * a deployment serves the gallery over https, and then this is exactly its service index.
 */
export function repositoryServiceIndexUrl(): string {
  const url = new URL("/v3/index.json", publicUrl());
  url.protocol = "https:";
  return url.toString();
}

/**
 * The key that signs session tokens. A deployment sets NEXTAUTH_SECRET; otherwise one is
 * generated once into the data folder, so a fresh machine never runs with a well-known secret
 * and sessions survive restarts.
 */
export function authSecret(): string {
  return process.env.NEXTAUTH_SECRET || generatedDataFile("secret", () => randomBytes(32).toString("base64url"));
}

/** GitHub Actions' OIDC issuer: what trusted-publishing policies name by default. */
export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";
/** GitLab.com's OIDC issuer (a self-managed GitLab's is its own URL). */
export const GITLAB_COM_ISSUER = "https://gitlab.com";

/** Which CI system's claims an issuer's tokens carry. */
export type CiPlatform = "github" | "gitlab";

export interface TrustedIssuer {
  url: string;
  platform: CiPlatform;
}

function issuerList(value: string, platform: CiPlatform): TrustedIssuer[] {
  return value
    .split(",")
    .map((issuer) => issuer.trim().replace(/\/+$/, ""))
    .filter((issuer) => issuer !== "")
    .map((url) => ({ url, platform }));
}

/**
 * Trusted publishing: the OIDC issuers whose tokens are accepted and the audience tokens must
 * name (SIGNET_TRUSTED_PUBLISHING_AUDIENCE; default the gallery's public URL). Issuers with
 * GitHub Actions' claims: SIGNET_TRUSTED_PUBLISHING_ISSUERS (comma-separated; default GitHub
 * Actions). Issuers with GitLab's claims: SIGNET_TRUSTED_PUBLISHING_GITLAB_ISSUERS (comma-separated
 * GitLab instance URLs, self-managed ones included; default https://gitlab.com; set it empty to
 * accept no GitLab).
 */
export function trustedPublishingSettings(): { issuers: TrustedIssuer[]; audience: string } {
  const issuers = [
    ...issuerList(process.env.SIGNET_TRUSTED_PUBLISHING_ISSUERS || GITHUB_ACTIONS_ISSUER, "github"),
    ...issuerList(process.env.SIGNET_TRUSTED_PUBLISHING_GITLAB_ISSUERS ?? GITLAB_COM_ISSUER, "gitlab"),
  ];
  return { issuers, audience: process.env.SIGNET_TRUSTED_PUBLISHING_AUDIENCE || publicUrl() };
}
