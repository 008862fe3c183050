// The publication log in the database, on SQLite and PostgreSQL: appends store exactly the
// tree merkle.ts builds in memory, proofs and tiles read back from it agree, concurrent appends
// get consecutive indexes, a rolled-back append leaves nothing, and the database itself refuses
// edits to the log and versions without their entry.
import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { encodeEntry, type LogEntry } from "@/lib/tlog/entry";
import {
  appendLeaf,
  consistencyProofRanges,
  EMPTY_TREE_ROOT,
  hashRanges,
  inclusionProofRanges,
  leafHash,
  lookupFrom,
  verifyConsistency,
  verifyInclusion,
  type Hash,
  type NodeLookup,
  type StoredNode,
} from "@/lib/tlog/merkle";
import {
  appendEntry,
  consistencyProof,
  inclusionProof,
  readEntries,
  readLevelHashes,
  readTreeHead,
  rootAt,
} from "@/lib/tlog/store";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";
import { fixtureSha512 } from "@/test/support/published-version";

const hex = (hash: Uint8Array) => Buffer.from(hash).toString("hex");

/** The database's own sentence for a refused statement (Prisma's SQLite adapter files trigger refusals under a generic code). */
async function refusal(operation: Promise<unknown>): Promise<string> {
  try {
    await operation;
  } catch (failure) {
    const { message, meta } = failure as {
      message: string;
      meta?: { driverAdapterError?: { cause?: { originalMessage?: string } } };
    };
    return meta?.driverAdapterError?.cause?.originalMessage ?? message;
  }
  return "(no refusal)";
}

function unlisting(name: string): LogEntry {
  return { kind: "unlist", packageId: name, version: "1.0.0", by: "alice", time: new Date("2026-11-23T10:00:00Z") };
}

/** The tree of the stored entries, rebuilt in memory from their bytes alone. */
async function rebuild(db: Db): Promise<{ lookup: NodeLookup; roots: Hash[]; leaves: Hash[] }> {
  const { size } = await readTreeHead(db);
  const entries = await readEntries(db, 0, size);
  let range: Hash[] = [];
  const nodes: StoredNode[] = [];
  const roots: Hash[] = [EMPTY_TREE_ROOT];
  const leaves = entries.map(leafHash);
  leaves.forEach((leaf, index) => {
    const appended = appendLeaf(index, range, leaf);
    range = appended.compactRange;
    nodes.push(...appended.nodes);
    roots.push(appended.root);
  });
  return { lookup: lookupFrom(nodes), roots, leaves };
}

