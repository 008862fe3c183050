// The search index stays in step with the gallery: after each kind of change (publish, unlist,
// relist, owner change, compromise mark and its clearing, reservations), what search finds is
// what the rows say, and the documents and counts are exactly what indexing everything afresh
// would write.
import { beforeAll, describe, expect, it } from "vitest";
import { clearCertificateCompromised, markCertificateCompromised } from "@/lib/admin/certificates";
import { createReservation, deleteReservation } from "@/lib/admin/reservations";
import type { AuthenticatedApiKey } from "@/lib/api-keys/registry";
import { dialectOf, type Db } from "@/lib/db";
import type { DatabaseDialect } from "@/lib/config";
import { countGallery } from "@/lib/search/gallery-counts";
import { EVERY_VARIANT } from "@/lib/search/variants";
import { setVersionListed } from "@/lib/feed/listing";
import authorSigned from "@/test/support/gallery-fixtures/author-and-repository-signed.report.json";
import { seedUser, seedVersion } from "@/test/support/gallery-fixtures/seed-gallery";
import type { SignatureReport } from "@/lib/signing/report";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";
import { DEFAULT_SEARCH, searchPackages, type PackageSearchQuery } from "@/lib/search/search";
import {
  indexUnindexedPackages,
  refreshMarkedPackages,
  refreshSearchDocuments,
  setPackageDownloads,
} from "@/lib/search/search-index";
import { defaultMigrationsRoot, readMigrations } from "@/lib/db/migrate";

const signedReport = authorSigned as SignatureReport;

interface IndexState {
  documents: string[];
  counts: Record<string, number>;
}

async function indexState(db: Db): Promise<IndexState> {
  const documents = await db.searchDocument.findMany({
    select: {
      registrationId: true,
      versionId: true,
      variants: true,
      packageId: true,
      idTokens: true,
      packageTypes: true,
      trusted: true,
      verified: true,
      signerCertificateId: true,
      lastPublishedAt: true,
    },
  });
  const counts = await db.searchCount.findMany();
  return {
    documents: documents.map((document) => JSON.stringify(document)).sort(),
    counts: Object.fromEntries(counts.filter((row) => row.count !== 0n).map((row) => [row.key, Number(row.count)])),
  };
}

const OWNER_ROW_COLUMNS = [
  "owner",
  "id",
  "registrationId",
  "variants",
  "trusted",
  "verified",
  "packageTypes",
  "downloads",
  "packageIdLower",
  "lastPublishedAt",
];

/**
 * On PostgreSQL, the owner filter's rows (SearchOwnerDocument, migration 0028) are exactly each
 * owner name's documents with their columns, as the ownerships and the documents now say.
 */
async function expectOwnerRowsInStep(db: Db): Promise<void> {
  if (dialectOf(db) !== "postgresql") return;
  const kept = await db.$queryRawUnsafe(
    `SELECT ${OWNER_ROW_COLUMNS.map((column) => `"${column}"`).join(", ")} FROM "SearchOwnerDocument" ORDER BY "owner", "id"`,
  );
  const derived = await db.$queryRawUnsafe(`
    SELECT DISTINCT LOWER(u."username") AS "owner", ${OWNER_ROW_COLUMNS.slice(1)
      .map((column) => `d."${column}"`)
      .join(", ")}
    FROM "SearchDocument" d JOIN "PackageOwner" po ON po."registrationId" = d."registrationId" JOIN "User" u ON u."id" = po."userId"
    ORDER BY 1, 2`);
  expect(kept).toEqual(derived);
}

/** Words in the "C" collation's order: byte by byte in UTF-8. */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * On PostgreSQL, the ID words counted and read for ID candidates (SearchIdWord, migrations
 * 0032-0033) are exactly each document's ID words of four characters or more, each with the
 * document's word before it and the document's columns; and each is in SearchIdWordList.
 */
