// npm run db:migrate: applies pending migrations to DATABASE_URL (default ./data/signet.db) (on
// PostgreSQL then vacuums the tables search reads index-only), then
// fills columns that later migrations added and only the stored manifests can provide, renders the
// readmes of versions published before readmes were rendered at publish, logs versions published
// before the publication log existed, indexes packages published before the search index (or
// loaded in bulk) for search, and rewrites the search documents of packages a migration changed.
import { databaseUrl } from "@/lib/config";
import { createDb, dialectOf } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { fillMissingPackageTypes } from "@/lib/packages/package-types";
import { renderUnrenderedReadmes } from "@/lib/packages/readme-backfill";
import { indexUnindexedPackages, refreshMarkedPackages } from "@/lib/search/search-index";
import { logUnloggedVersions } from "@/lib/tlog/backfill";

const url = databaseUrl();
const applied = await migrateDatabase(url);
console.log(applied.length > 0 ? `Applied migrations: ${applied.join(", ")}` : "Database is up to date.");
const db = createDb(url);
try {
  if (applied.length > 0 && dialectOf(db) === "postgresql") {
    // Search walks the downloads index without reading the documents (index-only, migration
    // 0024) only on pages the visibility map marks all-visible, and a migration that rewrites a
    // table (0023 widened SearchDocument's ids) leaves none marked until a VACUUM, which
    // autovacuum may not run for long on a table few write to: at 500k the candidates of "json"
    // took 70 ms instead of 7.5 until then. On pages already marked VACUUM reads nothing.
    // SearchDocumentType too: a package type filter reads its rows from the index (0023 rewrote it).
    await db.$executeRawUnsafe(`VACUUM "SearchDocument", "PackageOwner", "SearchDocumentType"`);
  }
  const filled = await fillMissingPackageTypes(db);
  if (filled > 0) console.log(`Recorded the package types of ${filled} earlier versions.`);
  const rendered = await renderUnrenderedReadmes(db);
  if (rendered > 0) console.log(`Rendered the readmes of ${rendered} earlier versions.`);
  const logged = await logUnloggedVersions(db);
  if (logged > 0) console.log(`Logged ${logged} versions published before the publication log existed.`);
  const indexed = await indexUnindexedPackages(db);
  if (indexed > 0) console.log(`Added ${indexed} packages to the search index.`);
  const refreshed = await refreshMarkedPackages(db);
  if (refreshed > 0) console.log(`Rewrote the search documents of ${refreshed} packages a migration changed.`);
} finally {
  await db.$disconnect();
}
