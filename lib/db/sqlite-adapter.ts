// The gallery's SQLite driver adapter: Prisma's better-sqlite3 adapter with two changes to its
// connections, each explained where it is made.
import Database from "better-sqlite3";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { cacheStatements } from "./statement-cache";

/**
 * Makes the connection's transactions begin IMMEDIATE, taking the write lock at once. The adapter
 * begins them DEFERRED: a transaction that reads, then writes after another process (a script, a
 * second instance, a test writing to the gallery's file) committed, fails at once with
 * SQLITE_BUSY, SQLite's busy timeout notwithstanding, because its snapshot is stale; a publish
 * then failed with a 500. Begun IMMEDIATE it waits for the other writer instead (up to the busy
 * timeout). The adapter already runs one transaction at a time on its one connection, so nothing
 * in the process waits longer for it.
 */
export function beginTransactionsImmediately(client: Database.Database): void {
  const prepare = client.prepare.bind(client);
  Object.assign(client, {
    prepare: (sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql),
  });
}

/** PrismaBetterSqlite3 whose connections keep their prepared statements and begin transactions IMMEDIATE. */
export class GallerySqliteAdapter extends PrismaBetterSqlite3 {
  override async connect(): ReturnType<PrismaBetterSqlite3["connect"]> {
    const adapter = await super.connect();
    // The adapter keeps its better-sqlite3 connection as `client`; it declares no type for it.
    const client = (adapter as unknown as { client?: unknown }).client;
    if (!(client instanceof Database))
      throw new Error(
        "The SQLite driver adapter no longer keeps its connection as `client` (lib/db/sqlite-adapter.ts).",
      );
    cacheStatements(client);
    beginTransactionsImmediately(client);
    return adapter;
  }
}
