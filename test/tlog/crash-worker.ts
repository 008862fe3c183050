// Publishes packages <prefix>.<n> one after another through the upload pipeline, for the
// crash test to kill with SIGKILL. Before each file move (the last step before the commit, after
// the log entry and the version row are written) it prints "moving <n>" and waits, so the test
// can kill it exactly between writing the log and committing; "published <n>" follows each
// commit. Environment: DATABASE_URL, SIGNET_STORAGE_DIR. Arguments: uploader id, prefix, first n.
import { Readable } from "node:stream";
import { databaseUrl } from "@/lib/config";
import { createDb } from "@/lib/db";
import type { PackageStorage } from "@/lib/storage";
import { getStorage, services } from "@/lib/services";
import { receivePackageStream, submitPackage } from "@/lib/uploads";
import { buildUnsignedPackage } from "@/test/support/nupkg";

const [uploaderId, prefix, first] = process.argv.slice(2) as [string, string, string];
const db = createDb(databaseUrl());
const storage = getStorage();
let current = Number(first);
const pausingStorage: PackageStorage = Object.assign(Object.create(storage) as PackageStorage, {
  async move(fromKey: string, toKey: string) {
    process.stdout.write(`moving ${current}\n`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    return storage.move(fromKey, toKey);
  },
});

for (; ; current++) {
  const bytes = buildUnsignedPackage({ id: `${prefix}.${current}`, version: "1.0.0" });
  const received = await receivePackageStream(Readable.from([Buffer.from(bytes)]), {
    maxBytes: 1 << 20,
    staging: services.staging,
  });
  const outcome = await submitPackage(db, pausingStorage, received, {
    ...services.judging(),
    uploaderId,
    source: "API",
  });
  if (outcome.status !== "accepted")
    throw new Error(`${prefix}.${current} was refused: ${JSON.stringify(outcome.issues)}`);
  process.stdout.write(`published ${current}\n`);
}