async function expectIdWordsInStep(db: Db): Promise<void> {
  if (dialectOf(db) !== "postgresql") return;
  type Row = {
    word: string;
    id: bigint;
    variants: number;
    previous: string;
    downloads: bigint;
    packageIdLower: string;
  };
  const kept = await db.$queryRawUnsafe<Row[]>(
    `SELECT "word", "id", "variants", "previous", "downloads", "packageIdLower" FROM "SearchIdWord"`,
  );
  const documents = await db.$queryRawUnsafe<Array<Omit<Row, "word" | "previous"> & { words: string[] }>>(
    `SELECT "id", "variants", "downloads", "packageIdLower", tsvector_to_array("idTerms") AS "words" FROM "SearchDocument"`,
  );
  const derived = documents.flatMap(({ words, ...document }) =>
    words
      .filter((word) => [...word].length >= 4)
      .sort(byBytes)
      .map((word, index, sorted) => ({ word, ...document, previous: sorted[index - 1] ?? "" })),
  );
  const order = (rows: readonly Row[]) =>
    rows
      .map(({ word, id, variants, previous, downloads, packageIdLower }) =>
        JSON.stringify([word, String(id), variants, previous, String(downloads), packageIdLower]),
      )
      .sort();
  expect(derived.length).toBeGreaterThan(0);
  expect(order(kept)).toEqual(order(derived));
  const listed = await db.$queryRawUnsafe<Array<{ word: string }>>(`SELECT "word" FROM "SearchIdWordList"`);
  const list = new Set(listed.map(({ word }) => word));
  expect(derived.filter(({ word }) => !list.has(word))).toEqual([]);
}

/**
 * On PostgreSQL, the word counts (SearchWordCount, migrations 0035-0036) are exactly, per word, how
 * many documents that every variant shows hold it; a word no such document holds any more counts 0;
 * and every word a document holds has a row (sql.ts indexedQuery reads the words a prefix starts there).
 */
async function expectWordCountsInStep(db: Db): Promise<void> {
  if (dialectOf(db) !== "postgresql") return;
  const kept = await db.$queryRawUnsafe<Array<{ word: string; documents: bigint }>>(
    `SELECT "word", "documents" FROM "SearchWordCount" WHERE "documents" <> 0`,
  );
  const rows = await db.$queryRawUnsafe<Array<{ word: string }>>(`SELECT "word" FROM "SearchWordCount"`);
  const held = await db.$queryRawUnsafe<Array<{ word: string }>>(
    `SELECT DISTINCT unnest(tsvector_to_array("terms")) AS "word" FROM "SearchDocument"`,
  );
  const present = new Set(rows.map(({ word }) => word));
  expect(held.map(({ word }) => word).filter((word) => !present.has(word))).toEqual([]);
  const documents = await db.$queryRawUnsafe<Array<{ words: string[] }>>(
    `SELECT tsvector_to_array("terms") AS "words" FROM "SearchDocument" WHERE "variants" = ${EVERY_VARIANT}`,
  );
  const derived = new Map<string, number>();
  for (const { words } of documents) for (const word of words) derived.set(word, (derived.get(word) ?? 0) + 1);
  expect(derived.size).toBeGreaterThan(0);
  expect(new Map(kept.map(({ word, documents }) => [word, Number(documents)]))).toEqual(derived);
}

/** The index as maintained equals the index built afresh from the rows. */
async function expectIndexInStep(db: Db): Promise<void> {
  const expectDerivedInStep = async () => {
    await expectOwnerRowsInStep(db);
    await expectIdWordsInStep(db);
    await expectWordCountsInStep(db);
  };
  await expectDerivedInStep();
  const maintained = await indexState(db);
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`DELETE FROM "SearchDocument"`;
    await tx.$executeRaw`DELETE FROM "SearchPackageStats"`;
    await tx.$executeRaw`DELETE FROM "SearchCount"`;
    if (dialectOf(db) === "postgresql") await tx.$executeRaw`DELETE FROM "SearchWordCount"`;
  });
  await indexUnindexedPackages(db);
  expect(await indexState(db)).toEqual(maintained);
  await expectDerivedInStep();
}

