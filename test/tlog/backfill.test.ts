// A gallery that published versions before the log existed: db:migrate's backfill logs them,
// oldest first, once, and the log is sound afterwards.
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db";
import { defaultMigrationsRoot, migrateDatabase } from "@/lib/db/migrate";
import { openRawConnection } from "@/lib/db/raw";
import { logUnloggedVersions } from "@/lib/tlog/backfill";
import { parseEntry } from "@/lib/tlog/entry";
import { readEntries } from "@/lib/tlog/store";
import { createScratchDatabase, testDialects } from "@/test/db/scratch";
import { fixtureSha512 } from "@/test/support/published-version";
import { logInvariantViolations } from "./invariants";

const LOG_MIGRATION = "0009_publication_log.sql";

describe.each(testDialects())("logging versions published before the log, on %s", (dialect) => {
  const folders: string[] = [];
  afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  it("logs each earlier version once, in publication order, with its hash, owners and time", async () => {
    const scratch = await createScratchDatabase(dialect);
    const before = mkdtempSync(path.join(tmpdir(), "signet-migrations-"));
    folders.push(before);
    cpSync(path.join(defaultMigrationsRoot(), dialect), path.join(before, dialect), {
      recursive: true,
      filter: (source) => !source.endsWith(LOG_MIGRATION),
    });
    expect(readdirSync(path.join(before, dialect))).not.toContain(LOG_MIGRATION);
    await migrateDatabase(scratch.url, before);

    const raw = await openRawConnection(scratch.url);
    const time = (iso: string) => (dialect === "sqlite" ? `${iso}.000+00:00` : iso);
    const no = dialect === "sqlite" ? 0 : false;
    try {
      await raw.query(
        `INSERT INTO "User" ("id", "email", "username", "updatedAt") VALUES ('u1', 'old@example.test', 'old-timer', $1)`,
        [time("2026-01-01T00:00:00")],
      );
      await raw.query(
        `INSERT INTO "PackageRegistration" ("id", "packageId", "packageIdLower") VALUES ('r1', 'Old.Package', 'old.package')`,
      );
      await raw.query(`INSERT INTO "PackageOwner" ("registrationId", "userId") VALUES ('r1', 'u1')`);
      for (const [id, version, publishedAt] of [
        ["v2", "2.0.0", "2026-03-01T00:00:00"],
        ["v1", "1.0.0", "2026-02-01T00:00:00"],
      ] as const) {
        await raw.query(
          `INSERT INTO "PackageVersion" ("id", "registrationId", "version", "versionLower", "originalVersion", "isPrerelease", "isSemVer2", "description", "authors", "nuspecXml", "storageKey", "packageSize", "sha512", "contentHash", "signatureStatus", "publisherId", "publishedAt", "provenSigningTime", "provenSigningTimeSource")
           VALUES ($1, 'r1', $2, $2, $2, $3, $3, 'd', 'a', '<package />', $4, 1, $5, 'Y29udGVudA==', 'UNSIGNED', 'u1', $6, $6, 'RECEIVED')`,
          [
            id,
            version,
            no,
            `packages/old.package/${version}/old.package.${version}.nupkg`,
            fixtureSha512(version),
            time(publishedAt),
          ],
        );
      }
    } finally {
      await raw.close();
    }

    expect(await migrateDatabase(scratch.url)).toEqual([LOG_MIGRATION.replace(".sql", "")]);
    const db = createDb(scratch.url);
    try {
      expect((await logInvariantViolations(db)).sort()).toEqual([
        "old.package 1.0.0 is served but not logged",
        "old.package 2.0.0 is served but not logged",
      ]);
      expect(await logUnloggedVersions(db)).toBe(2);
      expect(await logUnloggedVersions(db)).toBe(0);
      expect(await logInvariantViolations(db)).toEqual([]);
      const entries = (await readEntries(db, 0, 2)).map(parseEntry);
      expect(entries).toEqual([
        expect.objectContaining({
          kind: "publish",
          packageId: "Old.Package",
          version: "1.0.0",
          publishedSha512: fixtureSha512("1.0.0"),
          owners: ["old-timer"],
          time: new Date("2026-02-01T00:00:00Z"),
        }),
        expect.objectContaining({
          kind: "publish",
          packageId: "Old.Package",
          version: "2.0.0",
          publishedSha512: fixtureSha512("2.0.0"),
          owners: ["old-timer"],
          time: new Date("2026-03-01T00:00:00Z"),
        }),
      ]);
    } finally {
      await db.$disconnect();
      await scratch.drop();
    }
  });
});
