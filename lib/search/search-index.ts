// Keeping the search index in step with the gallery. Every change to what a package's search
// documents show calls one of these in the same transaction as the change:
// - refreshSearchDocuments: a package's versions (publish, unlist, relist, repository signing,
//   anything else on the version rows) or owners changed; its documents are written anew;
// - refreshSearchForCertificate: a certificate's compromise mark changed, which changes the
//   signing state of every version it signed;
// - refreshVerifiedIds: reservations changed, which changes which IDs are verified.
// Each also keeps the counts (SearchCount and, on PostgreSQL, each word's SearchWordCount) in step
// by subtracting what the old documents counted and adding the new ones, so no page ever counts
// the catalogue; SearchWordCount also keeps a row for every word a document has held, which a
// search reads to find the words a prefix stands for (sql.ts).
// A document holds the ID, its words, the shown version's package types and signing, whether the
// ID is verified, the package's downloads and when it last published (see schema.prisma). On
// SQLite its full-text row also holds its facets (facets.ts), and its id orders it by downloads
// and carries its variants and signing (document-ids.ts), so a change of any of these writes the
// document anew.

import { Prisma } from "@/generated/prisma/sqlite/client";
import { dialectOf, type Db, type DbClient } from "@/lib/db";
import { readReservationsForIds, type ReservationWithPattern } from "@/lib/packages/page-queries";
import { readPackageTypes } from "@/lib/packages/package-types";
import type { SigningTimeSource } from "@/lib/validation/proven-signing-time";
import { isTrustedSigning, signingState, type SignatureStatus } from "@/lib/packages/signing-state";
import { verifyPackageId, type AccountRef } from "@/lib/packages/verification";
import { BUCKET_SIZE, allocateIds, documentFlags, firstIdFor, idFits } from "./document-ids";
import { documentFacets } from "./facets";
import { EVERY_VARIANT, SEARCH_VARIANTS, documentVersions } from "./variants";
import { documentWords, idPairTokens, idTokens, idWords, idWordToken, LONGEST_INDEXED_PREFIX } from "./words";

/** Packages rewritten per round of queries. */
const REGISTRATIONS_PER_BATCH = 500;
/** Rows per INSERT, well below SQLite's 32,766 bound values. */
const ROWS_PER_INSERT = 1000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
}

interface RegistrationRow {
  id: string;
  packageId: string;
  packageIdLower: string;
}

interface OwnerRow {
  registrationId: string;
  id: string;
  username: string;
}

interface ListedVersionRow {
  id: string;
  registrationId: string;
  version: string;
  isPrerelease: boolean;
  isSemVer2: boolean;
  publishedAt: Date;
  title: string | null;
  tags: string | null;
  description: string;
  summary: string | null;
  authors: string;
  packageTypes: string | null;
  signatureStatus: SignatureStatus;
  signerCertificateId: string | null;
  provenSigningTime: Date;
  provenSigningTimeSource: SigningTimeSource;
  signerSubject: string | null;
  compromisedAt: Date | null;
}

interface StoredDocument {
  registrationId: string;
  variants: number;
  trusted: boolean | number | bigint;
  verified: boolean | number | bigint;
  packageTypes: string;
  /** On PostgreSQL, the document's words ("terms"); null otherwise. */
  words: string[] | null;
}

interface NewDocument {
  registrationId: string;
  versionId: string;
  variants: number;
  packageId: string;
  packageIdLower: string;
  idTokens: string;
  packageTypes: string[];
  trusted: boolean;
  verified: boolean;
  signerCertificateId: string | null;
  downloads: bigint;
  lastPublishedAt: Date;
  idTerms: string[];
  terms: string[];
  facets: string[];
}

interface PackageStats {
  registrationId: string;
  listedVersions: number;
  trustedVersions: number;
  downloads: bigint;
}

// ---- counts ----

export const LISTED_VERSIONS_KEY = "versions:listed";
export const TRUSTED_VERSIONS_KEY = "versions:trusted";
/** The package type a count key uses for "any type". */
export const ANY_TYPE = "*";

export function documentCountKey(variant: number, trusted: boolean, verified: boolean, packageType: string): string {
  return `documents:${variant}:${trusted ? 1 : 0}:${verified ? 1 : 0}:${packageType}`;
}

