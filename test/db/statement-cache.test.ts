import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { cacheStatements } from "@/lib/db/statement-cache";
import { createScratchDatabase, type ScratchDatabase } from "./scratch";

describe("the SQLite client's prepared statements", () => {
  let scratch: ScratchDatabase;
  let db: Db;
  const prepare = vi.spyOn(Database.prototype, "prepare");

  beforeAll(async () => {
    scratch = await createScratchDatabase("sqlite");
    db = createDb(scratch.url);
    await db.$executeRawUnsafe(`CREATE TABLE "Word" ("name" TEXT PRIMARY KEY, "length" INTEGER NOT NULL)`);
  });

  afterAll(async () => {
    await db.$disconnect();
    await scratch.drop();
    prepare.mockRestore();
  });

  const lengthOf = async (name: string) =>
    db.$queryRaw<Array<{ length: number }>>`SELECT "length" FROM "Word" WHERE "name" = ${name}`;

  it("are prepared once and bound anew on each call", async () => {
    for (const name of ["alpha", "be", "gamma"])
      await db.$executeRaw`INSERT INTO "Word" ("name", "length") VALUES (${name}, ${name.length})`;
    prepare.mockClear();
    expect(await lengthOf("alpha")).toEqual([{ length: 5 }]);
    expect(await lengthOf("be")).toEqual([{ length: 2 }]);
    expect(await lengthOf("nothing")).toEqual([]);
    expect(await lengthOf("gamma")).toEqual([{ length: 5 }]);
    expect(prepare.mock.calls.map(([sql]) => sql).filter((sql) => sql.includes(`FROM "Word"`))).toHaveLength(1);
  });

  it("are used again after a statement failed, and inside transactions that roll back", async () => {
    const insert = (name: string) =>
      db.$executeRaw`INSERT INTO "Word" ("name", "length") VALUES (${name}, ${name.length})`;
    await expect(insert("alpha")).rejects.toThrow();
    await insert("delta");
    await expect(
      db.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO "Word" ("name", "length") VALUES (${"epsilon"}, ${7})`;
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await lengthOf("delta")).toEqual([{ length: 5 }]);
    expect(await lengthOf("epsilon")).toEqual([]);
  });

  it("keep only the most recently used", () => {
    const connection = new Database(":memory:");
    try {
      cacheStatements(connection, 2);
      prepare.mockClear();
      for (const sql of ["SELECT 1", "SELECT 2", "SELECT 1", "SELECT 3", "SELECT 1", "SELECT 2"])
        expect(connection.prepare(sql).bind([]).raw().all()).toHaveLength(1);
      // SELECT 2 was dropped when SELECT 3 came, SELECT 1 having been used since.
      expect(prepare.mock.calls.map(([sql]) => sql)).toEqual(["SELECT 1", "SELECT 2", "SELECT 3", "SELECT 2"]);
    } finally {
      connection.close();
    }
  });
});
