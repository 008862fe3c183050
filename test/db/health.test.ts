// GET /api/health's report, against real (and deliberately broken) database and storage.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { migrateDatabase } from "@/lib/db/migrate";
import { createScratchDatabase, testDialects, type ScratchDatabase } from "@/test/db/scratch";
import { closeServices } from "@/test/support/services";

// The composition root (lib/services.ts) keeps the database client and storage; each check starts from fresh ones.

describe.each(testDialects())("checkHealth on %s", (dialect) => {
  let dir: string;
  const scratches: ScratchDatabase[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "signet-health-"));
  });

  afterEach(async () => {
    await closeServices();
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  afterAll(async () => {
    await Promise.all(scratches.map((scratch) => scratch.drop()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function scratchDatabase(): Promise<ScratchDatabase> {
    const scratch = await createScratchDatabase(dialect);
    scratches.push(scratch);
    return scratch;
  }

  async function checkWith(databaseUrl: string, storageDir: string) {
    vi.resetModules();
    vi.stubEnv("DATABASE_URL", databaseUrl);
    vi.stubEnv("SIGNET_STORAGE_DIR", storageDir);
    const { checkHealth } = await import("@/lib/http/health");
    const { getDb, getStorage } = await import("@/lib/services");
    return checkHealth(getDb, getStorage);
  }

  it("reports ok when the migrated database and the storage folder can be used", async () => {
    const database = await scratchDatabase();
    await migrateDatabase(database.url);
    expect(await checkWith(database.url, path.join(dir, "packages"))).toEqual({
      status: "ok",
      database: { ok: true, dialect },
      storage: { ok: true },
    });
  });

  it("reports each unusable part without leaking names or error details", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const notAFolder = path.join(dir, "file-not-folder");
    writeFileSync(notAFolder, "x");
    // An unmigrated database has no tables; storage under a plain file cannot be created.
    const unmigrated = await scratchDatabase();
    expect(await checkWith(unmigrated.url, path.join(notAFolder, "packages"))).toEqual({
      status: "unavailable",
      database: { ok: false, error: "database unreachable", dialect },
      storage: { ok: false, error: "storage unreachable" },
    });
    expect(log).toHaveBeenCalledTimes(2);
  });
});