describe.each(testDialects())("the publication log in the %s database", (dialect) => {
  const database = useMigratedDatabase(dialect);
  const COUNT = 300;

  it("starts as the empty tree", async () => {
    expect(await readTreeHead(database())).toEqual({ size: 0, root: EMPTY_TREE_ROOT });
  });

  it("stores the tree merkle.ts builds: every root, inclusion proof, consistency proof and tile agrees", async () => {
    const db = database();
    for (let i = 0; i < COUNT; i++) {
      const index = await db.$transaction((tx) => appendEntry(tx, unlisting(`Pkg${i}`)));
      expect(index).toBe(i);
    }
    const head = await readTreeHead(db);
    const memory = await rebuild(db);
    expect(head.size).toBe(COUNT);
    expect(await db.logEntry.count()).toBe(COUNT);
    expect(hex(head.root)).toBe(hex(memory.roots[COUNT] as Hash));
    // 2n - popcount(n) complete subtrees: each append stored only what its leaf completed.
    expect(await db.logNode.count()).toBe(2 * COUNT - COUNT.toString(2).replaceAll("0", "").length);

    const sizes = [1, 2, 3, 7, 8, 9, 31, 32, 33, 127, 128, 129, 255, 256, 257, COUNT];
    for (const size of sizes) {
      expect(hex(await rootAt(db, size))).toBe(hex(memory.roots[size] as Hash));
      for (let index = 0; index < size; index += size > 40 ? 7 : 1) {
        const proof = await inclusionProof(db, index, size);
        expect(proof.map(hex)).toEqual(hashRanges(inclusionProofRanges(index, size), memory.lookup).map(hex));
        expect(verifyInclusion(index, size, memory.leaves[index] as Hash, proof, memory.roots[size] as Hash)).toBe(
          true,
        );
      }
      for (const size1 of sizes.filter((candidate) => candidate <= size)) {
        const proof = await consistencyProof(db, size1, size);
        expect(proof.map(hex)).toEqual(hashRanges(consistencyProofRanges(size1, size), memory.lookup).map(hex));
        expect(verifyConsistency(size1, size, proof, memory.roots[size1] as Hash, memory.roots[size] as Hash)).toBe(
          true,
        );
      }
    }
    expect((await readLevelHashes(db, 0, 256, 44)).map(hex)).toEqual(memory.leaves.slice(256, 300).map(hex));
    expect((await readLevelHashes(db, 8, 0, 1)).map(hex)).toEqual([
      hex(hashRanges([{ start: 0, end: 256 }], memory.lookup)[0] as Hash),
    ]);
  });

  it("gives concurrent appends consecutive indexes, with no gaps and no repeats", async () => {
    const db = database();
    const before = (await readTreeHead(db)).size;
    const indexes = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        db.$transaction((tx) => appendEntry(tx, unlisting(`Concurrent${i}`)), { maxWait: 60_000, timeout: 60_000 }),
      ),
    );
    expect([...indexes].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => before + i));
    const head = await readTreeHead(db);
    expect(head.size).toBe(before + 24);
    expect(await db.logEntry.count()).toBe(head.size);
    expect(hex(head.root)).toBe(hex((await rebuild(db)).roots[head.size] as Hash));
  });

  it("leaves no trace of an append whose transaction rolls back", async () => {
    const db = database();
    const before = await readTreeHead(db);
    const nodes = await db.logNode.count();
    await expect(
      db.$transaction(async (tx) => {
        await appendEntry(tx, unlisting("RolledBack"));
        throw new Error("the change this entry recorded failed");
      }),
    ).rejects.toThrow("the change this entry recorded failed");
    expect(await readTreeHead(db)).toEqual(before);
    expect(await db.logNode.count()).toBe(nodes);
    expect(await db.logEntry.count({ where: { packageIdLower: "rolledback" } })).toBe(0);
  });

  it("refuses, in the database itself, to change or remove entries and tree hashes, or to shrink the tree", async () => {
    const db = database();
    expect(
      await refusal(db.logEntry.update({ where: { index: 0 }, data: { data: encodeEntry(unlisting("Rewritten")) } })),
    ).toMatch(/append-only/);
    expect(await refusal(db.logEntry.delete({ where: { index: 0 } }))).toMatch(/append-only/);
    expect(
      await refusal(
        db.logNode.update({ where: { level_index: { level: 0, index: 0 } }, data: { hash: new Uint8Array(32) } }),
      ),
    ).toMatch(/append-only/);
    expect(await refusal(db.logNode.deleteMany({}))).toMatch(/append-only/);
    expect(await refusal(db.logHead.update({ where: { id: 1 }, data: { size: 1 } }))).toMatch(/shrink|append-only/);
  });

  it("refuses a package version without its own publication entry", async () => {
    const db = database();
    const user = await db.user.create({ data: { email: "p@example.test", username: "p" } });
    const registration = await db.packageRegistration.create({
      data: { packageId: "Logged.Pkg", packageIdLower: "logged.pkg" },
    });
    const row = {
      registrationId: registration.id,
      version: "1.0.0",
      versionLower: "1.0.0",
      originalVersion: "1.0.0",
      isPrerelease: false,
      isSemVer2: false,
      description: "d",
      authors: "a",
      nuspecXml: "<package />",
      storageKey: "packages/logged.pkg/1.0.0/logged.pkg.1.0.0.nupkg",
      packageSize: 1,
      sha512: fixtureSha512("logged.pkg"),
      contentHash: "Y29udGVudA==",
      signatureStatus: "UNSIGNED" as const,
      provenSigningTime: new Date(),
      provenSigningTimeSource: "RECEIVED" as const,
      publisherId: user.id,
    };
    const publish = (packageId: string, version: string) =>
      db.$transaction((tx) =>
        appendEntry(tx, {
          kind: "publish",
          packageId,
          version,
          publishedSha512: row.sha512,
          uploadedSha512: row.sha512,
          authorSigner: null,
          repositoryCertificate: null,
          owners: ["p"],
          time: new Date(),
        }),
      );
    expect(await refusal(db.packageVersion.create({ data: row }))).toMatch(/publication log/);
    const unlistEntry = await db.$transaction((tx) => appendEntry(tx, unlisting("Logged.Pkg")));
    expect(await refusal(db.packageVersion.create({ data: { ...row, logIndex: unlistEntry } }))).toMatch(
      /publication log/,
    );
    expect(
      await refusal(db.packageVersion.create({ data: { ...row, logIndex: await publish("Other.Pkg", "1.0.0") } })),
    ).toMatch(/publication log/);
    expect(
      await refusal(db.packageVersion.create({ data: { ...row, logIndex: await publish("Logged.Pkg", "2.0.0") } })),
    ).toMatch(/publication log/);
    const own = await publish("Logged.Pkg", "1.0.0");
    const created = await db.packageVersion.create({ data: { ...row, logIndex: own } });
    expect(
      await refusal(db.packageVersion.update({ where: { id: created.id }, data: { logIndex: unlistEntry } })),
    ).toMatch(/publication log/);
    expect((await db.packageVersion.findUniqueOrThrow({ where: { id: created.id } })).logIndex).toBe(own);
  });
});
