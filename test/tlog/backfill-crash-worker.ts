// Runs the repository-signing backfill (lib/uploads/backfill.ts) with the gallery's default
// signer, for the crash test to kill with SIGKILL. Before each file move (the last step before
// the commit, after the version row and its "repository-signed" log entry are written) it prints
// "moving <storage key>" and waits, so the test can kill it between writing the log and
// committing; "done" follows a finished run. Environment: DATABASE_URL, SIGNET_STORAGE_DIR,
// SIGNET_DATA_DIR (where the development repository certificate is made).
import { databaseUrl } from "@/lib/config";
import { createDb } from "@/lib/db";
import type { PackageStorage } from "@/lib/storage";
import { getStorage, services } from "@/lib/services";
import { repositorySignPublishedVersions } from "@/lib/uploads/backfill";

const db = createDb(databaseUrl());
const storage = getStorage();
const pausingStorage: PackageStorage = Object.assign(Object.create(storage) as PackageStorage, {
  async move(fromKey: string, toKey: string) {
    process.stdout.write(`moving ${toKey}\n`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    return storage.move(fromKey, toKey);
  },
});

const result = await repositorySignPublishedVersions(db, pausingStorage, {
  signer: await services.getRepositorySigner(),
  trust: services.getTrustStore(),
  staging: services.staging,
});
process.stdout.write(`done ${JSON.stringify(result)}\n`);
await db.$disconnect();
