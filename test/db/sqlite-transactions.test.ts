import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { sqliteFilePath } from "@/lib/config";
import { createScratchDatabase, type ScratchDatabase } from "./scratch";

/**
 * Another process writing to the gallery's file, as a script or a second instance does: it says
 * "writing", inserts a word with a busy timeout of 30 s, and says "written".
 */
function otherProcessInserts(file: string, name: string) {
  const script = `
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1], { timeout: 30000 });
    console.log("writing");
    db.prepare('INSERT INTO "Word" ("name") VALUES (?)').run(process.argv[2]);
    console.log("written");
  `;
  const child = spawn(process.execPath, ["-e", script, file, name], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let errors = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const exited = once(child, "exit").then(([code]) => ({ code: code as number | null, errors }));
  return {
    exited,
    /** Resolves once the process has begun its write and either finished it or waited `ms` for the lock. */
    async wroteOrWaited(ms: number): Promise<void> {
      const said = async (line: string, until: number) => {
        while (!output.includes(line) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      };
      await said("writing", Date.now() + 10_000);
      await said("written", Date.now() + ms);
    },
  };
}

describe("SQLite transactions beside another process's writes", () => {
  let scratch: ScratchDatabase;
  let db: Db;

  beforeAll(async () => {
    scratch = await createScratchDatabase("sqlite");
    db = createDb(scratch.url);
    await db.$queryRawUnsafe(`PRAGMA journal_mode = WAL`);
    await db.$executeRawUnsafe(`CREATE TABLE "Word" ("name" TEXT PRIMARY KEY)`);
  });

  afterAll(async () => {
    await db.$disconnect();
    await scratch.drop();
  });

  it("a transaction that reads, then writes after another process wrote, commits; the other waits for it", async () => {
    let other: ReturnType<typeof otherProcessInserts> | undefined;
    await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT count(*) AS "n" FROM "Word"`;
      other = otherProcessInserts(sqliteFilePath(scratch.url), "theirs");
      // Begun DEFERRED, the transaction holds only a read snapshot here: the other process writes
      // at once, and the insert below fails with SQLITE_BUSY whatever the busy timeout.
      await other.wroteOrWaited(1_000);
      await tx.$executeRaw`INSERT INTO "Word" ("name") VALUES (${"ours"})`;
    });
    expect(await other?.exited).toEqual({ code: 0, errors: "" });
    const words = await db.$queryRaw<Array<{ name: string }>>`SELECT "name" FROM "Word" ORDER BY "name"`;
    expect(words.map((word) => word.name)).toEqual(["ours", "theirs"]);
  });
});
