// Throwaway databases for the database tests: a fresh SQLite file always, and a fresh
// PostgreSQL database when TEST_POSTGRES_URL names a server the tests may create databases on.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, vi } from "vitest";
import type { DatabaseDialect } from "@/lib/config";
import { createDb, type Db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { closeServices } from "@/test/support/services";

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * The dialects the database tests run on: SQLite always, PostgreSQL when TEST_POSTGRES_URL is
 * set. TEST_DB_DIALECTS=postgresql narrows a run to one (scripts/test-all.sh runs each once).
 */
export function testDialects(): DatabaseDialect[] {
  const available: DatabaseDialect[] = process.env.TEST_POSTGRES_URL ? ["sqlite", "postgresql"] : ["sqlite"];
  const requested = process.env.TEST_DB_DIALECTS?.split(",").map((name) => name.trim());
  if (!requested) return available;
  const unavailable = requested.filter((name) => !available.includes(name as DatabaseDialect));
  if (unavailable.length > 0) {
    throw new Error(
      `TEST_DB_DIALECTS asks for ${unavailable.join(", ")}, which this environment does not provide (set TEST_POSTGRES_URL).`,
    );
  }
  return available.filter((dialect) => requested.includes(dialect));
}

export async function createScratchDatabase(dialect: DatabaseDialect): Promise<ScratchDatabase> {
  return dialect === "postgresql" ? createPostgresDatabase() : createSqliteDatabase();
}

function createSqliteDatabase(): ScratchDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), "signet-db-"));
  return {
    url: `file:${path.join(dir, "test.db")}`,
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPostgresDatabase(): Promise<ScratchDatabase> {
  const serverUrl = process.env.TEST_POSTGRES_URL;
  if (!serverUrl) throw new Error("TEST_POSTGRES_URL is not set");
  const name = `signet_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Registers beforeAll/afterAll hooks that give the surrounding describe block a freshly
 * migrated database of the dialect; call the returned function inside tests to reach it.
 */
export function useMigratedDatabase(dialect: DatabaseDialect): () => Db {
  let scratch: ScratchDatabase | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    scratch = await createScratchDatabase(dialect);
    await migrateDatabase(scratch.url);
    db = createDb(scratch.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
  });
  return () => {
    if (!db) throw new Error("useMigratedDatabase: the database is only available inside tests");
    return db;
  };
}

/**
 * For tests that drive the app's own modules (route handlers, session helpers), which reach the
 * database through getDb() and the environment: registers hooks that migrate a scratch
 * database, point DATABASE_URL at it, drop the cached client and reset the module registry.
 * Import the modules under test in a later beforeAll, so they see this environment.
 */
export function useAppDatabase(dialect: DatabaseDialect): () => Db {
  let scratch: ScratchDatabase | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    scratch = await createScratchDatabase(dialect);
    await migrateDatabase(scratch.url);
    vi.stubEnv("DATABASE_URL", scratch.url);
    vi.stubEnv("NEXTAUTH_SECRET", "test-secret");
    await closeServices();
    vi.resetModules();
    db = (await import("@/lib/services")).getDb();
  });
  afterAll(async () => {
    // The job queue the app's modules started (pg-boss holds connections of its own), then the
    // downloads the app's routes counted (into this database, never the next one), then the database.
    await closeServices();
    vi.unstubAllEnvs();
    await scratch?.drop();
  });
  return () => {
    if (!db) throw new Error("useAppDatabase: the database is only available inside tests");
    return db;
  };
}
