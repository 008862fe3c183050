// Migration 0006 gives every existing version its proven signing time from what was stored
// before it: the stored report's first valid timestamp, else the upload attempt's creation, else
// the publication. Migration 0012 then holds it to the first timestamp alone, as NuGet judges a
// signature: a version whose first timestamp is not valid is proven signed when it was received.
// After both, every row must agree with provenSigningTime (the rule new versions are written
// with); neither may use the old signedAt (which held the signer's own claim); each raises the
// gallery revision, and leaves values Prisma compares correctly.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { openRawConnection, type RawConnection } from "@/lib/db/raw";
import { signedWhileCompromisedWhere } from "@/lib/db/packages";
import { provenSigningTime } from "@/lib/validation/proven-signing-time";
import type { SignatureDetails, SignatureReport, TimestampReport } from "@/lib/signing/report";
import { createScratchDatabase, testDialects, type ScratchDatabase } from "@/test/db/scratch";

const MIGRATION = "0006_proven_signing_time";
const FIRST_TIMESTAMP_CORRECTION = "0012_proven_signing_time_first_timestamp";

function timestamp(time: string, valid: boolean): TimestampReport {
  return { time, hashAlgorithm: "SHA-256", tsa: null, chain: null, valid };
}

function signature(
  kind: SignatureDetails["kind"],
  placement: SignatureDetails["placement"],
  signingTime: string,
  timestamps: TimestampReport[],
): SignatureDetails {
  return {
    kind,
    placement,
    signer: null,
    chain: null,
    signingTime,
    digestAlgorithm: "SHA-256",
    timestamps,
    serviceIndexUrl: null,
    packageOwners: null,
    valid: true,
  };
}

function report(author: SignatureDetails | null, repository: SignatureDetails | null = null): SignatureReport {
  return { status: "valid", packageHashAlgorithm: "SHA-256", integrity: true, author, repository, issues: [] };
}

// The signer claims 2001 in every signature below: no expected time may ever be 2001.
const CLAIMED = "2001-01-01T00:00:00.000Z";
const PUBLISHED = "2026-03-01T12:00:00.000Z";
const UPLOADED = "2026-02-27T08:30:00.250Z";

interface OldRow {
  version: string;
  /** The stored report text (JSON, or anything a broken row might hold). */
  signatureReport: string | null;
  /** Whether an upload attempt (created at UPLOADED) points at the version. */
  attempt: boolean;
  /** After 0012: what provenSigningTime gives. */
  expected: ProvenTime;
  /** After 0006 alone, where it differs from `expected` (0006 took the first valid timestamp). */
  by0006?: ProvenTime;
}

interface ProvenTime {
  time: string;
  source: "TIMESTAMP" | "RECEIVED";
}

const OLD_ROWS: OldRow[] = [
  {
    version: "1.0.0-timestamped",
    signatureReport: JSON.stringify(
      report(signature("author", "primary", CLAIMED, [timestamp("2024-05-06T07:08:09.123Z", true)])),
    ),
    attempt: true,
    expected: { time: "2024-05-06T07:08:09.123Z", source: "TIMESTAMP" },
  },
  {
    version: "1.0.1-backdated-untimestamped",
    signatureReport: JSON.stringify(report(signature("author", "primary", CLAIMED, []))),
    attempt: true,
    expected: { time: UPLOADED, source: "RECEIVED" },
  },
  {
    version: "1.0.1-backdated-no-attempt",
    signatureReport: JSON.stringify(report(signature("author", "primary", CLAIMED, []))),
    attempt: false,
    expected: { time: PUBLISHED, source: "RECEIVED" },
  },
  {
    version: "1.0.2-first-timestamp-invalid",
    signatureReport: JSON.stringify(
      report(
        signature("author", "primary", CLAIMED, [
          timestamp("2020-01-01T00:00:00.000Z", false),
          timestamp("2024-07-01T00:00:00.000Z", true),
        ]),
      ),
    ),
    attempt: true,
    expected: { time: UPLOADED, source: "RECEIVED" },
    by0006: { time: "2024-07-01T00:00:00.000Z", source: "TIMESTAMP" },
  },
  {
    version: "1.0.2-repository-primary-first-timestamp-invalid",
    signatureReport: JSON.stringify(
      report(
        null,
        signature("repository", "primary", CLAIMED, [
          timestamp("2020-01-01T00:00:00.000Z", false),
          timestamp("2024-07-02T00:00:00.000Z", true),
        ]),
      ),
    ),
    attempt: false,
    expected: { time: PUBLISHED, source: "RECEIVED" },
    by0006: { time: "2024-07-02T00:00:00.000Z", source: "TIMESTAMP" },
  },
  {
    version: "1.0.3-two-valid-timestamps",
    signatureReport: JSON.stringify(
      report(
        signature("author", "primary", CLAIMED, [
          timestamp("2024-06-01T00:00:00.000Z", true),
          timestamp("2024-06-02T00:00:00.000Z", true),
        ]),
      ),
    ),
    attempt: true,
    expected: { time: "2024-06-01T00:00:00.000Z", source: "TIMESTAMP" },
  },
  {
    version: "1.0.4-only-countersignature-timestamped",
    signatureReport: JSON.stringify(
      report(
        signature("author", "primary", CLAIMED, [timestamp("2020-01-01T00:00:00.000Z", false)]),
        signature("repository", "countersignature", CLAIMED, [timestamp("2024-08-01T00:00:00.000Z", true)]),
      ),
    ),
    attempt: true,
    expected: { time: UPLOADED, source: "RECEIVED" },
  },
  {
    version: "1.0.5-repository-primary",
    signatureReport: JSON.stringify(
      report(null, signature("repository", "primary", CLAIMED, [timestamp("2024-09-01T10:00:00.000Z", true)])),
    ),
    attempt: false,
    expected: { time: "2024-09-01T10:00:00.000Z", source: "TIMESTAMP" },
  },
  { version: "1.0.6-unsigned", signatureReport: null, attempt: true, expected: { time: UPLOADED, source: "RECEIVED" } },
  {
    version: "1.0.7-unreadable-report",
    signatureReport: "{not json",
    attempt: false,
    expected: { time: PUBLISHED, source: "RECEIVED" },
  },
  {
    version: "1.0.8-unreadable-time",
    signatureReport: JSON.stringify(report(signature("author", "primary", CLAIMED, [timestamp("not a time", true)]))),
    attempt: false,
    expected: { time: PUBLISHED, source: "RECEIVED" },
  },
];

