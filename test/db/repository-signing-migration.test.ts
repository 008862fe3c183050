// Migration 0007 on a database that already has versions (on PostgreSQL the gallery revision's
// deferred triggers made the first version of it fail there): every existing version keeps its
// served SHA-512 as the uploaded one (they were served as uploaded) and is marked not yet
// repository-signed, which is what the backfill and allRepositorySigned go by.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { openRawConnection } from "@/lib/db/raw";
import { everyVersionRepositorySigned } from "@/lib/feed/repository-signatures";
import { createScratchDatabase, testDialects, type ScratchDatabase } from "@/test/db/scratch";

const MIGRATION = "0007_repository_signing";

describe.each(testDialects())(`migration ${MIGRATION} on %s with existing versions`, (dialect) => {
  let scratch: ScratchDatabase;
  let db: Db;

  beforeAll(async () => {
    scratch = await createScratchDatabase(dialect);
    const migrations = readMigrations(path.resolve("prisma/migrations"), dialect);
    const connection = await openRawConnection(scratch.url);
    try {
      await applyMigrations(
        connection,
        migrations.filter((migration) => migration.name < MIGRATION),
      );
      await connection.transaction(async () => {
        await connection.query(
          `INSERT INTO "User" ("id", "email", "username", "updatedAt") VALUES ('u1', 'old@example.test', 'old', '2026-01-01T00:00:00+00:00')`,
          [],
        );
        await connection.query(
          `INSERT INTO "PackageRegistration" ("id", "packageId", "packageIdLower") VALUES ('r1', 'Old.Package', 'old.package')`,
          [],
        );
        for (const [index, sha512] of ["c2hhLW9uZQ==", "c2hhLXR3bw=="].entries()) {
          await connection.query(
            `INSERT INTO "PackageVersion" ("id", "registrationId", "version", "versionLower", "originalVersion", "isPrerelease", "isSemVer2", "description",
               "authors", "nuspecXml", "storageKey", "packageSize", "sha512", "contentHash", "signatureStatus", "provenSigningTime", "provenSigningTimeSource", "publisherId")
             VALUES ($1, 'r1', $2, $2, $2, FALSE, FALSE, 'd', 'a', '<package />', $3, 1, $4, 'Y29u', 'UNSIGNED', '2026-01-01T00:00:00+00:00', 'RECEIVED', 'u1')`,
            [`v${index}`, `1.0.${index}`, `packages/old/${index}.nupkg`, sha512],
          );
        }
      });
      expect(await applyMigrations(connection, migrations)).toContain(MIGRATION);
    } finally {
      await connection.close();
    }
    db = createDb(scratch.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
  });

  it("keeps each version's SHA-512 as its uploaded SHA-512 and leaves it to be repository-signed", async () => {
    const rows = await db.packageVersion.findMany({
      orderBy: { version: "asc" },
      select: { sha512: true, uploadedSha512: true, repositoryCertificateId: true, repositorySignedAt: true },
    });
    expect(rows).toEqual([
      {
        sha512: "c2hhLW9uZQ==",
        uploadedSha512: "c2hhLW9uZQ==",
        repositoryCertificateId: null,
        repositorySignedAt: null,
      },
      {
        sha512: "c2hhLXR3bw==",
        uploadedSha512: "c2hhLXR3bw==",
        repositoryCertificateId: null,
        repositorySignedAt: null,
      },
    ]);
    expect(await everyVersionRepositorySigned(db)).toBe(false);
  });
});
