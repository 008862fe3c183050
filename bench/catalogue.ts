// npm run bench:catalogue -- --packages 500000 [--versions 5] [--users 10000] [--seed 1] [--resume]
// Fills DATABASE_URL (migrated first; it must hold no packages) with a generated nuget.org-like
// catalogue, in bulk SQL, not through the upload pipeline: package IDs from company prefixes and
// technical words (Zipf-distributed, so some words are common and most are rare), 5 versions
// each (some prerelease, some SemVer 2, a few unlisted), one or two owners among the users,
// author signatures on about a third (a few invalid, one signer certificate marked compromised),
// prefix reservations held by the owners of about a tenth of the IDs, package types (tools and
// templates are rare, as on nuget.org), and downloads (Zipf). Then it builds the search index
// with the gallery's own code (lib/search/search-index.ts). The publication log is left empty
// (its triggers, like the revision triggers, are off for the load): `npm run db:migrate` would
// log the versions, which the search benchmarks do not need.
// The word "json" is in about 1% of IDs and descriptions, as on nuget.org; BENCHMARKS.md
// queries it as the common word. Deterministic for a given --seed.
import { parseArgs } from "node:util";
import { databaseUrl } from "@/lib/config";
import { createDb } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { openRawConnection, type RawConnection } from "@/lib/db/raw";
import {
  compactSearchIndex,
  indexUnindexedPackages,
  setPackageDownloads,
  type PackageDownloads,
} from "@/lib/search/search-index";

const { values } = parseArgs({
  options: {
    packages: { type: "string", default: "10000" },
    versions: { type: "string", default: "5" },
    users: { type: "string", default: "10000" },
    seed: { type: "string", default: "1" },
    // An interrupted generation: the packages are written; make the same rows again (for their
    // downloads, which are set last), index what is not indexed yet, and set the downloads.
    resume: { type: "boolean", default: false },
  },
});
const PACKAGES = Number(values.packages);
const VERSIONS = Number(values.versions);
const USERS = Number(values.users);

/** mulberry32: a small seeded generator, so a catalogue can be made again exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(Number(values.seed));

/** An index in [0, n) with probability falling as 1/(rank+1): a few very common, most rare. */
/**
 * Downloads by popularity rank, as on nuget.org: one package at the top (5 billion), 5 million at
 * rank 1,000, ties only far down the tail. The ranks are a fixed shuffle of the packages (7919 is
 * prime, so index → rank is one to one). A draw per package would give thousands the same top count.
 */
function downloadsFor(index: number): bigint {
  const rank = (index * 7919 + 13) % PACKAGES;
  return BigInt(Math.floor(5e9 / (1 + rank)));
}

function zipf(n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(next() * Math.log(n + 1))) - 1);
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

