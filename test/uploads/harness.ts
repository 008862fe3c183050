// What the upload tests share: a migrated scratch database, a package storage folder that is
// also the staging root (SIGNET_STORAGE_DIR), accounts, and a way to stage package bytes as if
// they had just arrived over HTTP.

import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, vi } from "vitest";
import type { DatabaseDialect } from "@/lib/config";
import type { Db } from "@/lib/db";
import { LocalFolderStorage } from "@/lib/storage/local-folder";
import { receivePackageStream, type ReceivedPackage } from "@/lib/uploads/receive";
import { useMigratedDatabase } from "@/test/db/scratch";
import { services } from "@/lib/services";

export const TEST_SIZE_LIMIT = 10 * 1024 * 1024;

export interface UploadHarness {
  db(): Db;
  storage(): LocalFolderStorage;
  /** Every file under the storage root, as storage keys, sorted. */
  storedFiles(): Promise<string[]>;
  stage(bytes: Uint8Array): Promise<ReceivedPackage>;
  createUser(username: string, role?: "USER" | "ADMIN"): Promise<string>;
}

async function listFiles(root: string, folder = ""): Promise<string[]> {
  const entries = await readdir(path.join(root, folder), { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((entry) => {
      const key = folder === "" ? entry.name : `${folder}/${entry.name}`;
      return entry.isDirectory() ? listFiles(root, key) : Promise.resolve([key]);
    }),
  );
  return nested.flat().sort();
}

export function useUploadHarness(dialect: DatabaseDialect): UploadHarness {
  const db = useMigratedDatabase(dialect);
  let root: string | undefined;
  let storage: LocalFolderStorage | undefined;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "signet-uploads-"));
    storage = new LocalFolderStorage(root);
    vi.stubEnv("SIGNET_STORAGE_DIR", root);
    vi.stubEnv("SIGNET_MAX_PACKAGE_BYTES", String(TEST_SIZE_LIMIT));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    if (root) await rm(root, { recursive: true, force: true });
  });
  const storageRoot = () => {
    if (!root) throw new Error("useUploadHarness: only available inside tests");
    return root;
  };
  return {
    db,
    storage() {
      if (!storage) throw new Error("useUploadHarness: only available inside tests");
      return storage;
    },
    storedFiles: () => listFiles(storageRoot()),
    stage: (bytes) =>
      receivePackageStream(Readable.from([Buffer.from(bytes)]), {
        maxBytes: TEST_SIZE_LIMIT,
        staging: services.staging,
      }),
    async createUser(username, role = "USER") {
      const user = await db().user.create({ data: { email: `${username}@example.test`, username, role } });
      return user.id;
    },
  };
}
