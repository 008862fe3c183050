// What GET /api/health reports: whether the database and the package storage can be used.
import { databaseDialect, databaseUrl } from "@/lib/config";
import { getDb } from "@/lib/db";
import { getStorage } from "@/lib/storage";

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

export async function checkHealth(): Promise<HealthReport> {
  const [database, storage] = await Promise.all([
    // Reading a real table also proves the migrations have been applied.
    probe("database", () => getDb().user.count()),
    probe("storage", () => getStorage().checkWritable()),
  ]);
  return {
    status: database.ok && storage.ok ? "ok" : "unavailable",
    database: { ...database, dialect: databaseDialect(databaseUrl()) },
    storage,
  };
}
