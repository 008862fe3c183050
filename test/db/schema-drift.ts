// Compares Prisma's datamodel with the tables a migrated database really has, so a field added
// to schema.prisma without a migration is caught by a test instead of by a failing query.
import type { DatabaseDialect } from "@/lib/config";
import type { Datamodel, DatamodelField, DatamodelModel } from "@/lib/db/datamodel";
import type { RawConnection } from "@/lib/db/raw";

export interface ColumnShape {
  /** Declared type as the database reports it (sqlite: declared type; postgres: data_type or enum name). */
  type: string;
  notNull: boolean;
}

export interface TableShape {
  columns: Map<string, ColumnShape>;
  /** Column lists of every unique index, including primary keys. */
  uniqueIndexes: string[][];
}

export interface DatabaseShape {
  dialect: DatabaseDialect;
  tables: Map<string, TableShape>;
  /** PostgreSQL enum types and their labels; always empty on SQLite. */
  enums: Map<string, string[]>;
}

// Column types each Prisma scalar may live in, per dialect (upper-case, loose on purpose).
const ACCEPTED_TYPES: Record<DatabaseDialect, Record<string, string[]>> = {
  sqlite: {
    String: ["TEXT"],
    Int: ["INTEGER", "INT"],
    BigInt: ["BIGINT", "INTEGER"],
    Float: ["REAL", "DOUBLE", "FLOAT"],
    Decimal: ["DECIMAL"],
    Boolean: ["BOOLEAN"],
    DateTime: ["DATETIME"],
    Bytes: ["BLOB"],
    Json: ["JSONB", "TEXT"],
  },
  postgresql: {
    String: ["TEXT", "CHARACTER VARYING"],
    Int: ["INTEGER"],
    BigInt: ["BIGINT"],
    Float: ["DOUBLE PRECISION"],
    Decimal: ["NUMERIC"],
    Boolean: ["BOOLEAN"],
    DateTime: ["TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP WITH TIME ZONE"],
    Bytes: ["BYTEA"],
    Json: ["JSONB", "JSON"],
  },
};

/** Every way the database falls short of the datamodel, one sentence each; empty when in step. */
export function findSchemaDrift(datamodel: Datamodel, database: DatabaseShape): string[] {
  const problems: string[] = [];
  for (const model of datamodel.models) {
    const tableName = model.dbName ?? model.name;
    const table = database.tables.get(tableName);
    if (!table) {
      problems.push(`model ${model.name} has no table "${tableName}"`);
      continue;
    }
    for (const field of model.fields) {
      if (field.kind === "object") continue;
      problems.push(...fieldDrift(model, field, table, database));
    }
    problems.push(...uniqueDrift(model, table));
  }
  if (database.dialect === "postgresql") {
    for (const enumType of datamodel.enums) {
      const typeName = enumType.dbName ?? enumType.name;
      const labels = database.enums.get(typeName);
      if (!labels) {
        problems.push(`enum ${enumType.name} has no PostgreSQL type "${typeName}"`);
        continue;
      }
      for (const value of enumType.values) {
        const label = value.dbName ?? value.name;
        if (!labels.includes(label)) problems.push(`enum ${enumType.name} has no value "${label}" in the database`);
      }
    }
  }
  return problems;
}

function fieldDrift(
  model: DatamodelModel,
  field: DatamodelField,
  table: TableShape,
  database: DatabaseShape,
): string[] {
  const columnName = field.dbName ?? field.name;
  const column = table.columns.get(columnName);
  const where = `${model.name}.${field.name}`;
  if (!column) return [`${where} has no column "${columnName}" in table "${model.dbName ?? model.name}"`];
  const problems: string[] = [];
  const accepted = acceptedColumnTypes(field, database);
  if (!accepted.includes(column.type.toUpperCase())) {
    problems.push(
      `${where} is ${field.type} but column "${columnName}" is ${column.type} (expected ${accepted.join(" or ")})`,
    );
  }
  if (field.isRequired && !column.notNull) problems.push(`${where} is required but column "${columnName}" allows NULL`);
  if (!field.isRequired && column.notNull) problems.push(`${where} is optional but column "${columnName}" is NOT NULL`);
  return problems;
}

