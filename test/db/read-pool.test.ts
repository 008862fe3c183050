import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Prisma } from "@/generated/prisma/sqlite/client";
import { createDb, readQuery, type Db } from "@/lib/db";
import { sqliteFilePath } from "@/lib/config";
import { SqliteReadPool } from "@/lib/db/read-pool";
import { createScratchDatabase, type ScratchDatabase } from "./scratch";

/** A statement that keeps its thread busy for a while: a count to `n` through a recursive CTE. */
const slowCount = (n: number) =>
  `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${n}) SELECT count(*) AS "n" FROM c`;

describe("SQLite reads on worker threads", () => {
  let scratch: ScratchDatabase;
  let db: Db;
  let pool: SqliteReadPool;

  beforeAll(async () => {
    scratch = await createScratchDatabase("sqlite");
    db = createDb(scratch.url);
    await db.$executeRawUnsafe(`CREATE TABLE "Word" ("name" TEXT PRIMARY KEY, "length" INTEGER NOT NULL, "at" TEXT)`);
    pool = new SqliteReadPool(sqliteFilePath(scratch.url), 2, 200);
  });

  afterAll(async () => {
    await pool.close();
    await db.$disconnect();
    await scratch.drop();
  });

  it("reads what was committed, binding values as Prisma's adapter does", async () => {
    const at = new Date("2026-01-02T03:04:05.006Z");
    await db.$executeRaw`INSERT INTO "Word" ("name", "length", "at") VALUES (${"alpha"}, ${5}, ${at})`;
    expect(
      await pool.query(`SELECT "name", "length" FROM "Word" WHERE "at" = ? AND ? AND "length" = ?`, [at, true, 5]),
    ).toEqual([{ name: "alpha", length: 5 }]);
  });

  it("runs a statement while another one is still running on the other thread", async () => {
    const order: string[] = [];
    const slow = pool.query(slowCount(3_000_000), []).then((rows) => order.push("slow") && rows);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fast = pool.query(`SELECT count(*) AS "n" FROM "Word"`, []).then((rows) => order.push("fast") && rows);
    expect(await Promise.all([slow, fast])).toEqual([[{ n: 3_000_000 }], [{ n: 1 }]]);
    // With one thread the count of words would have waited for the slow statement.
    expect(order).toEqual(["fast", "slow"]);
  });

  it("gives a waiting read to the first thread that is free, not to one still busy", async () => {
    const order: string[] = [];
    const run = (name: string, sql: string) => pool.query(sql, []).then(() => order.push(name));
    const slow = run("slow", slowCount(3_000_000));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Both threads busy: the count of words waits, then takes the thread the short count leaves.
    const short = run("short", slowCount(100_000));
    const words = run("words", `SELECT count(*) AS "n" FROM "Word"`);
    await Promise.all([slow, short, words]);
    expect(order).toEqual(["short", "words", "slow"]);
  });

  it("fails a statement with SQLite's message and goes on reading", async () => {
    await expect(pool.query(`SELECT "nothing" FROM "Nowhere"`, [])).rejects.toThrow(/no such table: Nowhere/);
    await expect(
      pool.query(`INSERT INTO "Word" ("name", "length") VALUES ('beta', 4) RETURNING "name"`, []),
    ).rejects.toThrow(/readonly/);
    expect(await pool.query(`SELECT "name" FROM "Word"`, [])).toEqual([{ name: "alpha" }]);
  });

  it("stops its threads when idle and starts them again on the next read", async () => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(pool.threadsRunning()).toBe(0);
    expect(await pool.query(`SELECT "name" FROM "Word"`, [])).toEqual([{ name: "alpha" }]);
    expect(pool.threadsRunning()).toBe(1);
  });

  it("stops a client's threads when the client disconnects", async () => {
    const client = createDb(scratch.url);
    // Spied on the prototype, the calls of every pool are recorded: the other pools' idle timers may
    // close them meanwhile, so the client's own pool is told apart as the one this read went through.
    const query = vi.spyOn(SqliteReadPool.prototype, "query");
    const close = vi.spyOn(SqliteReadPool.prototype, "close");
    try {
      expect(await readQuery(client, Prisma.sql`SELECT count(*) AS "n" FROM "Word"`)).toEqual([{ n: 1 }]);
      const clientPool = query.mock.contexts.at(-1) as SqliteReadPool;
      expect(clientPool.threadsRunning()).toBe(1);
      await client.$disconnect();
      expect(close.mock.contexts.filter((context) => context === clientPool)).toHaveLength(1);
      expect(clientPool.threadsRunning()).toBe(0);
    } finally {
      query.mockRestore();
      close.mockRestore();
    }
  });

  it("reads through the client's threads, except inside a transaction, which sees its own writes", async () => {
    const names = (client: Parameters<typeof readQuery>[0]) =>
      readQuery<{ name: string }>(client, Prisma.sql`SELECT "name" FROM "Word" ORDER BY "name"`);
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO "Word" ("name", "length") VALUES (${"gamma"}, ${5})`;
      expect(await names(tx)).toEqual([{ name: "alpha" }, { name: "gamma" }]);
      // Another connection does not see the transaction's write before it commits.
      expect(await names(db)).toEqual([{ name: "alpha" }]);
    });
    expect(await names(db)).toEqual([{ name: "alpha" }, { name: "gamma" }]);
  });
});
