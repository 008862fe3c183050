// Applies the hand-written SQL migrations in prisma/migrations/<dialect>/ in order.
// Prisma's schema engine cannot be downloaded on an offline machine, so the SQL is written by
// hand and test/db/schema-in-step.test.ts keeps it in step with prisma/schema.prisma.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { openRawConnection, type RawConnection } from "@/lib/db/raw";
import type { DatabaseDialect } from "@/lib/config";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

const MIGRATION_FILE = /^\d{4}_[a-z0-9_]+\.sql$/;
const TRACKING_TABLE = "_signet_migrations";

export function defaultMigrationsRoot(): string {
  return path.resolve("prisma/migrations");
}

export function readMigrations(root: string, dialect: DatabaseDialect): Migration[] {
  const dir = path.join(root, dialect);
  return readdirSync(dir)
    .filter((file) => MIGRATION_FILE.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(dir, file), "utf8");
      return {
        name: file.replace(/\.sql$/, ""),
        sql,
        checksum: createHash("sha256").update(sql).digest("hex"),
      };
    });
}

/** Migrates the database at `url`; returns the names of the migrations it applied. */
export async function migrateDatabase(
  url: string,
  migrationsRoot: string = defaultMigrationsRoot(),
): Promise<string[]> {
  const connection = await openRawConnection(url);
  try {
    return await applyMigrations(connection, readMigrations(migrationsRoot, connection.dialect));
  } finally {
    await connection.close();
  }
}

export async function applyMigrations(connection: RawConnection, migrations: readonly Migration[]): Promise<string[]> {
  await connection.exec(
    `CREATE TABLE IF NOT EXISTS "${TRACKING_TABLE}" (
       "name" TEXT PRIMARY KEY,
       "checksum" TEXT NOT NULL,
       "appliedAt" TEXT NOT NULL
     )`,
  );
  const applied: string[] = [];
  for (const migration of migrations) {
    // Each migration runs in its own transaction together with its tracking row, and the
    // "already applied?" check happens under the lock, so two migrators never apply one twice.
    const didApply = await connection.transaction(async () => {
      if (connection.dialect === "postgresql") {
        await connection.exec(`LOCK TABLE "${TRACKING_TABLE}" IN EXCLUSIVE MODE`);
      }
      const [existing] = await connection.query(`SELECT "checksum" FROM "${TRACKING_TABLE}" WHERE "name" = $1`, [
        migration.name,
      ]);
      if (existing) {
        if (existing.checksum !== migration.checksum) {
          throw new Error(
            `Migration ${migration.name} was changed after it was applied; add a new migration instead of editing it.`,
          );
        }
        return false;
      }
      await connection.exec(migration.sql);
      await connection.query(`INSERT INTO "${TRACKING_TABLE}" ("name", "checksum", "appliedAt") VALUES ($1, $2, $3)`, [
        migration.name,
        migration.checksum,
        new Date().toISOString(),
      ]);
      return true;
    });
    if (didApply) applied.push(migration.name);
  }
  return applied;
}
