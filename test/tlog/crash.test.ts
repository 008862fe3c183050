// kill -9 of a publishing process, between writing the log and committing, and at random
// moments: whatever committed is a sound log, and no version is ever served without its entry.
// The same for the repository-signing backfill: killed between writing its "repository-signed"
// entry and committing, it leaves no entry and the version as it was.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { LocalFolderStorage } from "@/lib/storage/local-folder";
import { createScratchDatabase, testDialects, type ScratchDatabase } from "@/test/db/scratch";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { createUnsignedPublishedVersion } from "@/test/support/published-version";
import { logInvariantViolations } from "./invariants";

const PUBLISH_WORKER = path.join(import.meta.dirname, "crash-worker.ts");
const BACKFILL_WORKER = path.join(import.meta.dirname, "backfill-crash-worker.ts");

interface Worker {
  process: ChildProcess;
  /** Resolves with the first line that matches. */
  waitFor(pattern: RegExp): Promise<string>;
  published: number[];
  exited: Promise<void>;
}

function startWorker(script: string, args: string[], environment: NodeJS.ProcessEnv): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: environment,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const published: number[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
    const match = /^published (\d+)$/.exec(line);
    if (match) published.push(Number(match[1]));
    for (const waiter of waiters.filter((candidate) => candidate.pattern.test(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return {
    process: child,
    published,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exited.then(() => reject(new Error(`the worker exited before printing ${pattern}: ${errors}`)));
      }),
  };
}

async function kill(worker: Worker): Promise<void> {
  worker.process.kill("SIGKILL");
  await worker.exited;
}

describe.each(testDialects())("a publishing process killed with SIGKILL on %s", (dialect) => {
  let scratch: ScratchDatabase;
  let db: Db;
  let storageDir: string;
  let environment: NodeJS.ProcessEnv;
  let uploaderId: string;
  let next = 0;

  /** One past the highest number published so far (a killed publication may have committed just before dying). */
  async function nextUnpublished(): Promise<number> {
    const registrations = await db.packageRegistration.findMany({ select: { packageIdLower: true } });
    return Math.max(-1, ...registrations.map((registration) => Number(registration.packageIdLower.split(".")[1]))) + 1;
  }

  beforeAll(async () => {
    scratch = await createScratchDatabase(dialect);
    await migrateDatabase(scratch.url);
    db = createDb(scratch.url);
    storageDir = mkdtempSync(path.join(tmpdir(), "signet-crash-"));
    environment = { ...process.env, DATABASE_URL: scratch.url, SIGNET_STORAGE_DIR: storageDir };
    uploaderId = (await db.user.create({ data: { email: "crash@example.test", username: "crash" } })).id;
  });

  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it("leaves nothing of a publication killed after its log entry and version were written, before the commit", async () => {
    for (let round = 0; round < 2; round++) {
      const worker = startWorker(PUBLISH_WORKER, [uploaderId, "Crash", String(next)], environment);
      // Let one publication through, then kill the next one inside its transaction.
      await worker.waitFor(/^published \d+$/);
      const line = await worker.waitFor(/^moving \d+$/);
      await kill(worker);
      const killed = Number(line.split(" ")[1]);
      expect(await logInvariantViolations(db)).toEqual([]);
      expect(await db.packageVersion.count({ where: { registration: { packageIdLower: `crash.${killed}` } } })).toBe(0);
      expect(await db.logEntry.count({ where: { packageIdLower: `crash.${killed}` } })).toBe(0);
      expect(await db.packageVersion.count()).toBe(await db.logEntry.count());
      next = killed;
    }
  });

  it("keeps a sound log when killed at random moments", async () => {
    for (let round = 0; round < 2; round++) {
      const worker = startWorker(PUBLISH_WORKER, [uploaderId, "Crash", String(next)], environment);
      await worker.waitFor(/^published \d+$/);
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.floor(Math.random() * 600)));
      await kill(worker);
      expect(await logInvariantViolations(db)).toEqual([]);
      for (const published of worker.published) {
        expect(
          await db.packageVersion.count({ where: { registration: { packageIdLower: `crash.${published}` } } }),
        ).toBe(1);
      }
      next = await nextUnpublished();
    }
    expect(await db.logEntry.count()).toBe(await db.packageVersion.count());
  });
});

describe.each(testDialects())("a repository-signing backfill killed with SIGKILL on %s", (dialect) => {
  let scratch: ScratchDatabase;
  let db: Db;
  let folder: string;
  let environment: NodeJS.ProcessEnv;
  const unsigned = new Map<string, string>();

  beforeAll(async () => {
    scratch = await createScratchDatabase(dialect);
    await migrateDatabase(scratch.url);
    db = createDb(scratch.url);
    folder = mkdtempSync(path.join(tmpdir(), "signet-backfill-crash-"));
    const storageDir = path.join(folder, "packages");
    environment = {
      ...process.env,
      DATABASE_URL: scratch.url,
      SIGNET_STORAGE_DIR: storageDir,
      SIGNET_DATA_DIR: path.join(folder, "data"),
    };
    const ownerId = (await db.user.create({ data: { email: "old@example.test", username: "old-timer" } })).id;
    const storage = new LocalFolderStorage(storageDir);
    for (const packageId of ["Backfill.One", "Backfill.Two"]) {
      const { storageKey, sha512 } = await createUnsignedPublishedVersion(db, storage, {
        ownerId,
        packageId,
        version: "1.0.0",
        bytes: buildUnsignedPackage({ id: packageId, version: "1.0.0" }),
      });
      unsigned.set(storageKey, sha512);
    }
  });

  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it("leaves no repository-signed entry, and the version and its file as logged, when killed between its log entry and its commit; the next run signs it", async () => {
    const worker = startWorker(BACKFILL_WORKER, [], environment);
    const killedKey = (await worker.waitFor(/^moving /)).slice("moving ".length);
    await kill(worker);
    expect(await db.logEntry.count({ where: { kind: "repository-signed" } })).toBe(0);
    expect(await db.packageVersion.count({ where: { repositoryCertificateId: { not: null } } })).toBe(0);
    expect(
      createHash("sha512")
        .update(readFileSync(path.join(environment.SIGNET_STORAGE_DIR as string, ...killedKey.split("/"))))
        .digest("base64"),
    ).toBe(unsigned.get(killedKey));
    expect(await logInvariantViolations(db)).toEqual([]);

    const rerun = startWorker(BACKFILL_WORKER, [], environment);
    expect(await rerun.waitFor(/^done /)).toContain('"signed":2');
    await rerun.exited;
    expect(await db.logEntry.count({ where: { kind: "repository-signed" } })).toBe(2);
    expect(await logInvariantViolations(db)).toEqual([]);
  });
});
