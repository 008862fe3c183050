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

  describe("a statement planned the same whatever its values", () => {
    // Each statement reads its own session's prepared statements, so those of the connection it ran on;
    // a prepared statement's text is the statement's, with placeholders for the values.
    const planned = (marker: string, name: string) => Prisma.sql`
      SELECT w."name" AS ${Prisma.raw(`"${marker}"`)},
             (SELECT CAST(sum(s."generic_plans") AS bigint) FROM pg_prepared_statements s WHERE s."statement" LIKE ${`%${marker}%`}) AS "genericPlans",
             (SELECT count(*) FROM pg_prepared_statements) AS "prepared"
      FROM "Word" w WHERE w."name" IN (SELECT jsonb_array_elements_text(${JSON.stringify([name])}::jsonb))`;
    type Planned = Record<string, unknown> & { genericPlans: bigint | null; prepared: bigint };

    it("is prepared on its connection and, after five runs planned with their values, runs on one plan", async () => {
      const runs: Planned[] = [];
      for (const name of ["alpha", "beta", "alpha", "beta", "alpha", "beta", "alpha"]) {
        const [row] = await readQuery<Planned>(db, planned("keptPlan", name), { samePlanForAnyValues: true });
        expect(row?.keptPlan).toBe(name);
        runs.push(row as Planned);
      }
      expect(runs.map((row) => row.genericPlans)).toEqual([0n, 0n, 0n, 0n, 0n, 1n, 2n]);
    });

    it("is not prepared otherwise", async () => {
      for (let run = 0; run < 7; run += 1) {
        const [row] = await readQuery<Planned>(db, planned("freshPlan", "alpha"));
        expect(row).toMatchObject({ freshPlan: "alpha", genericPlans: null });
      }
    });

    it("closes a connection that holds as many as it may, and the pool opens another", async () => {
      const pool = new PostgresReadPool(scratch.url, 2);
      try {
        for (const marker of ["first", "second", "third", "first", "third", "second"]) {
          const [row] = await pool.query(planned(marker, "beta").text, planned(marker, "beta").values, {
            samePlanForAnyValues: true,
          });
          expect(row).toMatchObject({ [marker]: "beta" });
          expect((row as Planned).prepared).toBeLessThanOrEqual(2n);
        }
      } finally {
        await pool.close();
      }
    });

    it("is prepared anew once a column it returns changed its type", async () => {
      await db.$executeRawUnsafe(`CREATE TABLE "Stale" ("name" TEXT PRIMARY KEY, "size" INTEGER NOT NULL)`);
      await db.$executeRawUnsafe(`INSERT INTO "Stale" VALUES ('alpha', 5)`);
      const size = () =>
        readQuery<{ size: unknown }>(db, Prisma.sql`SELECT "size" FROM "Stale" WHERE "name" = ${"alpha"}`, {
          samePlanForAnyValues: true,
        });
      expect(await size()).toEqual([{ size: 5 }]);
      await db.$executeRawUnsafe(`ALTER TABLE "Stale" ALTER COLUMN "size" TYPE BIGINT`);
      expect(await size()).toEqual([{ size: 5n }]);
    });
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
