// npm run bench:tlog — what the publication log costs per publication and per proof.
//
// On scratch SQLite databases (the embedded default), through the same code the gallery runs:
//   1. 1,000 publications: each is a transaction appending a publication entry with
//      logPublication (owners read, head updated, entry and the completed subtrees written, new
//      root), as publish.ts does. Prints the median and p95 append time of the first and the last
//      100 (the append inside the transaction, which is what the log adds to a publication, and
//      the whole transaction with its commit), and the tree hashes written per append: O(log n)
//      work means the first and last hundred cost the same.
//   2. A generated log of BENCH_TLOG_ENTRIES entries (default 1,000,000): unlisting entries with
//      their tree hashes computed by merkle.ts and bulk-inserted straight into the tables. Then
//      200 real appends (publication entries), 1,000 inclusion proofs of random entries against
//      the current tree and 200 consistency proofs between random sizes, each read from the
//      database and hashed as the API does; median and p95 of each.
// Targets: under 5 ms per append and under 2 ms per inclusion proof at 1M entries.

import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { createDb, type Db } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { encodeEntry } from "@/lib/tlog/entry";
import { appendLeaf, leafHash, type Hash } from "@/lib/tlog/merkle";
import { logPublication } from "@/lib/tlog/record";
import { consistencyProof, inclusionProof, readTreeHead } from "@/lib/tlog/store";

const GENERATED_ENTRIES = Number(process.env.BENCH_TLOG_ENTRIES ?? 1_000_000);

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const summary = (values: number[]) => `median ${ms(quantile(values, 0.5))}, p95 ${ms(quantile(values, 0.95))}`;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function scratchDatabase(): Promise<{ dir: string; file: string; db: Db }> {
  const dir = mkdtempSync(path.join(tmpdir(), "signet-bench-tlog-"));
  const file = path.join(dir, "bench.db");
  await migrateDatabase(`file:${file}`);
  return { dir, file, db: createDb(`file:${file}`) };
}

async function publisher(db: Db): Promise<string> {
  const user = await db.user.create({ data: { email: "bench@example.test", username: "bench" } });
  const registration = await db.packageRegistration.create({
    data: { packageId: "Bench.Package", packageIdLower: "bench.package", owners: { create: { userId: user.id } } },
  });
  return registration.id;
}

interface AppendTimes {
  /** The append inside the publication's transaction: what the log adds to publishing. */
  append: number;
  /** The whole transaction, begin and commit included. */
  transaction: number;
}

/** One publication's log append, in its own transaction, as publish.ts writes it. */
async function appendPublication(db: Db, registrationId: string, n: number): Promise<AppendTimes> {
  const sha512 = createHash("sha512").update(`bench ${n}`).digest("base64");
  let append = 0;
  const transaction = await timed(() =>
    db.$transaction(async (tx) => {
      append = await timed(() =>
        logPublication(tx, {
          registrationId,
          packageId: "Bench.Package",
          version: `1.0.${n}`,
          publishedSha512: sha512,
          uploadedSha512: sha512,
          report: null,
          time: new Date(),
        }),
      );
    }),
  );
  return { append, transaction };
}

function appendSummary(times: AppendTimes[]): string {
  return `${summary(times.map((time) => time.append))} (whole transaction with commit: ${summary(times.map((time) => time.transaction))})`;
}

async function thousandPublications(): Promise<void> {
  const { dir, db } = await scratchDatabase();
  try {
    const registrationId = await publisher(db);
    const times: AppendTimes[] = [];
    for (let n = 0; n < 1000; n++) times.push(await appendPublication(db, registrationId, n));
    const nodes = await db.logNode.count();
    console.log("1,000 publications (fresh SQLite log):");
    console.log(`  append, publications 1-100:    ${appendSummary(times.slice(0, 100))}`);
    console.log(`  append, publications 901-1000: ${appendSummary(times.slice(900))}`);
    console.log(`  tree hashes written: ${nodes} for 1,000 entries (${(nodes / 1000).toFixed(2)} per append)`);
  } finally {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes `count` entries and their tree hashes straight into the tables, in one transaction. */
function generateLog(file: string, count: number): void {
  const raw = new Database(file);
  const insertEntry = raw.prepare(
    `INSERT INTO "LogEntry" ("index", "kind", "packageIdLower", "versionLower", "data") VALUES (?, 'unlist', ?, '1.0.0', ?)`,
  );
  const insertNode = raw.prepare(`INSERT INTO "LogNode" ("level", "index", "hash") VALUES (?, ?, ?)`);
  let range: Hash[] = [];
  let root: Hash = new Uint8Array(32);
  raw.transaction(() => {
    for (let index = 0; index < count; index++) {
      const packageId = `Generated.Package${index}`;
      const data = encodeEntry({
        kind: "unlist",
        packageId,
        version: "1.0.0",
        by: "generator",
        time: new Date(1_700_000_000_000 + index * 1000),
      });
      const appended = appendLeaf(index, range, leafHash(data));
      range = appended.compactRange;
      root = appended.root;
      insertEntry.run(index, packageId.toLowerCase(), data);
      for (const node of appended.nodes) insertNode.run(node.level, node.index, node.hash);
    }
    raw.prepare(`UPDATE "LogHead" SET "size" = ?, "root" = ? WHERE "id" = 1`).run(count, root);
  })();
  raw.close();
}

async function atScale(): Promise<void> {
  const { dir, file, db } = await scratchDatabase();
  try {
    const started = performance.now();
    generateLog(file, GENERATED_ENTRIES);
    console.log(
      `\nGenerated log of ${GENERATED_ENTRIES.toLocaleString("en")} entries in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    );
    const registrationId = await publisher(db);
    const appends: AppendTimes[] = [];
    for (let n = 0; n < 200; n++) appends.push(await appendPublication(db, registrationId, n));
    const { size } = await readTreeHead(db);
    const proofs: number[] = [];
    for (let n = 0; n < 1000; n++) {
      const index = Math.floor(Math.random() * size);
      proofs.push(await timed(() => inclusionProof(db, index, size)));
    }
    const consistency: number[] = [];
    for (let n = 0; n < 200; n++) {
      const size1 = 1 + Math.floor(Math.random() * (size - 1));
      consistency.push(await timed(() => consistencyProof(db, size1, size)));
    }
    console.log(`At ${size.toLocaleString("en")} entries:`);
    console.log(`  append (200 publications):       ${appendSummary(appends)}   (target < 5 ms)`);
    console.log(`  inclusion proof (1,000 random):  ${summary(proofs)}   (target < 2 ms)`);
    console.log(`  consistency proof (200 random):  ${summary(consistency)}`);
  } finally {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

await thousandPublications();
await atScale();
