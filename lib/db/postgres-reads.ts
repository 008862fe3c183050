// Reads of PostgreSQL through node-postgres itself, on a pool of their own. Prisma Client's
// $queryRaw passes each statement through its query interpreter and the driver adapter, and maps
// every value of every row twice: about half a millisecond of Node's CPU per statement, as much as
// some of a search's statements cost the server (a search at 500k packages spent 3.5-4.7 ms of Node
// against 2.0-2.9 here, for the same three statements). The rows are given as Prisma gives them:
// int8 as bigint, timestamps as Dates (stored as UTC, as Prisma writes them), JSON parsed.
// Writes, and reads inside a transaction, stay on Prisma's connections.
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

export class PostgresReadPool {
  private pool: pg.Pool | null = null;

  constructor(private readonly url: string) {}

  /** Runs one read-only statement (`$1`-numbered placeholders); rows keyed by column name. */
  async query(text: string, values: readonly unknown[]): Promise<Row[]> {
    // Opened on the first read, so a client that only writes never connects twice; idle
    // connections do not keep the process alive (a CLI ends when its work does).
    this.pool ??= new pg.Pool({ connectionString: this.url, allowExitOnIdle: true });
    const result = await this.pool.query<Row>({ text, values: values.map(bindable), types });
    return result.rows;
  }

  /** Closes the connections; the next read opens them again, as Prisma's client reconnects after $disconnect. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.end();
  }
}
