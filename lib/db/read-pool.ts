// Reads of the SQLite database on worker threads, each with its own connection that only reads. SQLite
// runs on the thread that calls it, so through Prisma's adapter every query of the gallery ran on
// the one thread of the Node process: ten concurrent searches waited for each other on one core
// while the others idled, and the event loop stood still during each. A search's statements are
// most of its cost (80% at 500k packages), so they run here instead, in parallel (WAL lets readers
// of one file run side by side, each seeing what was committed when its statement began).
// Writes, and reads inside a transaction, stay on Prisma's connection.
import { Worker } from "node:worker_threads";
import type { Row } from "./raw";

/**
 * The threads stop after this long without a read, and start again on the next (40-80 ms), so a
 * gallery searched now and then does not keep them, nor pay that start on every search.
 */
const IDLE_MS = 5 * 60_000;

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
// Opened for reading and writing, then refused writes: a read-only connection cannot create the
// WAL's shared-memory file, which is missing until the database's first connection opens it.
const db = new Database(workerData.file, { fileMustExist: true, timeout: 30000 });
db.pragma("query_only = 1");
const statements = new Map();
function prepare(sql) {
  let statement = statements.get(sql);
  if (statement) statements.delete(sql);
  else statement = db.prepare(sql);
  statements.set(sql, statement);
  if (statements.size > workerData.cachedStatements) statements.delete(statements.keys().next().value);
  return statement;
}
parentPort.on("message", ({ sql, values }) => {
  try {
    parentPort.postMessage({ rows: prepare(sql).all(...values) });
  } catch (error) {
    parentPort.postMessage({ error: { message: String(error && error.message), code: error && error.code } });
  }
});
`;

interface Read {
  sql: string;
  values: unknown[];
  resolve(rows: Row[]): void;
  reject(error: Error): void;
}

interface Reader {
  worker: Worker;
  /** The read the thread is running: one at a time, so a read waits for the first free thread, not behind a busy one. */
  running: Read | null;
}

/** The values as Prisma's better-sqlite3 adapter binds them (its mapArg). */
function bindable(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  return value;
}

export class SqliteReadPool {
  private readonly readers: Reader[] = [];
  private readonly waiting: Read[] = [];
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly file: string,
    private readonly threads: number,
    private readonly idleMs = IDLE_MS,
  ) {}

  /** Runs one read-only statement on the first free thread; rows as better-sqlite3 gives them. */
  query(sql: string, values: readonly unknown[]): Promise<Row[]> {
    // A read cancels the wait for idle threads to stop (dispatch starts it again).
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    return new Promise<Row[]>((resolve, reject) => {
      this.waiting.push({ sql, values: values.map(bindable), resolve, reject });
      this.dispatch();
    });
  }

  /** How many threads are started (they stop when idle). */
  threadsRunning(): number {
    return this.readers.length;
  }

  /** Stops the threads; reads not yet answered fail. */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const stopped = new Error("The database read threads were stopped.");
    for (const read of this.waiting.splice(0)) read.reject(stopped);
    const readers = this.readers.splice(0);
    await Promise.all(readers.map((reader) => reader.worker.terminate()));
  }

  /**
   * Hands waiting reads to free threads, starting threads up to the limit; with nothing left to
   * read, starts the wait after which idle threads stop (a new read cancels it).
   */
  private dispatch(): void {
    while (this.waiting.length > 0) {
      const reader =
        this.readers.find((candidate) => candidate.running === null) ??
        (this.readers.length < this.threads ? this.start() : null);
      if (!reader) return;
      const read = this.waiting.shift() as Read;
      reader.running = read;
      // A thread with a read under way keeps the process alive until it is answered.
      reader.worker.ref();
      reader.worker.postMessage({ sql: read.sql, values: read.values });
    }
    if (this.idleTimer || this.readers.length === 0 || this.readers.some((reader) => reader.running !== null)) return;
    this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
    this.idleTimer.unref();
  }

  private start(): Reader {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: this.file, cachedStatements: 500 },
    });
    // A thread waiting for work must not keep the process alive (a CLI or a test ends when its work does).
    worker.unref();
    const reader: Reader = { worker, running: null };
    worker.on("message", (message: { rows?: Row[]; error?: { message: string; code?: string } }) => {
      const read = reader.running;
      reader.running = null;
      worker.unref();
      if (message.error) read?.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      else read?.resolve(message.rows ?? []);
      this.dispatch();
    });
    const fail = (error: Error) => {
      reader.running?.reject(error);
      reader.running = null;
      const index = this.readers.indexOf(reader);
      if (index >= 0) this.readers.splice(index, 1);
      this.dispatch();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`The database read thread stopped (exit code ${code}).`)));
    this.readers.push(reader);
    return reader;
  }
}