describe.each(testDialects())("search index maintenance on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  const ids = async (overrides: Partial<PackageSearchQuery>) =>
    (await searchPackages(database(), { ...DEFAULT_SEARCH, take: 100, ...overrides })).hits.map((hit) => hit.packageId);
  let alice: { id: string; username: string };
  let admin: { id: string; username: string };
  let key: AuthenticatedApiKey;

  beforeAll(async () => {
    const db = database();
    alice = await seedUser(db, "alice");
    admin = await seedUser(db, "admin");
    key = {
      user: alice,
      grant: { id: "key", scopes: ["push", "unlist"], packageGlob: "*", expiresAt: new Date("2099-01-01") },
    };
    await seedVersion(db, {
      packageId: "Contoso.Json",
      version: "1.0.0",
      owners: ["alice"],
      description: "Reads JSON documents",
      report: signedReport,
    });
    await seedVersion(db, {
      packageId: "Contoso.Json",
      version: "2.0.0-beta",
      owners: ["alice"],
      description: "Reads and writes JSON documents",
    });
    await seedVersion(db, {
      packageId: "Fabrikam.Yaml",
      version: "1.0.0",
      owners: ["bob"],
      description: "YAML documents",
    });
  });

  it("finds a published package at once, with its counts", async () => {
    expect(await ids({ text: "json" })).toEqual(["Contoso.Json"]);
    expect(await countGallery(database())).toEqual({ packages: 2, listedVersions: 3, signedVersions: 1 });
    await expectIndexInStep(database());
  });

  it("unlisting the shown version shows the next one; unlisting every version removes the package; relisting brings it back", async () => {
    const db = database();
    const shown = async (overrides: Partial<PackageSearchQuery> = {}) =>
      (
        await searchPackages(db, {
          ...DEFAULT_SEARCH,
          text: "packageid:Contoso.Json",
          preferStable: false,
          ...overrides,
        })
      ).hits[0]?.shown.version;
    expect(await shown()).toBe("2.0.0-beta");
    await setVersionListed(db, key, { packageId: "Contoso.Json", version: "2.0.0-beta" }, false);
    expect(await shown()).toBe("1.0.0");
    // The text of the version shown is what is searched: "writes" was only in 2.0.0-beta.
    expect(await ids({ text: "writes", preferStable: false })).toEqual([]);
    await setVersionListed(db, key, { packageId: "Contoso.Json", version: "1.0.0" }, false);
    expect(await ids({ text: "json" })).toEqual([]);
    expect(await countGallery(db)).toEqual({ packages: 1, listedVersions: 1, signedVersions: 0 });
    await expectIndexInStep(db);
    await setVersionListed(db, key, { packageId: "Contoso.Json", version: "1.0.0" }, true);
    await setVersionListed(db, key, { packageId: "Contoso.Json", version: "2.0.0-beta" }, true);
    expect(await shown()).toBe("2.0.0-beta");
    expect(await ids({ text: "writes", preferStable: false })).toEqual(["Contoso.Json"]);
    expect(await countGallery(db)).toEqual({ packages: 2, listedVersions: 3, signedVersions: 1 });
    await expectIndexInStep(db);
  });

  it("an owner change is searchable by owner and changes the Verified check", async () => {
    const db = database();
    const carol = await seedUser(db, "carol");
    await createReservation(db, admin.id, {
      pattern: "Fabrikam.*",
      isPublic: false,
      owners: ["carol"],
      reason: "Fabrikam's prefix",
    });
    expect(await ids({ text: "owner:carol" })).toEqual([]);
    expect(await ids({ verifiedOnly: true })).toEqual([]);
    const registration = await db.packageRegistration.findUniqueOrThrow({ where: { packageIdLower: "fabrikam.yaml" } });
    await db.$transaction(async (tx) => {
      await tx.packageOwner.create({ data: { registrationId: registration.id, userId: carol.id } });
      await refreshSearchDocuments(tx, [registration.id]);
    });
    expect(await ids({ text: "owner:carol" })).toEqual(["Fabrikam.Yaml"]);
    expect(await ids({ text: "carol" })).toEqual(["Fabrikam.Yaml"]);
    expect(await ids({ verifiedOnly: true })).toEqual(["Fabrikam.Yaml"]);
    await expectIndexInStep(db);
  });

  it("a reservation's creation and removal change the Verified check of every package it covers", async () => {
    const db = database();
    const created = await createReservation(db, admin.id, {
      pattern: "Contoso.*",
      isPublic: false,
      owners: ["alice"],
      reason: "Contoso's prefix",
    });
    expect(await ids({ verifiedOnly: true })).toEqual(["Contoso.Json", "Fabrikam.Yaml"]);
    expect(await ids({ text: "owner:alice", verifiedOnly: true })).toEqual(["Contoso.Json"]);
    const [hit] = (await searchPackages(db, { ...DEFAULT_SEARCH, text: "packageid:Contoso.Json" })).hits;
    expect(hit?.verification).toEqual({
      verified: true,
      sentence: "Verified: the ID prefix Contoso.* is reserved for package owner alice.",
    });
    await expectIndexInStep(db);
    await deleteReservation(db, admin.id, created.id, { reason: "Gone" });
    expect(await ids({ verifiedOnly: true })).toEqual(["Fabrikam.Yaml"]);
    expect(await ids({ text: "owner:alice", verifiedOnly: true })).toEqual([]);
    await expectIndexInStep(db);
  });

  it("an owner's addition and removal and a download roll-up reach the owner filter, in downloads order", async () => {
    const db = database();
    const registration = await db.packageRegistration.findUniqueOrThrow({ where: { packageIdLower: "fabrikam.yaml" } });
    const byOwner = (username: string) => ids({ text: `owner:${username}`, order: "downloads" });
    await db.$transaction(async (tx) => {
      await tx.packageOwner.create({ data: { registrationId: registration.id, userId: alice.id } });
      await refreshSearchDocuments(tx, [registration.id]);
    });
    expect(await byOwner("Alice")).toEqual(["Contoso.Json", "Fabrikam.Yaml"]);
    await expectIndexInStep(db);
    await setPackageDownloads(db, [{ registrationId: registration.id, downloads: 100n }]);
    expect(await byOwner("alice")).toEqual(["Fabrikam.Yaml", "Contoso.Json"]);
    await expectIndexInStep(db);
    await db.$transaction(async (tx) => {
      await tx.packageOwner.delete({
        where: { registrationId_userId: { registrationId: registration.id, userId: alice.id } },
      });
      await refreshSearchDocuments(tx, [registration.id]);
    });
    expect(await byOwner("alice")).toEqual(["Contoso.Json"]);
    expect(await byOwner("bob")).toEqual(["Fabrikam.Yaml"]);
    await expectIndexInStep(db);
  });

  it("a compromise mark takes the signed version out of 'signed only' and the signed count; clearing it puts it back", async () => {
    const db = database();
    const certificate = await db.certificate.findFirstOrThrow({ where: { signedVersions: { some: {} } } });
    const stableOnly = { includePrerelease: false, signedOnly: true };
    expect(await ids(stableOnly)).toEqual(["Contoso.Json"]);
    await markCertificateCompromised(db, admin.id, certificate.id, {
      compromisedAt: "2000-01-01T00:00:00Z",
      reason: "Key stolen",
    });
    expect(await ids(stableOnly)).toEqual([]);
    expect((await countGallery(db)).signedVersions).toBe(0);
    const [hit] = (
      await searchPackages(db, { ...DEFAULT_SEARCH, text: "packageid:Contoso.Json", includePrerelease: false })
    ).hits;
    expect(hit?.shown.signing.kind).toBe("compromised");
    await expectIndexInStep(db);
    await clearCertificateCompromised(db, admin.id, certificate.id, { reason: "False alarm" });
    expect(await ids(stableOnly)).toEqual(["Contoso.Json"]);
    expect((await countGallery(db)).signedVersions).toBe(1);
    await expectIndexInStep(db);
  });

  it("counts searches without words from the kept counts, the same as counting the matches", async () => {
    const db = database();
    for (const overrides of [
      {},
      { signedOnly: true },
      { verifiedOnly: true },
      { includePrerelease: false, includeSemVer2: false, preferStable: false },
      { packageType: "Dependency" },
    ]) {
      const counted = await searchPackages(db, { ...DEFAULT_SEARCH, ...overrides });
      expect(counted.total).toBe(counted.hits.length);
    }
  });
});

