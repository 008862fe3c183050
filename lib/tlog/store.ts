// The publication log in the database: appending an entry inside the caller's transaction, and
// reading what checkpoints, proofs and tiles are made of. The tree math is merkle.ts; this file
// only moves hashes in and out of LogHead, LogEntry and LogNode.

import type { TransactionClient } from "@/generated/prisma/sqlite/internal/prismaNamespace";
import type { Db } from "@/lib/db";
import { encodeEntry, type LogEntry } from "./entry";
import {
  appendLeaf,
  compactRangeNodes,
  consistencyProofRanges,
  foldRange,
  hashRanges,
  inclusionProofRanges,
  leafHash,
  lookupFrom,
  nodesOfRanges,
  type Hash,
  type NodeId,
  type StoredNode,
} from "./merkle";

/** The gallery's client or an open transaction's: both can read the log. */
export type LogReader = Db | TransactionClient;

const HEAD_ID = 1;

export interface TreeHead {
  size: number;
  root: Hash;
}

/** A package version's address in entries that name one. */
function packageColumns(entry: LogEntry): { packageIdLower: string | null; versionLower: string | null } {
  return "packageId" in entry
    ? { packageIdLower: entry.packageId.toLowerCase(), versionLower: entry.version.toLowerCase() }
    : { packageIdLower: null, versionLower: null };
}

async function readNodes(reader: LogReader, nodes: readonly NodeId[]): Promise<StoredNode[]> {
  if (nodes.length === 0) return [];
  const rows = await reader.logNode.findMany({ where: { OR: nodes.map(({ level, index }) => ({ level, index })) } });
  return rows.map((row) => ({ level: row.level, index: row.index, hash: new Uint8Array(row.hash) }));
}

/**
 * Appends the entry as the next leaf, inside the caller's transaction, and returns its index.
 * The head row is updated first: on PostgreSQL its row lock queues every other append until
 * this transaction ends (SQLite runs one write transaction at a time anyway), so the size read
 * here is the true size and indexes have no gaps or repeats. If the transaction rolls back, the
 * entry, its nodes and the new size all go with it.
 *
 * Call it as the transaction's last database write before anything slow (the file move), so
 * the lock is held briefly and is always taken after the transaction's other row locks.
 */
export async function appendEntry(tx: TransactionClient, entry: LogEntry): Promise<number> {
  const data = encodeEntry(entry);
  const { size } = await tx.logHead.update({
    where: { id: HEAD_ID },
    data: { size: { increment: 1 } },
    select: { size: true },
  });
  const index = size - 1;
  const rangeNodes = compactRangeNodes(index);
  const lookup = lookupFrom(await readNodes(tx, rangeNodes));
  const appended = appendLeaf(index, rangeNodes.map(lookup), leafHash(data));
  await tx.logEntry.create({ data: { index, kind: entry.kind, ...packageColumns(entry), data } });
  await tx.logNode.createMany({
    data: appended.nodes.map(({ level, index: position, hash }) => ({ level, index: position, hash })),
  });
  await tx.logHead.update({ where: { id: HEAD_ID }, data: { root: appended.root } });
  return index;
}

export async function readTreeHead(reader: LogReader): Promise<TreeHead> {
  const head = await reader.logHead.findUnique({ where: { id: HEAD_ID } });
  if (!head) throw new Error("The LogHead row is missing: the database was not migrated with 0009_publication_log.");
  return { size: head.size, root: new Uint8Array(head.root) };
}

// The proofs below are for sizes up to one the caller read with readTreeHead: stored nodes never
// change, so any such size can be proved at any later time.

/** The root of the tree when it had `size` leaves. */
export async function rootAt(reader: LogReader, size: number): Promise<Hash> {
  const nodes = compactRangeNodes(size);
  return foldRange(nodes.map(lookupFrom(await readNodes(reader, nodes))));
}

export async function inclusionProof(reader: LogReader, index: number, size: number): Promise<Hash[]> {
  const ranges = inclusionProofRanges(index, size);
  return hashRanges(ranges, lookupFrom(await readNodes(reader, nodesOfRanges(ranges))));
}

export async function consistencyProof(reader: LogReader, size1: number, size2: number): Promise<Hash[]> {
  const ranges = consistencyProofRanges(size1, size2);
  return hashRanges(ranges, lookupFrom(await readNodes(reader, nodesOfRanges(ranges))));
}

/** Stored hashes at one tree level, positions start .. start + count - 1, in order. */
export async function readLevelHashes(reader: LogReader, level: number, start: number, count: number): Promise<Hash[]> {
  const rows = await reader.logNode.findMany({
    where: { level, index: { gte: start, lt: start + count } },
    orderBy: { index: "asc" },
  });
  if (rows.length !== count) throw new Error(`the log is missing hashes at level ${level} from ${start}`);
  return rows.map((row) => new Uint8Array(row.hash));
}

export async function readEntries(reader: LogReader, start: number, count: number): Promise<Uint8Array[]> {
  const rows = await reader.logEntry.findMany({
    where: { index: { gte: start, lt: start + count } },
    orderBy: { index: "asc" },
    select: { data: true },
  });
  if (rows.length !== count) throw new Error(`the log is missing entries from ${start}`);
  return rows.map((row) => new Uint8Array(row.data));
}

export interface StoredEntry {
  index: number;
  kind: string;
  data: Uint8Array;
}

export async function readEntry(reader: LogReader, index: number): Promise<StoredEntry | null> {
  const row = await reader.logEntry.findUnique({ where: { index }, select: { index: true, kind: true, data: true } });
  return row ? { ...row, data: new Uint8Array(row.data) } : null;
}

/** Every entry about one package version (its publication, repository signing, unlistings, relistings), oldest first. */
export async function readVersionEntries(
  reader: LogReader,
  packageId: string,
  version: string,
): Promise<StoredEntry[]> {
  const rows = await reader.logEntry.findMany({
    where: { packageIdLower: packageId.toLowerCase(), versionLower: version.toLowerCase() },
    orderBy: { index: "asc" },
    select: { index: true, kind: true, data: true },
  });
  return rows.map((row) => ({ ...row, data: new Uint8Array(row.data) }));
}