const COMPANIES = [
  "Microsoft",
  "Contoso",
  "Fabrikam",
  "Acme",
  "Northwind",
  "Adventure",
  "Tailspin",
  "Litware",
  "Proseware",
  "Woodgrove",
  "Wingtip",
  "Coho",
  "Lucerne",
  "Margie",
  "Humongous",
  "Alpine",
  "Blue",
  "Trey",
  "Fourth",
  "Graphic",
  "Wide",
  "City",
  "Consolidated",
  "School",
];
const TECH = [
  "Extensions",
  "Logging",
  "Http",
  "Client",
  "Core",
  "Data",
  "Abstractions",
  "Configuration",
  "Hosting",
  "Caching",
  "Identity",
  "Security",
  "Serialization",
  "Xml",
  "Yaml",
  "Csv",
  "Testing",
  "Mocking",
  "Sql",
  "Sqlite",
  "Postgres",
  "Redis",
  "Azure",
  "Aws",
  "Storage",
  "Blob",
  "Queue",
  "Messaging",
  "Grpc",
  "Protobuf",
  "Graph",
  "Web",
  "Api",
  "Mvc",
  "Razor",
  "Blazor",
  "Maui",
  "Wpf",
  "Forms",
  "Drawing",
  "Imaging",
  "Pdf",
  "Excel",
  "Office",
  "Mail",
  "Smtp",
  "Crypto",
  "Hashing",
  "Compression",
  "Zip",
  "Tar",
  "Cli",
  "Console",
  "Tasks",
  "Threading",
  "Collections",
  "Linq",
  "Reactive",
  "Diagnostics",
  "Metrics",
  "Tracing",
  "Telemetry",
  "Validation",
  "Mapping",
  "Dependency",
  "Injection",
  "Scheduler",
  "Workflow",
  "Search",
  "Index",
  "Text",
  "Markdown",
  "Html",
  "Templates",
  "Analyzers",
  "Generators",
  "Tools",
  "Sdk",
];
const COMMON_WORD = "Json";
/** Made-up words: most IDs and descriptions are made of rare ones, as real catalogues are. */
const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ne",
  "ru",
  "sa",
  "to",
  "vi",
  "ze",
  "bra",
  "dor",
  "fen",
  "gul",
  "hix",
  "jor",
  "kel",
  "mun",
  "pry",
  "quo",
  "tas",
];
const RARE = Array.from({ length: 20000 }, () => {
  const length = 2 + Math.floor(next() * 3);
  const word = Array.from({ length }, () => pick(SYLLABLES)).join("");
  return word[0]?.toUpperCase() + word.slice(1);
});
const FILLER = [
  "A",
  "library",
  "for",
  "and",
  "the",
  "with",
  "to",
  "of",
  "fast",
  "simple",
  "lightweight",
  "modern",
  "easy",
  "support",
];

function packageIdFor(index: number): string {
  const parts = [COMPANIES[zipf(COMPANIES.length)] as string];
  const words = 1 + Math.floor(next() * 3);
  for (let word = 0; word < words; word++)
    parts.push(next() < 0.005 ? COMMON_WORD : next() < 0.5 ? (TECH[zipf(TECH.length)] as string) : pick(RARE));
  // Unique by construction: the index, spelt as a last word, where the words alone repeat.
  return `${parts.join(".")}.${pick(RARE)}${index.toString(36)}`;
}

function descriptionFor(packageId: string): string {
  const words = [pick(FILLER), "library", "for"];
  for (let index = 0; index < 18; index++)
    words.push(
      next() < 0.005
        ? COMMON_WORD.toLowerCase()
        : next() < 0.3
          ? pick(FILLER).toLowerCase()
          : next() < 0.5
            ? (TECH[zipf(TECH.length)] as string).toLowerCase()
            : pick(RARE).toLowerCase(),
    );
  return `${words.join(" ")} (${packageId}).`;
}

function iso(time: number): string {
  return new Date(time).toISOString().replace("Z", "+00:00");
}

const STATUSES = ["UNSIGNED", "VALID", "INVALID"] as const;

interface Tables {
  users: unknown[][];
  registrations: unknown[][];
  owners: unknown[][];
  versions: unknown[][];
  certificates: unknown[][];
  reservations: unknown[][];
  reservationOwners: unknown[][];
}

const COLUMNS = {
  User: ["id", "email", "username", "createdAt", "updatedAt"],
  PackageRegistration: ["id", "packageId", "packageIdLower", "createdAt"],
  PackageOwner: ["registrationId", "userId", "createdAt"],
  Certificate: ["id", "sha256Fingerprint", "subject", "issuer", "compromisedAt", "compromisedReason", "createdAt"],
  PrefixReservation: ["id", "pattern", "patternLower", "isPrefix", "isPublic", "createdAt"],
  PrefixReservationOwner: ["reservationId", "userId", "createdAt"],
  PackageVersion: [
    "id",
    "registrationId",
    "version",
    "versionLower",
    "originalVersion",
    "isPrerelease",
    "isSemVer2",
    "listed",
    "title",
    "description",
    "authors",
    "tags",
    "licenseExpression",
    "packageTypes",
    "nuspecXml",
    "storageKey",
    "packageSize",
    "sha512",
    "uploadedSha512",
    "contentHash",
    "signatureStatus",
    "signerCertificateId",
    "provenSigningTime",
    "provenSigningTimeSource",
    "publisherId",
    "publishedAt",
  ],
} as const;

