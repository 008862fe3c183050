// What the push and feed tests share: a throwaway storage folder behind the app's getStorage()
// (with NEXTAUTH_URL cleared, so absolute URLs follow the request), accounts by username, and
// API keys for them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, vi } from "vitest";
import type { Db } from "@/lib/db";
import type { ApiKeyScope } from "@/lib/validation/rules/api-key";
import { forgetServices } from "@/test/support/services";

/** Registers hooks that point SIGNET_STORAGE_DIR at a fresh folder; returns the folder's path. */
export function useScratchStorage(): string {
  const storageDir = mkdtempSync(path.join(tmpdir(), "signet-push-storage-"));
  beforeAll(() => {
    vi.stubEnv("SIGNET_STORAGE_DIR", storageDir);
    vi.stubEnv("NEXTAUTH_URL", "");
    forgetServices("storage");
  });
  afterAll(() => {
    forgetServices("storage");
    rmSync(storageDir, { recursive: true, force: true });
  });
  return storageDir;
}

/** One account per username (email <name>@example.test); returns their ids by username. */
export async function createAccounts<Name extends string>(
  db: Db,
  usernames: readonly Name[],
): Promise<Record<Name, string>> {
  const ids = {} as Record<Name, string>;
  for (const username of usernames)
    ids[username] = (await db.user.create({ data: { email: `${username}@example.test`, username } })).id;
  return ids;
}

/** A one-day key's secret for the account. Imported when called, so it is the app's current module. */
export async function createKeySecret(
  db: Db,
  userId: string,
  scopes: ApiKeyScope[] = ["push"],
  packageGlob = "*",
): Promise<string> {
  const { createApiKey } = await import("@/lib/api-keys/registry");
  return (await createApiKey(db, userId, { name: "test", scopes, packageGlob, expiresInDays: 1 })).secret;
}