/** A migration's statements from the first starting with `start` on, run against the database. */
async function runMigrationFrom(db: Db, dialect: DatabaseDialect, name: string, start: string): Promise<void> {
  const migration = readMigrations(defaultMigrationsRoot(), dialect).find((candidate) => candidate.name === name);
  const rest = migration?.sql.slice(migration.sql.indexOf(start));
  expect(rest?.startsWith(start)).toBe(true);
  // One statement a call; none of these migrations has a statement ending a line inside another.
  for (const statement of (rest ?? "").split(/;\n/).map((text) => text.trim()))
    if (statement !== "") await db.$executeRawUnsafe(statement);
}

/**
 * What a data migration's marking does, without the rest of the migration: its statement from the
 * first INSERT INTO "SearchRefresh" on (the migrations mark last), run against the database.
 */
function runRefreshMarking(db: Db, dialect: DatabaseDialect, name: string): Promise<void> {
  return runMigrationFrom(db, dialect, name, 'INSERT INTO "SearchRefresh"');
}

describe.each(testDialects())("search documents after a data migration on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);

  it("0012's change of proven times marks the packages it affects (0021), and db:migrate's refresh rewrites their documents", async () => {
    const db = database();
    const admin = await seedUser(db, "admin");
    await seedVersion(db, { packageId: "Contoso.Signed", version: "1.0.0", owners: ["alice"], report: signedReport });
    await seedVersion(db, { packageId: "Fabrikam.Plain", version: "1.0.0", owners: ["bob"] });
    const certificate = await db.certificate.findFirstOrThrow({ where: { signedVersions: { some: {} } } });
    // Compromised long after the signature's timestamp: the version stays trusted.
    await markCertificateCompromised(db, admin.id, certificate.id, {
      compromisedAt: "2090-01-01T00:00:00Z",
      reason: "Key stolen",
    });
    const signedOnly = async () =>
      (await searchPackages(db, { ...DEFAULT_SEARCH, signedOnly: true })).hits.map((hit) => hit.packageId);
    expect(await signedOnly()).toEqual(["Contoso.Signed"]);

    // What 0012 did, in SQL and not through the gallery's code: the version is now proven signed
    // only when received, after the compromise, so it is no longer trusted; its document says otherwise.
    await db.packageVersion.updateMany({
      where: { signerCertificateId: certificate.id },
      data: { provenSigningTime: new Date("2091-01-01T00:00:00Z"), provenSigningTimeSource: "RECEIVED" },
    });
    expect(await signedOnly()).toEqual(["Contoso.Signed"]);

    await runRefreshMarking(db, dialect, "0021_search_refresh");
    expect(await db.searchRefresh.findMany()).toEqual([
      {
        registrationId: (
          await db.packageRegistration.findUniqueOrThrow({ where: { packageIdLower: "contoso.signed" } })
        ).id,
      },
    ]);

    expect(await refreshMarkedPackages(db)).toBe(1);
    expect(await signedOnly()).toEqual([]);
    expect(await db.searchRefresh.count()).toBe(0);
    expect((await countGallery(db)).signedVersions).toBe(0);
    await expectIndexInStep(db);
  });
});

