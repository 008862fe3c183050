// Reads of the SQLite database on worker threads, each with its own read-only connection. SQLite
// runs on the thread that calls it, so through Prisma's adapter every query of the gallery ran on
// the one thread of the Node process: ten concurrent searches waited for each other on one core
// while the others idled, and the event loop stood still during each. A search's statements are
// most of its cost (80% at 500k packages), so they run here instead, in parallel (WAL lets readers
// of one file run side by side, each seeing what was committed when its statement began).
// Writes, and reads inside a transaction, stay on Prisma's connection.
import { Worker } from "node:worker_threads";
import type { Row } from "./raw";

/** The threads stop after this long without a read, so a database no longer read (tests make hundreds) holds none. */
const IDLE_MS = 10_000;

/**
 * The worker's code, evaluated rather than loaded from a file, so that bundlers (next build) need
 * not know of it: better-sqlite3 is resolved from the directory the process runs in, as the
 * gallery's own code resolves it. It keeps its prepared statements, most recently used last (see
 * statement-cache.ts), and binds values as Prisma's adapter does.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { createRequire } = require("node:module");
const path = require("node:path");
const Database = createRequire(path.join(process.cwd(), "package.json"))("better-sqlite3");
const db = new Database(workerData.file, { readonly: true, fileMustExist: true, timeout: 30000 });
const statements = new Map();
function prepare(sql) {
  let statement = statements.get(sql);
  if (statement) statements.delete(sql);
  else statement = db.prepare(sql);
  statements.set(sql, statement);
  if (statements.size > workerData.cachedStatements) statements.delete(statements.keys().next().value);
  return statement;
}
parentPort.on("message", ({ id, sql, values }) => {
  try {
    parentPort.postMessage({ id, rows: prepare(sql).all(...values) });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String(error && error.message), code: error && error.code } });
  }
});
`;

interface Pending {
  resolve(rows: Row[]): void;
  reject(error: Error): void;
}

interface Reader {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** The values as Prisma's better-sqlite3 adapter binds them (its mapArg). */
function bindable(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  return value;
}

export class SqliteReadPool {
  private readonly readers: Reader[] = [];
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly file: string,
    private readonly threads: number,
    private readonly idleMs = IDLE_MS,
  ) {}

  /** Runs one read-only statement on the least busy thread; rows as better-sqlite3 gives them. */
  query(sql: string, values: readonly unknown[]): Promise<Row[]> {
    const reader = this.leastBusy();
    const id = this.nextId++;
    this.touch();
    return new Promise<Row[]>((resolve, reject) => {
      // A thread with reads under way keeps the process alive until they are answered.
      if (reader.pending.size === 0) reader.worker.ref();
      reader.pending.set(id, { resolve, reject });
      reader.worker.postMessage({ id, sql, values: values.map(bindable) });
    });
  }

  /** How many threads are started (they stop when idle). */
  threadsRunning(): number {
    return this.readers.length;
  }

  /** Stops the threads (reads still waiting fail). */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const readers = this.readers.splice(0);
    await Promise.all(readers.map((reader) => reader.worker.terminate()));
  }

  private leastBusy(): Reader {
    const idle = this.readers.find((reader) => reader.pending.size === 0);
    if (idle) return idle;
    if (this.readers.length < this.threads) return this.start();
    return this.readers.reduce((best, reader) => (reader.pending.size < best.pending.size ? reader : best));
  }

  private start(): Reader {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: this.file, cachedStatements: 500 },
    });
    // A thread waiting for work must not keep the process alive (a CLI or a test ends when its work does).
    worker.unref();
    const reader: Reader = { worker, pending: new Map() };
    worker.on("message", (message: { id: number; rows?: Row[]; error?: { message: string; code?: string } }) => {
      const pending = reader.pending.get(message.id);
      if (!pending) return;
      reader.pending.delete(message.id);
      if (reader.pending.size === 0) reader.worker.unref();
      if (message.error) pending.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      else pending.resolve(message.rows ?? []);
    });
    const fail = (error: Error) => {
      for (const pending of reader.pending.values()) pending.reject(error);
      reader.pending.clear();
      const index = this.readers.indexOf(reader);
      if (index >= 0) this.readers.splice(index, 1);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`The database read thread stopped (exit code ${code}).`)));
    this.readers.push(reader);
    return reader;
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.readers.some((reader) => reader.pending.size > 0)) return this.touch();
      void this.close();
    }, this.idleMs);
    this.idleTimer.unref();
  }
}
