// npm run repo-sign:backfill: adds the gallery's repository signature to every stored version
// that lacks it (lib/uploads/backfill.ts). Safe to stop (Ctrl-C finishes the version in hand)
// and to run again; prints each version and a summary, exits 1 when some could not be signed.
// With --queue it only queues the same work for the servers' background job worker (lib/jobs).
import { databaseUrl } from "@/lib/config";
import { createDb } from "@/lib/db";
import { BACKLOG_KEY, createJobQueue } from "@/lib/jobs";
import { getStorage, services } from "@/lib/services";
import { repositorySignPublishedVersions } from "@/lib/uploads/backfill";

let stopping = false;
process.on("SIGINT", () => {
  if (stopping) process.exit(130);
  stopping = true;
  console.log("Stopping after the current version (Ctrl-C again to stop at once; the next run carries on).");
});

const db = createDb(databaseUrl());
if (process.argv.includes("--queue")) {
  // Hand the work to the running servers' job workers instead: it survives their restarts.
  const queue = createJobQueue(db);
  try {
    await queue.send("repository-sign-backlog", {}, { singletonKey: BACKLOG_KEY });
    console.log(
      `Queued: ${await db.packageVersion.count({ where: { repositoryCertificateId: null } })} versions without the gallery's repository signature will be signed by the gallery's background worker.`,
    );
  } finally {
    await queue.stop();
    await db.$disconnect();
  }
  process.exit(0);
}
try {
  const result = await repositorySignPublishedVersions(db, getStorage(), {
    signer: await services.getRepositorySigner(),
    trust: services.getTrustStore(),
    staging: services.staging,
    shouldStop: () => stopping,
    onProgress: (event) => {
      const name = `${event.packageId} ${event.version}`;
      if (event.kind === "signed") console.log(`signed   ${name}`);
      else if (event.kind === "skipped") console.log(`skipped  ${name} (${event.reason})`);
      else console.log(`FAILED   ${name}: ${event.issue.code}: ${event.issue.message}`);
    },
  });
  console.log(
    `${result.signed} signed, ${result.failed.length} failed, ${result.remaining} still without the gallery's repository signature.`,
  );
  if (result.failed.length > 0) process.exitCode = 1;
} finally {
  await db.$disconnect();
}
