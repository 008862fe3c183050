// What the push and feed tests share: a throwaway storage folder behind the app's getStorage()
// (with NEXTAUTH_URL cleared, so absolute URLs follow the request), and accounts by username.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, vi } from "vitest";
import type { Db } from "@/lib/db";

const singletons = globalThis as { signetStorage?: unknown };

/** Registers hooks that point SIGNET_STORAGE_DIR at a fresh folder; returns the folder's path. */
export function useScratchStorage(): string {
  const storageDir = mkdtempSync(path.join(tmpdir(), "signet-push-storage-"));
  beforeAll(() => {
    vi.stubEnv("SIGNET_STORAGE_DIR", storageDir);
    vi.stubEnv("NEXTAUTH_URL", "");
    delete singletons.signetStorage;
  });
  afterAll(() => {
    delete singletons.signetStorage;
    rmSync(storageDir, { recursive: true, force: true });
  });
  return storageDir;
}

/** One account per username (email <name>@example.test); returns their ids by username. */
export async function createAccounts<Name extends string>(db: Db, usernames: readonly Name[]): Promise<Record<Name, string>> {
  const ids = {} as Record<Name, string>;
  for (const username of usernames) ids[username] = (await db.user.create({ data: { email: `${username}@example.test`, username } })).id;
  return ids;
}
