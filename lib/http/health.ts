// What GET /api/health reports: whether the database and the package storage can be used.
import { databaseDialect, databaseUrl } from "@/lib/config";
import type { Db } from "@/lib/db";
import type { PackageStorage } from "@/lib/storage";

export interface ComponentHealth {
  ok: boolean;
  error?: string;
}

export interface HealthReport {
  status: "ok" | "unavailable";
  database: ComponentHealth & { dialect: string };
  storage: ComponentHealth;
}

async function probe(name: string, check: () => Promise<unknown>): Promise<ComponentHealth> {
  try {
    await check();
    return { ok: true };
  } catch (error) {
    // The detail may name hosts or paths: it goes to the log, the response says only "unreachable".
    console.error(`[signet] health check: ${name} unreachable`, error);
    return { ok: false, error: `${name} unreachable` };
  }
}

/** `db` and `storage` are asked for inside the probes, so a client that cannot be built reports as unreachable too. */
export async function checkHealth(db: () => Db, storage: () => PackageStorage): Promise<HealthReport> {
  const [database, files] = await Promise.all([
    // Reading a real table also proves the migrations have been applied.
    probe("database", () => db().user.count()),
    probe("storage", () => storage().checkWritable()),
  ]);
  return {
    status: database.ok && files.ok ? "ok" : "unavailable",
    database: { ...database, dialect: databaseDialect(databaseUrl()) },
    storage: files,
  };
}