/** " dotnettool template " → ["dotnettool", "template"]. */
function storedTypes(packageTypes: string): string[] {
  return packageTypes.split(" ").filter((name) => name !== "");
}

function addDocumentCounts(
  deltas: Map<string, number>,
  document: { variants: number; trusted: boolean; verified: boolean; packageTypes: readonly string[] },
  sign: 1 | -1,
): void {
  for (const variant of SEARCH_VARIANTS) {
    if ((document.variants & variant.bit) === 0) continue;
    for (const type of [ANY_TYPE, ...document.packageTypes]) {
      const key = documentCountKey(variant.bit, document.trusted, document.verified, type);
      deltas.set(key, (deltas.get(key) ?? 0) + sign);
    }
  }
}

/**
 * On PostgreSQL, the words of a document that every variant shows, each counted once per document
 * (SearchWordCount, migration 0035): a one-word search tells from them that its matches are many
 * without counting them (sql.ts wordCountsShowMany). Other documents' words are not counted, but
 * have rows too (see refreshBatch).
 */
function addWordCounts(
  deltas: Map<string, number>,
  document: { variants: number; words: readonly string[] | null },
  sign: 1 | -1,
): void {
  if (document.variants !== EVERY_VARIANT || document.words === null) return;
  for (const word of document.words) deltas.set(word, (deltas.get(word) ?? 0) + sign);
}

/** A table of counts the index keeps, and its key and count columns. */
interface CountTable {
  table: string;
  key: string;
  count: string;
}

const SEARCH_COUNTS: CountTable = { table: "SearchCount", key: "key", count: "count" };
const WORD_COUNTS: CountTable = { table: "SearchWordCount", key: "word", count: "documents" };

/**
 * Adds the deltas to the counts, and gives each key of `present` a row (at 0 when new) without
 * changing its count.
 */