/** A date as the database stores it before 0006 (Prisma's SQLite form; PostgreSQL parses it). */
function stored(iso: string): string {
  return iso.replace("Z", "+00:00");
}

async function insertOldRows(connection: RawConnection): Promise<void> {
  const run = (sql: string, params: unknown[]) => connection.query(sql, params);
  await run(`INSERT INTO "User" ("id", "email", "username", "updatedAt") VALUES ($1, $2, $3, $4)`, [
    "u1",
    "old@example.test",
    "old",
    stored(PUBLISHED),
  ]);
  await run(`INSERT INTO "PackageRegistration" ("id", "packageId", "packageIdLower") VALUES ($1, $2, $3)`, [
    "r1",
    "Old.Package",
    "old.package",
  ]);
  for (const [index, row] of OLD_ROWS.entries()) {
    const id = `v${index}`;
    await run(
      `INSERT INTO "PackageVersion" ("id", "registrationId", "version", "versionLower", "originalVersion", "isPrerelease", "isSemVer2", "description",
         "authors", "nuspecXml", "storageKey", "packageSize", "sha512", "contentHash", "signatureStatus", "signatureReport", "signedAt", "publisherId", "publishedAt")
       VALUES ($1, 'r1', $2, $2, $2, TRUE, FALSE, 'd', 'a', '<package />', $3, 1, 'c2hh', 'Y29u', $4, $5, $6, 'u1', $7)`,
      [
        id,
        row.version,
        `packages/old/${row.version}.nupkg`,
        row.signatureReport ? "VALID" : "UNSIGNED",
        row.signatureReport,
        stored(CLAIMED),
        stored(PUBLISHED),
      ],
    );
    if (row.attempt) {
      await run(
        `INSERT INTO "UploadAttempt" ("id", "uploaderId", "source", "status", "fileSize", "createdAt", "packageVersionId") VALUES ($1, 'u1', 'API', 'ACCEPTED', 1, $2, $3)`,
        [`a${index}`, stored(UPLOADED), id],
      );
    }
  }
}

/** Each row's proven signing time as the database holds it, read without Prisma (whose schema is that of the last migration). */
async function provenTimes(connection: RawConnection): Promise<Record<string, ProvenTime>> {
  const rows = await connection.query(
    `SELECT "version", "provenSigningTime", "provenSigningTimeSource" FROM "PackageVersion"`,
  );
  return Object.fromEntries(
    rows.map((row) => [
      String(row.version),
      {
        time: new Date(row.provenSigningTime as string | Date).toISOString(),
        source: row.provenSigningTimeSource as ProvenTime["source"],
      },
    ]),
  );
}

async function revision(connection: RawConnection): Promise<number> {
  const [row] = await connection.query(`SELECT "value" FROM "GalleryRevision" WHERE "id" = 1`);
  return Number(row?.value);
}

