// Runs the Prisma CLI offline. Only `prisma generate` is used: it needs no schema engine, but
// the CLI tries to download one unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export async function prismaGenerate(schemaPath: string): Promise<void> {
  const cli = path.resolve("node_modules/prisma/build/index.js");
  try {
    await run(process.execPath, [cli, "generate", "--schema", schemaPath], {
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`prisma generate --schema ${schemaPath} failed:\n${stdout}${stderr}`);
  }
}

/**
 * Replaces the body of the `generator client` or `datasource db` block of a schema, so one
 * schema.prisma can be turned into a variant for another provider or generator.
 */
export function replaceSchemaBlock(schema: string, block: "generator client" | "datasource db", body: string): string {
  const pattern = new RegExp(`^${block.replace(" ", "\\s+")}\\s*\\{[^}]*\\}`, "m");
  if (!pattern.test(schema)) throw new Error(`schema has no "${block}" block`);
  return schema.replace(pattern, `${block} {\n${body}\n}`);
}
