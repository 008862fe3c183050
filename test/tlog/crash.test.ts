// kill -9 of a publishing process, between writing the log and committing, and at random
// moments: whatever committed is a sound log, and no version is ever served without its entry.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { createScratchDatabase, testDialects, type ScratchDatabase } from "@/test/db/scratch";
import { logInvariantViolations } from "./invariants";

const WORKER = path.join(import.meta.dirname, "crash-worker.ts");

interface Worker {
  process: ChildProcess;
  /** Resolves with the first line that matches. */
  waitFor(pattern: RegExp): Promise<string>;
  published: number[];
  exited: Promise<void>;
}

function startWorker(environment: NodeJS.ProcessEnv, uploaderId: string, first: number): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER, uploaderId, "Crash", String(first)], { env: environment, stdio: ["ignore", "pipe", "pipe"] });
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
      const worker = startWorker(environment, uploaderId, next);
      // Let one publication through, then kill the next one inside its transaction.
      await worker.waitFor(/^published \d+$/);
      const line = await worker.waitFor(/^moving \d+$/);
      await kill(worker);
      const killed = Number(line.split(" ")[1]);
      expect(await logInvariantViolations(db)).toEqual([]);
      expect(await db.packageVersion.count({ where: { registration: { packageIdLower: `crash.${killed}` } } })).toBe(0);
      expect(await db.logEntry.count({ where: { packageIdLower: `crash.${killed}` } })).toBe(0);
      expect(await db.packageVersion.count()).toBe((await db.logEntry.count()));
      next = killed;
    }
  });

  it("keeps a sound log when killed at random moments", async () => {
    for (let round = 0; round < 2; round++) {
      const worker = startWorker(environment, uploaderId, next);
      await worker.waitFor(/^published \d+$/);
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.floor(Math.random() * 600)));
      await kill(worker);
      expect(await logInvariantViolations(db)).toEqual([]);
      for (const published of worker.published) {
        expect(await db.packageVersion.count({ where: { registration: { packageIdLower: `crash.${published}` } } })).toBe(1);
      }
      next = await nextUnpublished();
    }
    expect(await db.logEntry.count()).toBe(await db.packageVersion.count());
  });
});