async function applyCountDeltas(
  db: DbClient,
  { table, key, count }: CountTable,
  deltas: ReadonlyMap<string, number>,
  present: ReadonlySet<string> = new Set(),
): Promise<void> {
  const rows = new Map([...present].map((name) => [name, 0]));
  for (const [name, delta] of deltas) if (delta !== 0) rows.set(name, delta);
  // In key order, so concurrent transactions lock the rows they share in the same order (PostgreSQL
  // locks a conflicting row also when the WHERE leaves it as it is).
  const changed = [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const [tableName, keyColumn, countColumn] = [table, key, count].map((name) => Prisma.raw(`"${name}"`));
  for (const chunk of chunks(changed, ROWS_PER_INSERT)) {
    const values = Prisma.join(chunk.map(([name, delta]) => Prisma.sql`(${name}, ${delta})`));
    await db.$executeRaw`INSERT INTO ${tableName} (${keyColumn}, ${countColumn}) VALUES ${values}
      ON CONFLICT (${keyColumn}) DO UPDATE SET ${countColumn} = ${tableName}.${countColumn} + excluded.${countColumn}
      WHERE excluded.${countColumn} <> 0`;
  }
}

// ---- reading what the documents show ----

async function readRegistrations(db: DbClient, ids: readonly string[]): Promise<RegistrationRow[]> {
  return db.$queryRaw<RegistrationRow[]>`
    SELECT "id", "packageId", "packageIdLower" FROM "PackageRegistration" WHERE "id" IN (${Prisma.join(ids)})`;
}

async function readOwners(db: DbClient, ids: readonly string[]): Promise<OwnerRow[]> {
  return db.$queryRaw<OwnerRow[]>`
    SELECT po."registrationId", u."id", u."username"
    FROM "PackageOwner" po JOIN "User" u ON u."id" = po."userId"
    WHERE po."registrationId" IN (${Prisma.join(ids)})
    ORDER BY po."createdAt", u."username"`;
}

async function readListedVersions(db: DbClient, ids: readonly string[]): Promise<ListedVersionRow[]> {
  return db.$queryRaw<ListedVersionRow[]>`
    SELECT v."id", v."registrationId", v."version", v."isPrerelease", v."isSemVer2", v."publishedAt", v."title", v."tags", v."description",
           v."summary", v."authors", v."packageTypes", v."signatureStatus", v."signerCertificateId", v."provenSigningTime",
           v."provenSigningTimeSource", c."subject" AS "signerSubject", c."compromisedAt"
    FROM "PackageVersion" v LEFT JOIN "Certificate" c ON c."id" = v."signerCertificateId"
    WHERE v."registrationId" IN (${Prisma.join(ids)}) AND v."listed" = true`;
}

async function readStoredDocuments(db: DbClient, ids: readonly string[]): Promise<StoredDocument[]> {
  const words = dialectOf(db) === "postgresql" ? Prisma.sql`tsvector_to_array("terms")` : Prisma.sql`NULL`;
  return db.$queryRaw<StoredDocument[]>`
    SELECT "registrationId", "variants", "trusted", "verified", "packageTypes", ${words} AS "words"
    FROM "SearchDocument" WHERE "registrationId" IN (${Prisma.join(ids)})`;
}

async function readStoredStats(db: DbClient, ids: readonly string[]): Promise<PackageStats[]> {
  return db.$queryRaw<PackageStats[]>`
    SELECT "registrationId", "listedVersions", "trustedVersions", "downloads" FROM "SearchPackageStats" WHERE "registrationId" IN (${Prisma.join(ids)})`;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

function isTrusted(version: ListedVersionRow): boolean {
  return isTrustedSigning(
    signingState({
      signatureStatus: version.signatureStatus,
      signer:
        version.signerCertificateId === null
          ? null
          : {
              subject: version.signerSubject,
              compromisedAt: version.compromisedAt === null ? null : new Date(version.compromisedAt),
            },
      provenSigningTime: new Date(version.provenSigningTime),
      provenSigningTimeSource: version.provenSigningTimeSource,
    }),
  );
}

function isVerified(
  registration: Pick<RegistrationRow, "packageId">,
  owners: readonly AccountRef[],
  reservations: readonly ReservationWithPattern[],
): boolean {
  return verifyPackageId(registration.packageId, owners, reservations).verified;
}

function documentsOf(
  registration: RegistrationRow,
  versions: readonly ListedVersionRow[],
  owners: readonly AccountRef[],
  verified: boolean,
  downloads: bigint,
): NewDocument[] {
  if (versions.length === 0) return [];
  const lastPublishedAt = new Date(Math.max(...versions.map((version) => new Date(version.publishedAt).getTime())));
  const ids = idWords(registration.packageId);
  const ownerNames = owners.map((owner) => owner.username);
  return documentVersions(
    versions.map((version) => ({
      ...version,
      listed: true,
      isPrerelease: Boolean(version.isPrerelease),
      isSemVer2: Boolean(version.isSemVer2),
    })),
  ).map(({ version, variants }) => {
    const packageTypes = readPackageTypes(version.packageTypes).map((name) => name.toLowerCase());
    const trusted = isTrusted(version);
    return {
      registrationId: registration.id,
      versionId: version.id,
      variants,
      packageId: registration.packageId,
      packageIdLower: registration.packageIdLower,
      idTokens: idTokens(registration.packageId),
      packageTypes,
      trusted,
      verified,
      signerCertificateId: version.signerCertificateId,
      downloads,
      lastPublishedAt,
      idTerms: ids,
      terms: [
        ...new Set([
          ...ids,
          ...documentWords([
            version.title,
            version.tags,
            version.summary,
            version.authors,
            ownerNames.join(" "),
            version.description,
          ]),
        ]),
      ],
      facets: documentFacets({ verified, owners: ownerNames, packageTypes }),
    };
  });
}

// ---- writing ----

/** On SQLite, the ids that order the documents by downloads and carry their flags (document-ids.ts), each next in its bucket. */
async function documentIds(db: DbClient, documents: readonly NewDocument[]): Promise<number[]> {
  const firstIds = [...new Set(documents.map((document) => firstIdFor(document.downloads)))];
  const rows = await db.$queryRaw<Array<{ first: number | bigint; last: number | bigint | null }>>`
    SELECT b."value" AS "first", (SELECT MAX(d."id") FROM "SearchDocument" d WHERE d."id" >= b."value" AND d."id" < b."value" + ${BUCKET_SIZE}) AS "last"
    FROM json_each(${JSON.stringify(firstIds)}) b`;
  const lastUsed = new Map(
    rows.filter((row) => row.last !== null).map((row) => [Number(row.first), Number(row.last)] as const),
  );
  return allocateIds(
    documents.map((document) => ({
      downloads: document.downloads,
      flags: documentFlags(document.variants, document.trusted),
    })),
    lastUsed,
  );
}

/**
 * On SQLite, adds the tokens of full-text rows just written to SearchTerm (migration 0029): those
 * longer than the prefix indexes, but an ID's pairs ("_a_b"). The rows are tokenized as SearchText
 * tokenizes them by writing them to SearchTermProbe, whose tokens are then read and which is then
 * emptied, all in the writer's transaction.
 */
async function listLongTokens(db: DbClient, rows: Prisma.Sql): Promise<void> {
  await db.$executeRaw`INSERT INTO "SearchTermProbe" (rowid, "idTerms", "terms", "facets") VALUES ${rows}`;
  await db.$executeRaw`INSERT INTO "SearchTerm" ("token")
    SELECT "term" FROM "SearchTermProbe_tokens" WHERE length("term") > ${LONGEST_INDEXED_PREFIX} AND NOT "term" GLOB '_*_*'
    ON CONFLICT ("token") DO NOTHING`;
  await db.$executeRaw`INSERT INTO "SearchTermProbe" ("SearchTermProbe") VALUES ('delete-all')`;
}

async function insertDocuments(db: DbClient, documents: readonly NewDocument[]): Promise<void> {
  const postgres = dialectOf(db) === "postgresql";
  for (const rows of chunks(documents, ROWS_PER_INSERT)) {
    const ids = postgres ? null : await documentIds(db, rows);
    const values = Prisma.join(
      rows.map((document, index) => {
        const columns = [
          ...(ids ? [ids[index]] : []),
          document.registrationId,
          document.versionId,
          document.variants,
          document.packageId,
          document.packageIdLower,
          document.idTokens,
          ` ${document.packageTypes.join(" ")} `,
          document.trusted,
          document.verified,
          document.signerCertificateId,
          document.downloads,
          document.lastPublishedAt,
        ];
        return postgres
          ? Prisma.sql`(${Prisma.join(columns)}, array_to_tsvector(${document.idTerms}::text[]), array_to_tsvector(${document.terms}::text[]))`
          : Prisma.sql`(${Prisma.join(columns)})`;
      }),
    );
    const termColumns = postgres ? Prisma.sql`, "idTerms", "terms"` : Prisma.empty;
    const idColumn = ids ? Prisma.sql`"id", ` : Prisma.empty;
    const inserted = await db.$queryRaw<Array<{ id: number; registrationId: string; versionId: string }>>`
      INSERT INTO "SearchDocument" (${idColumn}"registrationId", "versionId", "variants", "packageId", "packageIdLower", "idTokens", "packageTypes", "trusted",
        "verified", "signerCertificateId", "downloads", "lastPublishedAt"${termColumns})
      VALUES ${values}
      RETURNING "id", "registrationId", "versionId"`;
    const byKey = new Map(rows.map((document) => [`${document.registrationId}/${document.versionId}`, document]));
    const withIds = inserted.map((row) => ({
      id: Number(row.id),
      document: byKey.get(`${row.registrationId}/${row.versionId}`) as NewDocument,
    }));
    if (!postgres) {
      const words = Prisma.join(
        withIds.map(
          ({ id, document }) =>
            Prisma.sql`(${id}, ${[...document.idTerms.map(idWordToken), ...idPairTokens(document.packageId)].join(" ")}, ${document.terms.join(" ")}, ${document.facets.join(" ")})`,
        ),
      );
      await db.$executeRaw`INSERT INTO "SearchText" (rowid, "idTerms", "terms", "facets") VALUES ${words}`;
      await listLongTokens(db, words);
    }
    const types = withIds.flatMap(({ id, document }) =>
      document.packageTypes.map((type) => Prisma.sql`(${type}, ${id})`),
    );
    for (const typeRows of chunks(types, ROWS_PER_INSERT)) {
      await db.$executeRaw`INSERT INTO "SearchDocumentType" ("packageType", "documentId") VALUES ${Prisma.join(typeRows)}`;
    }
  }
}

async function writeStats(db: DbClient, stats: readonly PackageStats[]): Promise<void> {
  for (const rows of chunks(stats, ROWS_PER_INSERT)) {
    const values = Prisma.join(
      rows.map(
        (row) => Prisma.sql`(${row.registrationId}, ${row.listedVersions}, ${row.trustedVersions}, ${row.downloads})`,
      ),
    );
    await db.$executeRaw`INSERT INTO "SearchPackageStats" ("registrationId", "listedVersions", "trustedVersions", "downloads") VALUES ${values}
      ON CONFLICT ("registrationId") DO UPDATE SET "listedVersions" = excluded."listedVersions", "trustedVersions" = excluded."trustedVersions"`;
  }
}

async function refreshBatch(db: DbClient, ids: readonly string[]): Promise<void> {
  const registrations = await readRegistrations(db, ids);
  const [owners, versions, storedDocuments, storedStats, reservations] = [
    await readOwners(db, ids),
    await readListedVersions(db, ids),
    await readStoredDocuments(db, ids),
    await readStoredStats(db, ids),
    await readReservationsForIds(
      db,
      registrations.map((registration) => registration.packageIdLower),
    ),
  ];
  const ownersOf = groupBy(owners, (owner) => owner.registrationId);
  const versionsOf = groupBy(versions, (version) => version.registrationId);
  const statsOf = new Map(storedStats.map((row) => [row.registrationId, row]));

  const postgres = dialectOf(db) === "postgresql";
  const deltas = new Map<string, number>();
  const wordDeltas = new Map<string, number>();
  // On PostgreSQL, every word a document holds has a row in SearchWordCount, counted or not: a word the
  // package's documents held before has one, so only the others are written.
  const heldBefore = new Set<string>();
  const newWords = new Set<string>();
  for (const stored of storedDocuments) {
    addWordCounts(wordDeltas, { variants: Number(stored.variants), words: stored.words }, -1);
    for (const word of stored.words ?? []) heldBefore.add(word);
    addDocumentCounts(
      deltas,
      {
        variants: Number(stored.variants),
        trusted: Boolean(stored.trusted),
        verified: Boolean(stored.verified),
        packageTypes: storedTypes(stored.packageTypes),
      },
      -1,
    );
  }
  for (const stats of storedStats) {
    deltas.set(LISTED_VERSIONS_KEY, (deltas.get(LISTED_VERSIONS_KEY) ?? 0) - Number(stats.listedVersions));
    deltas.set(TRUSTED_VERSIONS_KEY, (deltas.get(TRUSTED_VERSIONS_KEY) ?? 0) - Number(stats.trustedVersions));
  }

  const documents: NewDocument[] = [];
  const stats: PackageStats[] = [];
  for (const registration of registrations) {
    const listed = versionsOf.get(registration.id) ?? [];
    const packageOwners = (ownersOf.get(registration.id) ?? []).map((owner) => ({
      id: owner.id,
      username: owner.username,
    }));
    const downloads = BigInt(statsOf.get(registration.id)?.downloads ?? 0);
    const own = documentsOf(
      registration,
      listed,
      packageOwners,
      isVerified(registration, packageOwners, reservations),
      downloads,
    );
    documents.push(...own);
    for (const document of own) {
      addDocumentCounts(deltas, document, 1);
      addWordCounts(wordDeltas, { variants: document.variants, words: postgres ? document.terms : null }, 1);
      if (postgres) for (const word of document.terms) if (!heldBefore.has(word)) newWords.add(word);
    }
    const row = {
      registrationId: registration.id,
      listedVersions: listed.length,
      trustedVersions: listed.filter(isTrusted).length,
      downloads,
    };
    stats.push(row);
    deltas.set(LISTED_VERSIONS_KEY, (deltas.get(LISTED_VERSIONS_KEY) ?? 0) + row.listedVersions);
    deltas.set(TRUSTED_VERSIONS_KEY, (deltas.get(TRUSTED_VERSIONS_KEY) ?? 0) + row.trustedVersions);
  }

  await db.$executeRaw`DELETE FROM "SearchDocument" WHERE "registrationId" IN (${Prisma.join(ids)})`;
  await insertDocuments(db, documents);
  await writeStats(db, stats);
  // SearchCount's rows first, then the words': every writer locks them in this one order.
  await applyCountDeltas(db, SEARCH_COUNTS, deltas);
  await applyCountDeltas(db, WORD_COUNTS, wordDeltas, newWords);
}

/** Writes the packages' search documents anew from their rows; for packages that no longer exist, removes them. */
export async function refreshSearchDocuments(db: DbClient, registrationIds: readonly string[]): Promise<void> {
  for (const batch of chunks([...new Set(registrationIds)], REGISTRATIONS_PER_BATCH)) await refreshBatch(db, batch);
}

/** After a certificate's compromise mark changed: every package with a version it signed. */
export async function refreshSearchForCertificate(db: DbClient, certificateId: string): Promise<void> {
  const rows = await db.$queryRaw<Array<{ registrationId: string }>>`
    SELECT DISTINCT "registrationId" FROM "PackageVersion" WHERE "signerCertificateId" = ${certificateId}`;
  await refreshSearchDocuments(
    db,
    rows.map((row) => row.registrationId),
  );
}

/**
 * After reservations changed: whether each package whose ID the patterns match is verified.
 * Only the packages whose flag flips are written anew (a prefix can cover tens of thousands of
 * packages; the flag is also a facet of their full-text rows, so they are written whole).
 */
export async function refreshVerifiedIds(db: DbClient, patternsLower: readonly string[]): Promise<void> {
  const conditions = patternsLower.map(
    (pattern) =>
      Prisma.sql`"packageIdLower" LIKE ${`${pattern.replace(/[\\%_]/g, (character) => `\\${character}`)}%`} ESCAPE '\\'`,
  );
  if (conditions.length === 0) return;
  const documents = await db.$queryRaw<
    Array<{ registrationId: string; packageId: string; packageIdLower: string; verified: boolean | number | bigint }>
  >`
    SELECT DISTINCT "registrationId", "packageId", "packageIdLower", "verified"
    FROM "SearchDocument" WHERE ${Prisma.join(conditions, " OR ")}`;
  const byRegistration = groupBy(documents, (document) => document.registrationId);
  const flipped: string[] = [];
  for (const ids of chunks([...byRegistration.keys()], REGISTRATIONS_PER_BATCH)) {
    const [owners, reservations] = [
      await readOwners(db, ids),
      await readReservationsForIds(
        db,
        ids.map((id) => byRegistration.get(id)?.[0]?.packageIdLower ?? ""),
      ),
    ];
    const ownersOf = groupBy(owners, (owner) => owner.registrationId);
    for (const id of ids) {
      const own = byRegistration.get(id) ?? [];
      const [first] = own;
      if (!first) continue;
      const verified = isVerified(first, ownersOf.get(id) ?? [], reservations);
      if (own.some((document) => Boolean(document.verified) !== verified)) flipped.push(id);
    }
  }
  await refreshSearchDocuments(db, flipped);
}

/**
 * Indexes every package that has never been indexed (after the migration that added the index,
 * or a bulk load), one transaction per batch. Returns how many.
 */
export async function indexUnindexedPackages(db: Db, onProgress?: (done: number) => void): Promise<number> {
  let done = 0;
  // In ID order from where the last batch ended, so each batch reads only its own rows rather
  // than passing over every package indexed before it (quadratic on a large catalogue). A
  // package published meanwhile is indexed by its own publish.
  let after = "";
  for (;;) {
    const rows = await db.$queryRaw<Array<{ id: string }>>`
      SELECT r."id" FROM "PackageRegistration" r
      WHERE r."id" > ${after} AND NOT EXISTS (SELECT 1 FROM "SearchPackageStats" s WHERE s."registrationId" = r."id")
      ORDER BY r."id" LIMIT ${REGISTRATIONS_PER_BATCH}`;
    const last = rows.at(-1);
    if (!last) return done;
    after = last.id;
    await db.$transaction(
      (tx) =>
        refreshBatch(
          tx,
          rows.map((row) => row.id),
        ),
      { timeout: 600_000, maxWait: 60_000 },
    );
    done += rows.length;
    onProgress?.(done);
  }
}

/**
 * Writes anew the documents of the packages a migration marked in SearchRefresh (see its
 * migration), removing each mark in the same transaction as its package's documents. Returns how many.
 */
export async function refreshMarkedPackages(db: Db): Promise<number> {
  let done = 0;
  for (;;) {
    const rows = await db.$queryRaw<Array<{ registrationId: string }>>`
      SELECT "registrationId" FROM "SearchRefresh" ORDER BY "registrationId" LIMIT ${REGISTRATIONS_PER_BATCH}`;
    if (rows.length === 0) return done;
    const ids = rows.map((row) => row.registrationId);
    await db.$transaction(
      async (tx) => {
        await refreshBatch(tx, ids);
        await tx.$executeRaw`DELETE FROM "SearchRefresh" WHERE "registrationId" IN (${Prisma.join(ids)})`;
      },
      { timeout: 600_000, maxWait: 60_000 },
    );
    done += ids.length;
  }
}

/**
 * After many documents were written at once (db:migrate's indexing and rewrites, a bulk load),
 * leaves the index as a search reads it fastest.
 * - SQLite: FTS5 keeps each transaction's rows as a segment of its own, and a deleted document's
 *   entries until its segment is merged, and a word's matches are read from every segment: after
 *   every document of the 100k catalogue was written anew, `"coho"* AND "http"* AND "sql"*` cost
 *   2.2 ms, 0.9 once the segments were merged into one ('optimize', 4 s at 100k).
 * - PostgreSQL: VACUUM, since search walks the downloads index without reading the documents
 *   (index-only, migration 0024) only on pages the visibility map marks all-visible, and a rewrite
 *   leaves none marked until then (autovacuum may not run for long on a table few write to): at
 *   500k the candidates of "json" took 70 ms instead of 7.5; an owner's rows (migration 0028) are
 *   read the same way, and so are the ID words counted (0032). On pages already marked it reads nothing.
 */
export async function compactSearchIndex(db: Db): Promise<void> {
  if (dialectOf(db) === "postgresql") {
    await db.$executeRawUnsafe(
      `VACUUM "SearchDocument", "PackageOwner", "SearchDocumentType", "SearchOwnerDocument", "SearchIdWord", "SearchWordCount"`,
    );
    return;
  }
  await db.$executeRawUnsafe(`INSERT INTO "SearchText" ("SearchText") VALUES ('optimize')`);
  await db.$executeRawUnsafe(`INSERT INTO "SearchIdTrigram" ("SearchIdTrigram") VALUES ('optimize')`);
}

export interface PackageDownloads {
  registrationId: string;
  downloads: bigint;
}

/**
 * Records packages' download totals (the roll-up's result) where search reads and orders by them.
 * On SQLite, a package whose documents' ids no longer order them by their new count (it grew past
 * its bucket, see document-ids.ts) has its documents written anew.
 */
export async function setPackageDownloads(db: DbClient, totals: readonly PackageDownloads[]): Promise<void> {
  const postgres = dialectOf(db) === "postgresql";
  for (const rows of chunks(totals, ROWS_PER_INSERT)) {
    const values = Prisma.join(
      rows.map((row) =>
        postgres
          ? Prisma.sql`(${row.registrationId}, ${row.downloads}::bigint)`
          : Prisma.sql`(${row.registrationId}, ${row.downloads})`,
      ),
    );
    const totalsTable = postgres
      ? Prisma.sql`(VALUES ${values}) AS t ("registrationId", "downloads")`
      : Prisma.sql`(SELECT column1 AS "registrationId", column2 AS "downloads" FROM (VALUES ${values})) AS t`;
    await db.$executeRaw`UPDATE "SearchPackageStats" SET "downloads" = t."downloads" FROM ${totalsTable} WHERE "SearchPackageStats"."registrationId" = t."registrationId"`;
    await db.$executeRaw`UPDATE "SearchDocument" SET "downloads" = t."downloads" FROM ${totalsTable} WHERE "SearchDocument"."registrationId" = t."registrationId"`;
    if (postgres) continue;
    const documents = await db.$queryRaw<
      Array<{ id: number | bigint; registrationId: string; downloads: number | bigint }>
    >`
      SELECT "id", "registrationId", "downloads" FROM "SearchDocument" WHERE "registrationId" IN (${Prisma.join(rows.map((row) => row.registrationId))})`;
    const moved = documents.filter((document) => !idFits(Number(document.id), BigInt(document.downloads)));
    await refreshSearchDocuments(
      db,
      moved.map((document) => document.registrationId),
    );
  }
}
