// A plain SQL connection to either database, for the few jobs Prisma Client cannot do:
// applying hand-written migrations and introspecting the resulting tables.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseDialect, sqliteFilePath, type DatabaseDialect } from "@/lib/config";

export type Row = Record<string, unknown>;

export interface RawConnection {
  readonly dialect: DatabaseDialect;
  /** Runs a script of one or more statements. */
  exec(sql: string): Promise<void>;
  /** Runs one statement; placeholders are `$1, $2...` on both dialects. */
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs `work` inside one transaction that takes the write lock at once. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openRawConnection(url: string): Promise<RawConnection> {
  return databaseDialect(url) === "postgresql" ? openPostgres(url) : openSqlite(url);
}

function openSqlite(url: string): RawConnection {
  const file = sqliteFilePath(url);
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  // PostgreSQL numbers placeholders ($1, $2); better-sqlite3 binds plain "?" in order, so
  // each $n becomes "?" and the values are laid out in the order the placeholders appear.
  const toSqlite = (sql: string, params: readonly unknown[]) => ({
    sql: sql.replace(/\$\d+/g, "?"),
    values: [...sql.matchAll(/\$(\d+)/g)].map((match) => params[Number(match[1]) - 1]),
  });
  return {
    dialect: "sqlite",
    async exec(sql) {
      db.exec(sql);
    },
    async query(sql, params = []) {
      const { sql: sqliteSql, values } = toSqlite(sql, params);
      const statement = db.prepare(sqliteSql);
      if (!statement.reader) {
        statement.run(...values);
        return [];
      }
      return statement.all(...values) as Row[];
    },
    async transaction(work) {
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = await work();
        db.exec("COMMIT");
        return result;
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    },
    async close() {
      db.close();
    },
  };
}

async function openPostgres(url: string): Promise<RawConnection> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    dialect: "postgresql",
    async exec(sql) {
      await client.query(sql);
    },
    async query(sql, params = []) {
      const result = await client.query(sql, [...params]);
      return result.rows as Row[];
    },
    async transaction(work) {
      await client.query("BEGIN");
      try {
        const result = await work();
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
    async close() {
      await client.end();
    },
  };
}
