// Reads of PostgreSQL through node-postgres itself, on a pool of their own. Prisma Client's
// $queryRaw passes each statement through its query interpreter and the driver adapter, and maps
// every value of every row twice: about half a millisecond of Node's CPU per statement, as much as
// some of a search's statements cost the server (a search at 500k packages spent 3.5-4.7 ms of Node
// against 2.0-2.9 here, for the same three statements). The rows are given as Prisma gives them:
// int8 as bigint, timestamps as Dates (stored as UTC, as Prisma writes them), JSON parsed.
// Writes, and reads inside a transaction, stay on Prisma's connections.
// A statement whose plan is the same whatever its values (ReadOptions.samePlanForAnyValues) is
// prepared once on each connection, by a name its text gives, and its plan kept: PostgreSQL plans
// an unnamed statement anew on every run, and a search page's statement (what twenty hits show)
// cost more to plan than to run. Interleaved with the other statements of a search on one
// connection, as a search runs them, a search of "Fabrikam.Extensions.Abs" at 500k packages cost
// the server 13.3-13.7 ms unnamed, 12.0-12.2 with every statement prepared but planned anew
// (plan_cache_mode force_custom_plan), and 7.7 with that one statement's plan kept. Only such
// statements: a plan kept for other values of a statement whose plan depends on them (a count
// over words, a range of IDs) took 121-415 ms a run where one planned with its values took 1-5.
import { createHash } from "node:crypto";
import pg from "pg";
import type { Row } from "./raw";

const { builtins } = pg.types;

/** UTC time text as PostgreSQL prints it ("2026-12-01 20:49:14.123"), as a Date. */
function utcTime(text: string): Date {
  return new Date(`${text.replace(" ", "T")}Z`);
}

/** Result parsers that differ from node-postgres's own, which reads int8 as text and zone-less times in the process's zone. */
const PARSERS: Partial<Record<number, (text: string) => unknown>> = {
  [builtins.INT8]: (text) => BigInt(text),
  [builtins.TIMESTAMP]: utcTime,
  [builtins.DATE]: (text) => utcTime(`${text} 00:00:00`),
};

const types = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    (format !== "binary" && PARSERS[oid]) || pg.types.getTypeParser(oid, format),
} as pg.CustomTypesConfig;

/** A bound value as Prisma's adapter binds it: a time as UTC text (a zone-less column reads it as UTC), a bigint as text. */
function bindable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  return value;
}

/**
 * A connection holds at most this many prepared statements, each a plan in its server process;
 * one that would prepare another is closed instead, and the pool opens a fresh one. A search page
 * comes in a few dozen shapes (its words' number, the versions it shows, its order).
 */
export const PREPARED_PER_CONNECTION = 200;

/** The name a statement is prepared by on every connection: its text's digest. */
function statementName(text: string): string {
  return `read_${createHash("sha1").update(text).digest("hex")}`;
}

/**
 * A prepared statement that no longer fits its tables: one changed the type of a column it
 * returns since it was prepared ("cached plan must not change result type", feature_not_supported).
 */
function isStalePreparedStatement(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === "0A000";
}

export interface ReadOptions {
  /**
   * The statement's plan is the same whatever its values (rows read by primary key from a bound
   * list, expressions computed on each), so it is prepared on each connection and its plan kept.
   * PostgreSQL's default plan_cache_mode plans it with its values five times, then keeps the plan
   * made without them when that costs no more (it is the same plan).
   */
  samePlanForAnyValues?: boolean;
}

export class PostgresReadPool {
  private pool: pg.Pool | null = null;
  /** The statements each connection has prepared. */
  private readonly prepared = new WeakMap<pg.PoolClient, Set<string>>();

  constructor(
    private readonly url: string,
    private readonly preparedPerConnection = PREPARED_PER_CONNECTION,
  ) {}

  /** Runs one read-only statement (`$1`-numbered placeholders); rows keyed by column name. */
  async query(text: string, values: readonly unknown[], options: ReadOptions = {}): Promise<Row[]> {
    const pool = this.open();
    const config = { text, values: values.map(bindable), types };
    if (!options.samePlanForAnyValues) return (await pool.query<Row>(config)).rows;
    const name = statementName(text);
    try {
      return await this.runPrepared(pool, { ...config, name });
    } catch (error) {
      if (!isStalePreparedStatement(error)) throw error;
      // Every connection may hold the stale form: fresh ones prepare the statement anew.
      await this.close();
      return this.runPrepared(this.open(), { ...config, name });
    }
  }

  /** Closes the connections; the next read opens them again, as Prisma's client reconnects after $disconnect. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end();
  }

  private open(): pg.Pool {
    // Opened on the first read, so a client that only writes never connects twice; idle
    // connections do not keep the process alive (a CLI ends when its work does).
    this.pool ??= new pg.Pool({ connectionString: this.url, allowExitOnIdle: true });
    return this.pool;
  }

  private async runPrepared(pool: pg.Pool, config: pg.QueryConfig & { name: string }): Promise<Row[]> {
    let client = await pool.connect();
    let prepared = this.prepared.get(client) ?? new Set<string>();
    // Each full connection met is closed, so this ends once the pool opens a fresh one, if not before.
    while (!prepared.has(config.name) && prepared.size >= this.preparedPerConnection) {
      client.release(true);
      client = await pool.connect();
      prepared = this.prepared.get(client) ?? new Set<string>();
    }
    this.prepared.set(client, prepared);
    try {
      const result = await client.query<Row>(config);
      prepared.add(config.name);
      client.release();
      return result.rows;
    } catch (error) {
      // A failed statement may leave its connection with a stale or half-made statement: closed, not reused.
      client.release(true);
      throw error;
    }
  }
}