/** Rows of one batch of packages; everything else is made once. */
function packageRows(from: number, to: number, certificateIds: string[], userIds: string[], now: number) {
  const rows: Pick<Tables, "registrations" | "owners" | "versions"> & { downloads: PackageDownloads[] } = {
    registrations: [],
    owners: [],
    versions: [],
    downloads: [],
  };
  for (let index = from; index < to; index++) {
    const id = `reg${index}`;
    const packageId = packageIdFor(index);
    const created = now - Math.floor(next() * 5 * 365 * 86_400_000);
    rows.registrations.push([id, packageId, packageId.toLowerCase(), iso(created)]);
    const owners = [userIds[zipf(userIds.length)] as string];
    if (next() < 0.2) owners.push(userIds[Math.floor(next() * userIds.length)] as string);
    for (const userId of new Set(owners)) rows.owners.push([id, userId, iso(created)]);
    const description = descriptionFor(packageId);
    const tags = Array.from({ length: 3 }, () => (TECH[zipf(TECH.length)] as string).toLowerCase()).join(" ");
    const type = next() < 0.02 ? '["DotnetTool"]' : next() < 0.005 ? '["Template"]' : "[]";
    const signer = next() < 0.33 ? (certificateIds[zipf(certificateIds.length)] as string) : null;
    const lastIsPrerelease = next() < 0.2;
    const semVer2 = next() < 0.05;
    for (let number = 0; number < VERSIONS; number++) {
      const prerelease = number === VERSIONS - 1 && lastIsPrerelease;
      const version = `${1 + Math.floor(number / 3)}.${number % 3}.0${prerelease ? "-beta.1" : ""}`;
      const original = semVer2 && number === VERSIONS - 2 ? `${version}+build.${number}` : version;
      const publishedAt = created + number * 30 * 86_400_000;
      const status = signer ? (next() < 0.05 ? STATUSES[2] : STATUSES[1]) : STATUSES[0];
      rows.versions.push([
        `ver${index}_${number}`,
        id,
        version,
        version.toLowerCase(),
        original,
        prerelease,
        semVer2 && number === VERSIONS - 2,
        next() > 0.02,
        null,
        description,
        `${packageId.split(".")[0]} Authors`,
        tags,
        "MIT",
        type,
        "<package />",
        `packages/${packageId.toLowerCase()}/${version}/${packageId.toLowerCase()}.${version}.nupkg`,
        4096,
        "c2hhNTEy",
        "c2hhNTEy",
        "Y29udGVudA==",
        status,
        status === "UNSIGNED" ? null : signer,
        iso(publishedAt),
        "RECEIVED",
        owners[0],
        iso(publishedAt),
      ]);
    }
    rows.downloads.push({ registrationId: id, downloads: downloadsFor(index) });
  }
  return rows;
}

async function insert(
  connection: RawConnection,
  table: keyof typeof COLUMNS,
  rows: readonly unknown[][],
): Promise<void> {
  const columns = COLUMNS[table];
  const quoted = columns.map((column) => `"${column}"`).join(", ");
  for (let start = 0; start < rows.length; start += 500) {
    const batch = rows.slice(start, start + 500);
    const placeholders = batch
      .map((_, row) => `(${columns.map((__, column) => `$${row * columns.length + column + 1}`).join(", ")})`)
      .join(", ");
    const values = batch
      .flat()
      .map((value) => (connection.dialect === "sqlite" && typeof value === "boolean" ? Number(value) : value));
    await connection.query(`INSERT INTO "${table}" (${quoted}) VALUES ${placeholders}`, values);
  }
}

