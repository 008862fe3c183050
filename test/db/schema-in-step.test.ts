// The hand-written migrations must create every model and field of prisma/schema.prisma, on
// SQLite and (when TEST_POSTGRES_URL is set) on PostgreSQL.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDatamodel, type Datamodel } from "@/lib/db/datamodel";
import { migrateDatabase } from "@/lib/db/migrate";
import { openRawConnection } from "@/lib/db/raw";
import { findSchemaDrift, introspectDatabase, type DatabaseShape } from "@/test/db/schema-drift";
import { createScratchDatabase, testDialects, type ScratchDatabase } from "@/test/db/scratch";

const schemaText = readFileSync("prisma/schema.prisma", "utf8");

// A field and a model that no migration creates: the check must name both.
const schemaWithUnmigratedChanges = schemaText
  .replace(/(model User \{\n)/, "$1  nickname String @unique\n")
  .concat("\nmodel Mirror {\n  id  String @id\n  url String\n}\n");

describe.each(testDialects())("schema.prisma and the %s migrations", (dialect) => {
  let scratch: ScratchDatabase;
  let database: DatabaseShape;
  let datamodel: Datamodel;

  beforeAll(async () => {
    scratch = await createScratchDatabase(dialect);
    await migrateDatabase(scratch.url);
    const connection = await openRawConnection(scratch.url);
    try {
      database = await introspectDatabase(connection);
    } finally {
      await connection.close();
    }
    datamodel = await readDatamodel(schemaText);
  });

  afterAll(async () => {
    await scratch?.drop();
  });

  it("creates a table and column, with matching type and nullability, for every model and field", () => {
    expect(datamodel.models.length).toBeGreaterThan(10);
    expect(findSchemaDrift(datamodel, database)).toEqual([]);
  });

  it("names every model and field that has no table or column", async () => {
    const changed = await readDatamodel(schemaWithUnmigratedChanges);
    expect(findSchemaDrift(changed, database)).toEqual([
      'User.nickname has no column "nickname" in table "User"',
      "User has no unique index on (nickname)",
      'model Mirror has no table "Mirror"',
    ]);
  });
});
