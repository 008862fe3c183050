import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { migrateDatabase, readMigrations } from "@/lib/db/migrate";
import { createScratchDatabase, testDialects, type ScratchDatabase } from "@/test/db/scratch";

describe.each(testDialects())("migrations on %s", (dialect) => {
  let scratch: ScratchDatabase;

  beforeEach(async () => {
    scratch = await createScratchDatabase(dialect);
  });

  afterEach(async () => {
    await scratch.drop();
  });

  it("applies every migration once, and nothing on a second run", async () => {
    const all = readMigrations(path.resolve("prisma/migrations"), dialect).map((migration) => migration.name);
    expect(await migrateDatabase(scratch.url)).toEqual(all);
    expect(await migrateDatabase(scratch.url)).toEqual([]);
  });

  it("refuses to go on when an applied migration was edited", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "signet-migrations-"));
    try {
      cpSync(path.resolve("prisma/migrations"), root, { recursive: true });
      await migrateDatabase(scratch.url, root);
      const [first] = readMigrations(root, dialect);
      writeFileSync(path.join(root, dialect, `${first!.name}.sql`), `${first!.sql}\n-- edited\n`);
      await expect(migrateDatabase(scratch.url, root)).rejects.toThrow(/was changed after it was applied/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("rolls back a migration that fails part-way, leaving it pending", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "signet-migrations-"));
    try {
      cpSync(path.resolve("prisma/migrations"), root, { recursive: true });
      writeFileSync(
        path.join(root, dialect, "9999_broken.sql"),
        'CREATE TABLE "Half" ("id" TEXT PRIMARY KEY);\nTHIS IS NOT SQL;\n',
      );
      await expect(migrateDatabase(scratch.url, root)).rejects.toThrow();
      rmSync(path.join(root, dialect, "9999_broken.sql"));
      writeFileSync(path.join(root, dialect, "9999_fixed.sql"), 'CREATE TABLE "Half" ("id" TEXT PRIMARY KEY);\n');
      expect(await migrateDatabase(scratch.url, root)).toEqual(["9999_fixed"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("gives Prisma Client a schema it can read and write", async () => {
    await migrateDatabase(scratch.url);
    const db = createDb(scratch.url);
    try {
      const user = await db.user.create({ data: { email: "ada@example.test", username: "ada" } });
      await db.apiKey.create({
        data: {
          userId: user.id,
          name: "ci",
          keyPrefix: "sg_ab",
          keyHash: "f".repeat(64),
          scopes: "push",
          expiresAt: new Date(Date.UTC(2027, 0, 1)),
        },
      });
      const found = await db.user.findUniqueOrThrow({
        where: { email: "ada@example.test" },
        include: { apiKeys: true },
      });
      expect(found.role).toBe("USER");
      expect(found.createdAt).toBeInstanceOf(Date);
      expect(found.apiKeys[0]?.expiresAt.toISOString()).toBe("2027-01-01T00:00:00.000Z");
      await expect(db.user.create({ data: { email: "ada@example.test", username: "ada2" } })).rejects.toThrow();
    } finally {
      await db.$disconnect();
    }
  });
});

// The migrator records each migration by its full name, so renumbering one that has landed would
// make every database that applied it run it again. Two landed at once as 0015 and stay so; no
// other number may be shared (a helper whose number collides on landing renumbers its own).
const SHARED_NUMBERS_THAT_LANDED: Readonly<Record<string, readonly string[]>> = {
  "0015": ["0015_background_jobs", "0015_signer_identities_in_page_stamp"],
};

/** Numbers held by more than one migration, other than exactly the pair that landed as one. */
function collidingNumbers(names: readonly string[]): string[] {
  const byNumber = new Map<string, string[]>();
  for (const name of names) {
    const number = name.slice(0, 4);
    byNumber.set(number, [...(byNumber.get(number) ?? []), name]);
  }
  return [...byNumber]
    .filter(([number, sharing]) => sharing.length > 1 && sharing.join() !== SHARED_NUMBERS_THAT_LANDED[number]?.join())
    .map(([number]) => number);
}

describe.each(["sqlite", "postgresql"] as const)("migration numbers for %s", (dialect) => {
  const names = (root: string) => readMigrations(root, dialect).map((migration) => migration.name);

  it("are unique, apart from the one pair that landed sharing 0015", () => {
    expect(collidingNumbers(names(path.resolve("prisma/migrations")))).toEqual([]);
  });

  it("refuse a new migration that takes a number already used, 0015 included", () => {
    const root = mkdtempSync(path.join(tmpdir(), "signet-migrations-"));
    try {
      cpSync(path.resolve("prisma/migrations"), root, { recursive: true });
      const [latest] = names(root).slice(-1);
      writeFileSync(path.join(root, dialect, `${latest!.slice(0, 4)}_colliding.sql`), "SELECT 1;\n");
      writeFileSync(path.join(root, dialect, "0015_third_of_a_pair.sql"), "SELECT 1;\n");
      expect(collidingNumbers(names(root))).toEqual(["0015", latest!.slice(0, 4)]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