const url = databaseUrl();
await migrateDatabase(url);
const connection = await openRawConnection(url);
const started = Date.now();
const downloads: PackageDownloads[] = [];
let droppedTriggers: Array<{ name: string; sql: string }> = [];
try {
  const [existing] = await connection.query(`SELECT COUNT(*) AS n FROM "PackageRegistration"`);
  const written = Number(existing?.n ?? 0);
  if (values.resume && written !== PACKAGES)
    throw new Error(`--resume needs the ${PACKAGES} packages written; the database holds ${written}.`);
  if (!values.resume && written > 0)
    throw new Error("The database already holds packages; generate into an empty one.");
  if (values.resume) {
    // Written: nothing to load.
  } else if (connection.dialect === "postgresql") {
    // Triggers and foreign keys off for the load (the revisions they raise mean nothing here); needs a superuser.
    await connection.exec("SET session_replication_role = replica");
  } else {
    await connection.exec("PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF");
    // SQLite cannot switch triggers off: those of the loaded tables are dropped for the load and
    // made again afterwards from the SQL SQLite stored for them.
    const loaded = Object.keys(COLUMNS)
      .map((table) => `'${table}'`)
      .join(", ");
    droppedTriggers = (await connection.query(
      `SELECT "name", "sql" FROM sqlite_master WHERE "type" = 'trigger' AND "tbl_name" IN (${loaded})`,
    )) as Array<{ name: string; sql: string }>;
    for (const trigger of droppedTriggers) await connection.exec(`DROP TRIGGER "${trigger.name}"`);
  }
  const now = Date.parse("2026-12-01T00:00:00Z");
  const userIds = Array.from({ length: USERS }, (_, index) => `user${index}`);
  const certificateIds = Array.from({ length: 300 }, (_, index) => `cert${index}`);
  const BATCH = 5000;
  if (values.resume) {
    // The same rows in the same order draw the same random numbers, so the same downloads.
    for (let from = 0; from < PACKAGES; from += BATCH)
      downloads.push(...packageRows(from, Math.min(PACKAGES, from + BATCH), certificateIds, userIds, now).downloads);
  }
  if (!values.resume)
    await insert(
      connection,
      "User",
      userIds.map((id) => [id, `${id}@example.test`, id, iso(now), iso(now)]),
    );
  if (!values.resume)
    await insert(
      connection,
      "Certificate",
      certificateIds.map((id, index) => [
        id,
        index.toString(16).padStart(64, "0"),
        `CN=Signer ${index}, O=Publisher ${index}`,
        "CN=Generated CA",
        index === 7 ? iso(now - 200 * 86_400_000) : null,
        index === 7 ? "Key stolen" : null,
        iso(now),
      ]),
    );
  // Each company prefix reserved for the user who owns the most packages (user0..), so Zipf puts them together.
  const reservations = COMPANIES.slice(1, 8).map((company, index) => [
    `res${index}`,
    `${company}.`,
    `${company.toLowerCase()}.`,
    true,
    false,
    iso(now),
  ]);
  if (!values.resume) {
    await insert(connection, "PrefixReservation", reservations);
    await insert(
      connection,
      "PrefixReservationOwner",
      reservations.map((row, index) => [row[0], userIds[index % 3], iso(now)]),
    );
  }

  for (let from = 0; from < (values.resume ? 0 : PACKAGES); from += BATCH) {
    const rows = packageRows(from, Math.min(PACKAGES, from + BATCH), certificateIds, userIds, now);
    await connection.transaction(async () => {
      await insert(connection, "PackageRegistration", rows.registrations);
      await insert(connection, "PackageOwner", rows.owners);
      await insert(connection, "PackageVersion", rows.versions);
    });
    downloads.push(...rows.downloads);
    if ((from / BATCH) % 10 === 0)
      console.log(
        `${Math.min(PACKAGES, from + BATCH)} packages written (${Math.round((Date.now() - started) / 1000)} s)`,
      );
  }
} finally {
  for (const trigger of droppedTriggers) await connection.exec(trigger.sql);
  await connection.close();
}

const db = createDb(url);
try {
  const indexed = await indexUnindexedPackages(db, (done) => {
    if (done % 50_000 === 0) console.log(`${done} packages indexed (${Math.round((Date.now() - started) / 1000)} s)`);
  });
  // What the download roll-up would have counted.
  await setPackageDownloads(db, downloads);
  // As `npm run db:migrate` leaves an index written in bulk.
  await compactSearchIndex(db);
  console.log(
    `${PACKAGES} packages × ${VERSIONS} versions written and ${indexed} indexed in ${Math.round((Date.now() - started) / 1000)} s.`,
  );
} finally {
  await db.$disconnect();
}
