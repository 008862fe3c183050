// The one database client of the gallery. SQLite (a file under ./data) is the embedded default;
// a postgres:// DATABASE_URL switches to PostgreSQL. Prisma 7 talks to both through driver
// adapters, with one generated client per provider.
import { PrismaPg } from "@prisma/adapter-pg";
import { databaseDialect, sqliteFilePath, sqliteReadThreads } from "@/lib/config";
import { PrismaClient as PostgresPrismaClient } from "@/generated/prisma/postgresql/client";
import { Prisma, PrismaClient as SqlitePrismaClient } from "@/generated/prisma/sqlite/client";
import type { TransactionClient } from "@/generated/prisma/sqlite/internal/prismaNamespace";
import type { DatabaseDialect } from "@/lib/config";
import { PostgresReadPool, type ReadOptions } from "./postgres-reads";
import type { Row } from "./raw";
import { SqliteReadPool } from "./read-pool";
import { GallerySqliteAdapter } from "./sqlite-adapter";

/**
 * The client type callers see. Both clients come from the same schema.prisma and have the same
 * API; the SQLite one's type stands for both so callers never branch on the database.
 */
export type Db = SqlitePrismaClient;

/** The client or a transaction's client: what code that may run inside a transaction takes. */
export type DbClient = Db | TransactionClient;

/**
 * Which database a client talks to, for the few queries written per dialect (search). Both
 * generated clients, and their transaction clients, name their provider.
 */
export function dialectOf(db: DbClient): DatabaseDialect {
  const provider = (db as unknown as { _activeProvider?: string })._activeProvider;
  if (provider === "postgresql" || provider === "postgres") return "postgresql";
  if (provider === "sqlite") return "sqlite";
  throw new Error(`Unknown database provider ${String(provider)}.`);
}

/**
 * `column IN (values)` with the values bound as one JSON parameter rather than one parameter
 * each: the statement's text is then the same whatever their number, so a prepared statement is
 * reused (statement-cache.ts), and the client converts one parameter instead of hundreds (a
 * search page's reservation lookup binds every prefix of 20 IDs: 600 of them cost 0.8 ms).
 */
export function inJsonList(
  db: DbClient,
  column: Prisma.Sql,
  values: readonly string[] | readonly number[],
  type: "text" | "bigint",
): Prisma.Sql {
  const list = JSON.stringify(values);
  if (dialectOf(db) === "sqlite") return Prisma.sql`${column} IN (SELECT "value" FROM json_each(${list}))`;
  return Prisma.sql`${column} IN (SELECT CAST(jsonb_array_elements_text(${list}::jsonb) AS ${Prisma.raw(type)}))`;
}

/** A client's own way of reading: read threads on SQLite (read-pool.ts), a node-postgres pool on PostgreSQL (postgres-reads.ts). */
interface Reader {
  query(statement: Prisma.Sql, options: ReadOptions): Promise<Row[]>;
  close(): Promise<void>;
}

const readers = new WeakMap<object, Reader>();

/** Disconnecting the client closes its reader too; like the client, the reader opens again on the next read. */
function withReader<T extends { $disconnect(): Promise<void> }>(client: T, reader: Reader): T {
  readers.set(client, reader);
  const disconnect = client.$disconnect.bind(client);
  client.$disconnect = async () => {
    await reader.close();
    await disconnect();
  };
  return client;
}

export function createDb(url: string): Db {
  if (databaseDialect(url) === "postgresql") {
    // Same models and methods, generated for another provider: the cast only renames the type.
    const client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
    const pool = new PostgresReadPool(url);
    return withReader(client, {
      query: (statement, options) => pool.query(statement.text, statement.values, options),
      close: () => pool.close(),
    });
  }
  const file = sqliteFilePath(url);
  const client = new SqlitePrismaClient({
    // SQLite has one writer at a time; a publish waits for the one before it. better-sqlite3's
    // default busy timeout (5 s) turned that wait into a 500 on a loaded machine.
    // Its connections keep their prepared statements and begin transactions IMMEDIATE (sqlite-adapter.ts).
    adapter: new GallerySqliteAdapter({ url: `file:${file}`, timeout: 30_000 }),
  });
  const threads = sqliteReadThreads();
  if (threads === 0) return client;
  const pool = new SqliteReadPool(file, threads);
  return withReader(client, {
    query: (statement) => pool.query(statement.sql, statement.values),
    close: () => pool.close(),
  });
}

/**
 * A read-only statement: on the client's own reader (SQLite's read threads, so concurrent searches
 * run in parallel; PostgreSQL's pool, which costs Node a fraction of Prisma's path); inside a
 * transaction (whose client has no reader, and whose writes only its own connection sees), through
 * Prisma. Rows come as the driver gives them: on SQLite, numbers for integers and booleans, text
 * for times. `options` are PostgreSQL's reader's (postgres-reads.ts ReadOptions); SQLite's read
 * threads keep every statement prepared already (statement-cache.ts).
 */
export function readQuery<T>(db: DbClient, query: Prisma.Sql, options: ReadOptions = {}): Promise<T[]> {
  const reader = readers.get(db);
  return reader ? (reader.query(query, options) as Promise<T[]>) : db.$queryRaw<T[]>(query);
}

// The gallery process's one client is built in the composition root (lib/services.ts getDb).
