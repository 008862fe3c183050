import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Prisma } from "@/generated/prisma/sqlite/client";
import { createDb, readQuery, type Db, type DbClient } from "@/lib/db";
import { PostgresReadPool } from "@/lib/db/postgres-reads";
import { createScratchDatabase, testDialects, type ScratchDatabase } from "./scratch";

describe.runIf(testDialects().includes("postgresql"))("PostgreSQL reads through node-postgres", () => {
  let scratch: ScratchDatabase;
  let db: Db;
  const at = new Date("2026-01-02T03:04:05.006Z");
  const zone = process.env.TZ;

  beforeAll(async () => {
    // A process in another zone than UTC: times stored without a zone must still read as UTC.
    process.env.TZ = "America/New_York";
    scratch = await createScratchDatabase("postgresql");
    db = createDb(scratch.url);
    await db.$executeRawUnsafe(
      `CREATE TABLE "Word" ("name" TEXT PRIMARY KEY, "length" INTEGER NOT NULL, "downloads" BIGINT NOT NULL, "listed" BOOLEAN NOT NULL, "at" TIMESTAMP(3), "day" DATE)`,
    );
    await db.$executeRaw`INSERT INTO "Word" VALUES (${"alpha"}, ${5}, ${9_007_199_254_740_993n}, ${true}, ${at}, ${at}::date)`;
    await db.$executeRaw`INSERT INTO "Word" VALUES (${"beta"}, ${4}, ${7n}, ${false}, ${null}, ${null})`;
  });

  afterAll(async () => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
    await db.$disconnect();
    await scratch.drop();
  });

  // Every kind of value a search reads: what the callers were written against is Prisma's $queryRaw.
  const everyKind = Prisma.sql`
    SELECT w."name", w."length", w."downloads", w."listed", w."at", w."day", count(*) OVER () AS "total",
           json_build_array(w."name", w."at") AS "json", string_agg(w."name", ',') OVER () AS "names"
    FROM "Word" w ORDER BY w."name"`;

  it("gives the rows $queryRaw gives: int8 as bigint, times as UTC Dates, JSON parsed", async () => {
    const query = vi.spyOn(db, "$queryRaw");
    let read: unknown[];
    try {
      read = await readQuery(db, everyKind);
      expect(query).not.toHaveBeenCalled();
    } finally {
      query.mockRestore();
    }
    expect(read).toEqual(await db.$queryRaw(everyKind));
    expect(read[0]).toMatchObject({ downloads: 9_007_199_254_740_993n, at: at, listed: true, total: 2n });
  });

  it("binds values as Prisma does: a time as UTC, a bigint beyond a double's precision, a boolean", async () => {
    const rows = await readQuery<{ name: string }>(
      db,
      Prisma.sql`SELECT "name" FROM "Word" WHERE "at" = ${at} AND "downloads" = ${9_007_199_254_740_993n} AND "listed" = ${true} AND "length" > ${4}`,
    );
    expect(rows).toEqual([{ name: "alpha" }]);
  });

  it("reads through Prisma inside a transaction, which sees its own writes", async () => {
    const names = (client: DbClient) =>
      readQuery<{ name: string }>(client, Prisma.sql`SELECT "name" FROM "Word" ORDER BY "name"`);
    await db.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO "Word" VALUES (${"gamma"}, ${5}, ${1n}, ${true}, ${null}, ${null})`;
      expect(await names(tx)).toEqual([{ name: "alpha" }, { name: "beta" }, { name: "gamma" }]);
      expect(await names(db)).toEqual([{ name: "alpha" }, { name: "beta" }]);
    });
    expect(await names(db)).toEqual([{ name: "alpha" }, { name: "beta" }, { name: "gamma" }]);
  });

  it("fails a statement with PostgreSQL's message and goes on reading", async () => {
    await expect(readQuery(db, Prisma.sql`SELECT "nothing" FROM "Nowhere"`)).rejects.toThrow(
      /relation "Nowhere" does not exist/,
    );
    expect(await readQuery(db, Prisma.sql`SELECT count(*) AS "n" FROM "Word"`)).toEqual([{ n: 3n }]);
  });

  it("closes its connections when the client disconnects, and opens them again on the next read", async () => {
    const client = createDb(scratch.url);
    const close = vi.spyOn(PostgresReadPool.prototype, "close");
    try {
      expect(await readQuery(client, Prisma.sql`SELECT count(*) AS "n" FROM "Word"`)).toEqual([{ n: 3n }]);
      await client.$disconnect();
      expect(close).toHaveBeenCalledTimes(1);
      expect(await readQuery(client, Prisma.sql`SELECT count(*) AS "n" FROM "Word"`)).toEqual([{ n: 3n }]);
    } finally {
      close.mockRestore();
      await client.$disconnect();
    }
  });
});