function acceptedColumnTypes(field: DatamodelField, database: DatabaseShape): string[] {
  if (field.kind === "enum") return database.dialect === "postgresql" ? [field.type.toUpperCase()] : ["TEXT"];
  return ACCEPTED_TYPES[database.dialect][field.type] ?? [];
}

function uniqueDrift(model: DatamodelModel, table: TableShape): string[] {
  const columnOf = (fieldName: string) => {
    const field = model.fields.find((candidate) => candidate.name === fieldName);
    return field?.dbName ?? fieldName;
  };
  const required = [
    ...model.fields.filter((field) => field.isUnique || field.isId).map((field) => [field.name]),
    ...model.uniqueFields,
    ...(model.primaryKey ? [model.primaryKey.fields] : []),
  ];
  const present = new Set(table.uniqueIndexes.map((columns) => columns.join(",")));
  return required
    .filter((fields) => !present.has(fields.map(columnOf).join(",")))
    .map((fields) => `${model.name} has no unique index on (${fields.map(columnOf).join(", ")})`);
}

export async function introspectDatabase(connection: RawConnection): Promise<DatabaseShape> {
  return connection.dialect === "postgresql" ? introspectPostgres(connection) : introspectSqlite(connection);
}

async function introspectSqlite(connection: RawConnection): Promise<DatabaseShape> {
  const tables = new Map<string, TableShape>();
  const tableRows = await connection.query(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  );
  for (const { name } of tableRows) {
    const tableName = String(name);
    const quoted = `"${tableName.replaceAll('"', '""')}"`;
    const columnRows = await connection.query(`PRAGMA table_info(${quoted})`);
    const columns = new Map<string, ColumnShape>(
      columnRows.map((row) => [String(row.name), { type: String(row.type), notNull: Number(row.notnull) === 1 }]),
    );
    const uniqueIndexes: string[][] = [];
    for (const index of await connection.query(`PRAGMA index_list(${quoted})`)) {
      if (Number(index.unique) !== 1) continue;
      const indexColumns = await connection.query(`PRAGMA index_info("${String(index.name).replaceAll('"', '""')}")`);
      uniqueIndexes.push(indexColumns.sort((a, b) => Number(a.seqno) - Number(b.seqno)).map((row) => String(row.name)));
    }
    // A single-column INTEGER/TEXT primary key may have no index of its own in SQLite.
    const primaryKey = columnRows
      .filter((row) => Number(row.pk) > 0)
      .sort((a, b) => Number(a.pk) - Number(b.pk))
      .map((row) => String(row.name));
    if (primaryKey.length > 0) uniqueIndexes.push(primaryKey);
    tables.set(tableName, { columns, uniqueIndexes });
  }
  return { dialect: "sqlite", tables, enums: new Map() };
}

async function introspectPostgres(connection: RawConnection): Promise<DatabaseShape> {
  const tables = new Map<string, TableShape>();
  const tableOf = (name: string) => {
    const existing = tables.get(name);
    if (existing) return existing;
    const created: TableShape = { columns: new Map(), uniqueIndexes: [] };
    tables.set(name, created);
    return created;
  };
  const columnRows = await connection.query(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable
       FROM information_schema.columns WHERE table_schema = current_schema()`,
  );
  for (const row of columnRows) {
    const type = row.data_type === "USER-DEFINED" ? String(row.udt_name) : String(row.data_type);
    tableOf(String(row.table_name)).columns.set(String(row.column_name), { type, notNull: row.is_nullable === "NO" });
  }
  const indexRows = await connection.query(
    `SELECT t.relname AS table_name, array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index ix
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE ix.indisunique AND n.nspname = current_schema()
      GROUP BY t.relname, ix.indexrelid`,
  );
  for (const row of indexRows) tableOf(String(row.table_name)).uniqueIndexes.push(row.columns as string[]);
  const enumRows = await connection.query(
    `SELECT t.typname AS type_name, e.enumlabel AS label
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
       JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema() ORDER BY e.enumsortorder`,
  );
  const enums = new Map<string, string[]>();
  for (const row of enumRows) {
    const name = String(row.type_name);
    enums.set(name, [...(enums.get(name) ?? []), String(row.label)]);
  }
  return { dialect: "postgresql", tables, enums };
}
