// npm run db:migrate: applies pending migrations to DATABASE_URL (default ./data/signet.db), then
// fills columns that later migrations added and only the stored manifests can provide, renders the
// readmes of versions published before readmes were rendered at publish, logs versions published
// before the publication log existed, indexes packages published before the search index (or
// loaded in bulk) for search, rewrites the search documents of packages a migration changed, and
// then compacts the search index (search-index.ts compactSearchIndex).
import { databaseUrl } from "@/lib/config";
import { createDb } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { fillMissingPackageTypes } from "@/lib/packages/package-types";
import { renderUnrenderedReadmes } from "@/lib/packages/readme-backfill";
import { compactSearchIndex, indexUnindexedPackages, refreshMarkedPackages } from "@/lib/search/search-index";
import { logUnloggedVersions } from "@/lib/tlog/backfill";

const url = databaseUrl();
const applied = await migrateDatabase(url);
console.log(applied.length > 0 ? `Applied migrations: ${applied.join(", ")}` : "Database is up to date.");
const db = createDb(url);
try {
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
  if (applied.length > 0 || indexed > 0 || refreshed > 0) await compactSearchIndex(db);
} finally {
  await db.$disconnect();
}
