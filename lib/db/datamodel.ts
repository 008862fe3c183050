// Reads a Prisma schema's datamodel through Prisma itself (its DMMF, via a tiny generator), so
// checks against the database see models, fields, @map and @@map exactly as Prisma Client does.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { prismaGenerate, replaceSchemaBlock } from "@/lib/db/prisma-cli";

export interface DatamodelField {
  name: string;
  dbName: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isRequired: boolean;
  isList: boolean;
  isId: boolean;
  isUnique: boolean;
}

export interface DatamodelModel {
  name: string;
  dbName: string | null;
  fields: DatamodelField[];
  uniqueFields: string[][];
  primaryKey: { fields: string[] } | null;
}

export interface DatamodelEnum {
  name: string;
  dbName: string | null;
  values: { name: string; dbName: string | null }[];
}

export interface Datamodel {
  models: DatamodelModel[];
  enums: DatamodelEnum[];
}

export async function readDatamodel(schemaText: string): Promise<Datamodel> {
  const dir = await mkdtemp(path.join(tmpdir(), "signet-dmmf-"));
  try {
    const output = path.join(dir, "datamodel.json");
    const generator = path.resolve("scripts/db/dmmf-generator.mjs");
    const schema = replaceSchemaBlock(
      schemaText,
      "generator client",
      `  provider = ${JSON.stringify(`node ${generator}`)}\n  output   = ${JSON.stringify(output)}`,
    );
    const schemaPath = path.join(dir, "schema.prisma");
    await writeFile(schemaPath, schema);
    await prismaGenerate(schemaPath);
    return JSON.parse(await readFile(output, "utf8")) as Datamodel;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