describe.each(testDialects())(`migration ${MIGRATION} on %s`, (dialect) => {
  let scratch: ScratchDatabase;
  let db: Db;
  let revisionBefore = 0;
  let revisionAfter = 0;
  let revisionAfterCorrection = 0;
  let after0006: Record<string, ProvenTime> = {};
  let bareInsertAfter0006: Promise<unknown> = Promise.resolve();

  beforeAll(async () => {
    scratch = await createScratchDatabase(dialect);
    const migrations = readMigrations(path.resolve("prisma/migrations"), dialect);
    const connection = await openRawConnection(scratch.url);
    try {
      await applyMigrations(
        connection,
        migrations.filter((migration) => migration.name < MIGRATION),
      );
      await connection.transaction(() => insertOldRows(connection));
      revisionBefore = await revision(connection);
      // Up to this migration only: later ones add checks of their own (the publication log's
      // trigger also refuses a version row without its entry) that would answer first.
      expect(
        await applyMigrations(
          connection,
          migrations.filter((migration) => migration.name <= MIGRATION),
        ),
      ).toEqual([MIGRATION]);
      revisionAfter = await revision(connection);
      after0006 = await provenTimes(connection);
      // Tried before the later migrations, whose own checks (the publication log's) would answer first.
      bareInsertAfter0006 = connection.query(
        `INSERT INTO "PackageVersion" ("id", "registrationId", "version", "versionLower", "originalVersion", "isPrerelease", "isSemVer2", "description",
           "authors", "nuspecXml", "storageKey", "packageSize", "sha512", "contentHash", "signatureStatus", "publisherId")
         VALUES ('bare', 'r1', '9.0.0', '9.0.0', '9.0.0', FALSE, FALSE, 'd', 'a', '<package />', 'k', 1, 'c2hh', 'Y29u', 'UNSIGNED', 'u1')`,
      );
      await bareInsertAfter0006.catch(() => undefined);
      expect(
        await applyMigrations(
          connection,
          migrations.filter((migration) => migration.name <= FIRST_TIMESTAMP_CORRECTION),
        ),
      ).toContain(FIRST_TIMESTAMP_CORRECTION);
      revisionAfterCorrection = await revision(connection);
    } finally {
      await connection.close();
    }
    db = createDb(scratch.url);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
  });

  it("0006 derives each old row's proven signing time from its first valid timestamp, else its upload, else its publication; never the claimed time", () => {
    expect(after0006).toEqual(Object.fromEntries(OLD_ROWS.map((row) => [row.version, row.by0006 ?? row.expected])));
  });

  it("0012 holds it to the first timestamp: a version whose first timestamp is not valid is proven signed on receipt", async () => {
    const rows = await db.packageVersion.findMany({
      select: { version: true, provenSigningTime: true, provenSigningTimeSource: true },
    });
    expect(
      Object.fromEntries(
        rows.map((row) => [
          row.version,
          { time: row.provenSigningTime.toISOString(), source: row.provenSigningTimeSource },
        ]),
      ),
    ).toEqual(Object.fromEntries(OLD_ROWS.map((row) => [row.version, row.expected])));
  });

  it("agrees with provenSigningTime, the rule new versions are published with", () => {
    for (const row of OLD_ROWS) {
      let parsed: SignatureReport | null = null;
      try {
        parsed = row.signatureReport ? (JSON.parse(row.signatureReport) as SignatureReport) : null;
      } catch {
        parsed = null;
      }
      const derived = provenSigningTime(parsed, new Date(row.attempt ? UPLOADED : PUBLISHED));
      expect({ time: derived.time.toISOString(), source: derived.source }, row.version).toEqual(row.expected);
    }
  });

  it("raises the gallery revision, so cached pages showing the old rows are stale", () => {
    expect(revisionAfter).toBeGreaterThan(revisionBefore);
    expect(revisionAfterCorrection).toBeGreaterThan(revisionAfter);
  });

  it("writes times that compare with Prisma's at the boundary: a compromise at the very proven time flags the version", async () => {
    for (const row of OLD_ROWS) {
      expect(
        await db.packageVersion.count({
          where: { version: row.version, provenSigningTime: new Date(row.expected.time) },
        }),
        row.version,
      ).toBe(1);
    }
    // Only the columns 0006 knows: the client's default select would name later ones.
    const certificate = await db.certificate.create({
      data: { sha256Fingerprint: "cd".repeat(32) },
      select: { id: true },
    });
    await db.packageVersion.updateMany({ data: { signerCertificateId: certificate.id } });
    const flaggedAt = async (iso: string) =>
      (
        await db.packageVersion.findMany({
          where: signedWhileCompromisedWhere(certificate.id, new Date(iso)),
          select: { version: true },
          orderBy: { version: "asc" },
        })
      ).map((row) => row.version);
    expect(await flaggedAt("2024-05-06T07:08:09.123Z")).toContain("1.0.0-timestamped");
    expect(await flaggedAt("2024-05-06T07:08:09.124Z")).not.toContain("1.0.0-timestamped");
    expect(await flaggedAt(UPLOADED)).toContain("1.0.1-backdated-untimestamped");
    expect(await flaggedAt("2026-02-27T08:30:00.251Z")).not.toContain("1.0.1-backdated-untimestamped");
  });

  it("refuses a version written without a proven signing time", async () => {
    await expect(bareInsertAfter0006).rejects.toThrow(/provenSigningTime/);
  });
});