describe.each(testDialects().filter((dialect) => dialect === "sqlite"))(
  "trigram rows after migration 0028 on %s",
  (dialect) => {
    const database = useMigratedDatabase(dialect);

    it("marks the IDs with a part no ID word holds, and db:migrate's refresh writes their '#nw' facet", async () => {
      const db = database();
      const longId = `Lonq.Extensions.Absq${"x".repeat(61)}`;
      for (const packageId of [longId, "Lonq.Extensions.Absqolute"])
        await seedVersion(db, { packageId, version: "1.0.0", owners: ["piet"], description: "A package" });
      const found = async () =>
        (await searchPackages(db, { ...DEFAULT_SEARCH, text: "onq.Extensions.Absq" })).hits
          .map((hit) => hit.packageId)
          .sort();
      expect(await found()).toEqual(["Lonq.Extensions.Absqolute", longId]);

      // The trigram row as the trigger before 0028 wrote it: no facet.
      const document = await db.searchDocument.findFirstOrThrow({ where: { packageId: longId } });
      await db.$executeRaw`DELETE FROM "SearchIdTrigram" WHERE rowid = ${document.id}`;
      await db.$executeRaw`INSERT INTO "SearchIdTrigram" (rowid, "packageIdLower", "facets") VALUES (${document.id}, ${longId.toLowerCase()}, '')`;
      expect(await found()).toEqual(["Lonq.Extensions.Absqolute"]);

      await runRefreshMarking(db, dialect, "0028_search_id_not_whole_facet");
      expect(await db.searchRefresh.count()).toBe(1);
      expect(await refreshMarkedPackages(db)).toBe(1);
      expect(await found()).toEqual(["Lonq.Extensions.Absqolute", longId]);
    });
  },
);

describe.each(testDialects().filter((dialect) => dialect === "sqlite"))(
  "the token list of migration 0029 on %s",
  (dialect) => {
    const database = useMigratedDatabase(dialect);

    it("is filled from the full-text rows already written", async () => {
      const db = database();
      await seedVersion(db, {
        packageId: "Backfill.Thing",
        version: "1.0.0",
        owners: ["piet"],
        description: "Extensionsqux",
      });
      const listed = async () =>
        (await db.$queryRaw<Array<{ token: string }>>`SELECT "token" FROM "SearchTerm" ORDER BY "token"`).map(
          (row) => row.token,
        );
      const written = await listed();
      expect(written).toEqual(expect.arrayContaining(["_backfill", "backfill", "extensionsqux"]));
      // As before 0029: no list. Its statements from the listing on fill it as the writes did.
      await db.$executeRaw`DELETE FROM "SearchTerm"`;
      await runMigrationFrom(db, dialect, "0029_search_terms", 'CREATE VIRTUAL TABLE temp."SearchText_tokens"');
      expect(await listed()).toEqual(written);
    });
  },
);
