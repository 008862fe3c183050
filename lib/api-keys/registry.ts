// API keys on accounts: create (the secret is returned once and only its hash is kept), list,
// revoke, and authenticate a secret presented by a client. Every function that changes or
// lists keys takes the acting user's id, so one account never reaches another's keys.
import type { Db } from "@/lib/db";
import { IssueError, warning, type Issue } from "@/lib/issues";
import { apiKeyAllows, type ApiKeyGrant, type ApiKeyScope } from "@/lib/validation/rules/api-key";
import { API_KEY_SCOPES, type ApiKeyCreationRequest } from "./request";
import { displayedKeyPrefix, generateApiKeySecret, hashApiKeySecret, isWellFormedApiKeySecret } from "./secret";

export type ApiKeyState = "active" | "expired" | "revoked";

/** A key as its owner sees it in lists: everything but the secret. */
export interface ApiKeySummary {
  id: string;
  name: string;
  keyPrefix: string;
  scopes: ApiKeyScope[];
  packageGlob: string;
  state: ApiKeyState;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKey {
  apiKey: ApiKeySummary;
  /** The whole key; shown to its owner this once and never again. */
  secret: string;
}

/** Who presented a key, and what the key allows (checked per action by apiKeyAllows). */
export interface AuthenticatedApiKey {
  user: { id: string; username: string };
  grant: ApiKeyGrant & { id: string };
  /** A trusted-publishing key's provenance (JSON), recorded on what it publishes. */
  provenance?: string | null;
}

const DAY_MS = 86_400_000;
/** nuget.org starts warning this long before a key expires (NuGet docs, Scoped API keys). */
export const EXPIRY_WARNING_DAYS = 10;

interface ApiKeyRow {
  id: string;
  name: string;
  keyPrefix: string;
  scopes: string;
  packageGlob: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const SUMMARY_FIELDS = {
  id: true,
  name: true,
  keyPrefix: true,
  scopes: true,
  packageGlob: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/** The stored comma-separated scopes; names this version does not know grant nothing. */
export function parseStoredScopes(stored: string): ApiKeyScope[] {
  const names = stored.split(",").map((name) => name.trim());
  return API_KEY_SCOPES.filter((scope) => names.includes(scope));
}

export function apiKeyState(key: { expiresAt: Date; revokedAt: Date | null }, now: Date): ApiKeyState {
  if (key.revokedAt) return "revoked";
  return key.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}

function toSummary(row: ApiKeyRow, now: Date): ApiKeySummary {
  return {
    id: row.id,
    name: row.name,
    keyPrefix: row.keyPrefix,
    scopes: parseStoredScopes(row.scopes),
    packageGlob: row.packageGlob,
    state: apiKeyState(row, now),
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function createApiKey(
  db: Db,
  userId: string,
  request: ApiKeyCreationRequest,
  now = new Date(),
): Promise<CreatedApiKey> {
  const secret = generateApiKeySecret();
  const row = await db.apiKey.create({
    data: {
      userId,
      name: request.name,
      keyPrefix: displayedKeyPrefix(secret),
      keyHash: hashApiKeySecret(secret),
      scopes: request.scopes.join(","),
      packageGlob: request.packageGlob,
      createdAt: now,
      expiresAt: new Date(now.getTime() + request.expiresInDays * DAY_MS),
    },
    select: SUMMARY_FIELDS,
  });
  return { apiKey: toSummary(row, now), secret };
}

/** The user's keys, newest first, revoked and expired ones included (marked by `state`). */
export async function listApiKeys(db: Db, userId: string, now = new Date()): Promise<ApiKeySummary[]> {
  const rows = await db.apiKey.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, select: SUMMARY_FIELDS });
  return rows.map((row) => toSummary(row, now));
}

/** Revokes one of the user's keys at once; revoking a revoked key keeps the first revocation time. */
export async function revokeApiKey(db: Db, userId: string, keyId: string, now = new Date()): Promise<ApiKeySummary> {
  // updateMany with the owner in the filter: another account's key id behaves like an unknown one.
  await db.apiKey.updateMany({ where: { id: keyId, userId, revokedAt: null }, data: { revokedAt: now } });
  const row = await db.apiKey.findFirst({ where: { id: keyId, userId }, select: SUMMARY_FIELDS });
  if (!row) throw new IssueError("API_KEY_NOT_FOUND", "There is no such API key on your account.");
  return toSummary(row, now);
}

/** A warning for a key that still works but expires within EXPIRY_WARNING_DAYS; none otherwise. */
export function expiringKeyWarnings(key: { expiresAt: Date }, now: Date): Issue[] {
  if (key.expiresAt.getTime() - now.getTime() > EXPIRY_WARNING_DAYS * DAY_MS) return [];
  return [
    warning(
      "API_KEY_EXPIRING",
      `This API key expires on ${key.expiresAt.toISOString().slice(0, 10)}; create a new key on your account's API keys page before then.`,
    ),
  ];
}

/**
 * Why the key itself no longer works (revoked or expired), whatever it is used for. Asking
 * apiKeyAllows on behalf of a grant with every scope over every ID leaves exactly those checks,
 * so the sentences are the upload rules' own.
 */
function keyValidityIssue(key: { expiresAt: Date; revokedAt: Date | null }, now: Date): IssueError | null {
  const [issue] = apiKeyAllows(
    { ...key, scopes: API_KEY_SCOPES, packageGlob: "*" },
    { action: "push-new", packageId: "any", now },
  );
  return issue ? new IssueError(issue.code, issue.message) : null;
}

/**
 * The account and grant behind a presented secret, or an IssueError: API_KEY_MISSING,
 * API_KEY_INVALID, API_KEY_REVOKED or API_KEY_EXPIRED (answered with 401, as NuGet clients
 * expect for a key that does not work) or ACCOUNT_LOCKED (403). Records when the key was used.
 */
export async function authenticateApiKey(
  db: Db,
  secret: string | null,
  now = new Date(),
): Promise<AuthenticatedApiKey> {
  if (!secret) {
    throw new IssueError(
      "API_KEY_MISSING",
      "This request needs an API key: pass it with -k (or --api-key); create one on your account's API keys page.",
    );
  }
  const key = isWellFormedApiKeySecret(secret)
    ? await db.apiKey.findUnique({
        where: { keyHash: hashApiKeySecret(secret) },
        select: {
          id: true,
          scopes: true,
          packageGlob: true,
          expiresAt: true,
          revokedAt: true,
          singleUse: true,
          provenance: true,
          user: { select: { id: true, username: true, lockedAt: true } },
        },
      })
    : null;
  if (!key)
    throw new IssueError(
      "API_KEY_INVALID",
      "The API key is not valid: check that you copied the whole key, or create a new one.",
    );
  const invalid = keyValidityIssue(key, now);
  if (invalid) throw invalid;
  if (key.user.lockedAt)
    throw new IssueError(
      "ACCOUNT_LOCKED",
      `The account '${key.user.username}' is locked, so its API keys cannot be used.`,
    );
  if (key.singleUse) {
    // Conditional, so of two requests with one single-use key only one gets through.
    const used = await db.apiKey.updateMany({
      where: { id: key.id, usedAt: null },
      data: { usedAt: now, lastUsedAt: now },
    });
    if (used.count !== 1) {
      throw new IssueError(
        "API_KEY_REVOKED",
        "This trusted-publishing API key was already used: such a key pushes once. Exchange a new OIDC token for a new key.",
      );
    }
  } else await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } });
  return {
    user: { id: key.user.id, username: key.user.username },
    grant: {
      id: key.id,
      scopes: parseStoredScopes(key.scopes),
      packageGlob: key.packageGlob,
      expiresAt: key.expiresAt,
      revokedAt: key.revokedAt,
    },
    provenance: key.provenance,
  };
}
