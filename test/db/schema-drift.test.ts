import { describe, expect, it } from "vitest";
import type { Datamodel, DatamodelField } from "@/lib/db/datamodel";
import { findSchemaDrift, type DatabaseShape } from "@/test/db/schema-drift";

function field(name: string, type: string, overrides: Partial<DatamodelField> = {}): DatamodelField {
  return {
    name,
    dbName: null,
    kind: "scalar",
    type,
    isRequired: true,
    isList: false,
    isId: false,
    isUnique: false,
    ...overrides,
  };
}

const datamodel: Datamodel = {
  models: [
    {
      name: "Widget",
      dbName: "widgets",
      fields: [
        field("id", "String", { isId: true }),
        field("serial", "String", { isUnique: true, dbName: "serial_no" }),
        field("count", "Int"),
        field("note", "String", { isRequired: false }),
        field("status", "Status", { kind: "enum" }),
        field("owner", "User", { kind: "object" }),
      ],
      uniqueFields: [["count", "status"]],
      primaryKey: null,
    },
  ],
  enums: [
    {
      name: "Status",
      dbName: null,
      values: [
        { name: "ON", dbName: null },
        { name: "OFF", dbName: null },
      ],
    },
  ],
};

function postgresShape(
  columns: [string, string, boolean][],
  uniqueIndexes: string[][],
  labels = ["ON", "OFF"],
): DatabaseShape {
  return {
    dialect: "postgresql",
    tables: new Map([
      [
        "widgets",
        { columns: new Map(columns.map(([name, type, notNull]) => [name, { type, notNull }])), uniqueIndexes },
      ],
    ]),
    enums: new Map([["Status", labels]]),
  };
}

const inStep: [string, string, boolean][] = [
  ["id", "text", true],
  ["serial_no", "text", true],
  ["count", "integer", true],
  ["note", "text", false],
  ["status", "Status", true],
];

describe("findSchemaDrift", () => {
  it("finds nothing when tables, @map names, types, nullability, unique indexes and enums match", () => {
    expect(findSchemaDrift(datamodel, postgresShape(inStep, [["id"], ["serial_no"], ["count", "status"]]))).toEqual([]);
  });

  it("names wrong types, wrong nullability, missing unique indexes and missing enum values", () => {
    const drifted: [string, string, boolean][] = [
      ["id", "text", true],
      ["serial_no", "text", false],
      ["count", "text", true],
      ["note", "text", true],
      ["status", "Status", true],
    ];
    expect(findSchemaDrift(datamodel, postgresShape(drifted, [["id"]], ["ON"]))).toEqual([
      'Widget.serial is required but column "serial_no" allows NULL',
      'Widget.count is Int but column "count" is text (expected INTEGER)',
      'Widget.note is optional but column "note" is NOT NULL',
      "Widget has no unique index on (serial_no)",
      "Widget has no unique index on (count, status)",
      'enum Status has no value "OFF" in the database',
    ]);
  });

  it("reports a missing table by its @@map name", () => {
    const sqlite: DatabaseShape = { dialect: "sqlite", tables: new Map(), enums: new Map() };
    expect(findSchemaDrift(datamodel, sqlite)).toEqual(['model Widget has no table "widgets"']);
  });
});
