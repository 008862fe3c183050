// What the log's HTTP endpoints answer: the signed checkpoint, tiles and entry bundles (C2SP
// tlog-tiles), and JSON proofs for clients that would rather not assemble them from tiles.
// Every proof is made against the checkpoint sent with it, so a client checks one signature and
// then the proof.

import { generatedDataFile, publicUrl } from "@/lib/config";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import { signCheckpoint } from "./checkpoint";
import { leafHash, type Hash } from "./merkle";
import { generateSignerKey, type NoteSigner } from "./note";
import {
  consistencyProof,
  inclusionProof,
  readEntries,
  readEntry,
  readLevelHashes,
  readTreeHead,
  readVersionEntries,
  type StoredEntry,
  type TreeHead,
} from "./store";
import { concatHashes, encodeEntryBundle, parseTilePath, tileCoverage } from "./tiles";

/**
 * The publication log's Ed25519 signing key, as a signed-note signer key string
 * (PRIVATE+KEY+<name>+<key ID>+<key>; `npm run tlog:keygen -- <name>` prints a new one). The
 * key's name is the log's origin. A deployment sets SIGNET_LOG_KEY; otherwise one is generated
 * once into the data folder (file log-key), named SIGNET_LOG_ORIGIN, else "<host of the
 * public URL>/signet-log". Its public half is served at /.well-known/signet-log-key.
 */
export function logSigningKey(): string {
  return process.env.SIGNET_LOG_KEY || generatedDataFile("log-key", () => generateSignerKey(defaultLogOrigin()));
}

function defaultLogOrigin(): string {
  return process.env.SIGNET_LOG_ORIGIN || `${new URL(publicUrl()).host}/signet-log`;
}

export interface SignedHead extends TreeHead {
  checkpoint: string;
}

export async function signedHead(db: Db, signer: NoteSigner): Promise<SignedHead> {
  const head = await readTreeHead(db);
  return { ...head, checkpoint: signCheckpoint({ origin: signer.name, ...head }, signer) };
}

function tileNotFound(): IssueError {
  return new IssueError(
    "LOG_TILE_NOT_FOUND",
    "The log has no such tile: check the path, or fetch the checkpoint for the tree's current size.",
  );
}

/** The bytes of the tile or entry bundle at `tile/<segments>`. */
export async function readTile(db: Db, segments: readonly string[]): Promise<Uint8Array<ArrayBuffer>> {
  const tile = parseTilePath(segments);
  if (!tile) throw tileNotFound();
  const { size } = await readTreeHead(db);
  const coverage = tileCoverage(tile, size);
  if (!coverage) throw tileNotFound();
  return tile.kind === "entries"
    ? encodeEntryBundle(await readEntries(db, coverage.start, coverage.width))
    : concatHashes(await readLevelHashes(db, coverage.treeLevel, coverage.start, coverage.width));
}

const base64 = (hash: Hash) => Buffer.from(hash).toString("base64");

export interface EntryProof {
  index: number;
  kind: string;
  /** The entry's bytes (what the leaf hashes), base64. */
  data: string;
  /** The same bytes as text, for people reading the JSON. */
  text: string;
  leafHash: string;
  /** RFC 9162 inclusion proof (base64 hashes) in the tree of the checkpoint's size. */
  inclusionProof: string[];
}

async function proveEntry(db: Db, entry: StoredEntry, size: number): Promise<EntryProof> {
  return {
    index: entry.index,
    kind: entry.kind,
    data: Buffer.from(entry.data).toString("base64"),
    text: Buffer.from(entry.data).toString("utf8"),
    leafHash: base64(leafHash(entry.data)),
    inclusionProof: (await inclusionProof(db, entry.index, size)).map(base64),
  };
}

export interface EntryResponse {
  checkpoint: string;
  treeSize: number;
  entry: EntryProof;
}

export async function entryWithProof(db: Db, signer: NoteSigner, index: number): Promise<EntryResponse> {
  const head = await signedHead(db, signer);
  const entry = index < head.size ? await readEntry(db, index) : null;
  if (!entry)
    throw new IssueError(
      "LOG_ENTRY_NOT_FOUND",
      `The log has ${head.size} entries, numbered from 0; there is no entry ${index}.`,
    );
  return { checkpoint: head.checkpoint, treeSize: head.size, entry: await proveEntry(db, entry, head.size) };
}

export interface VersionEntriesResponse {
  checkpoint: string;
  treeSize: number;
  /** The version's publication first, then its repository signing, unlistings and relistings, oldest first. */
  entries: EntryProof[];
}

export async function versionEntriesWithProofs(
  db: Db,
  signer: NoteSigner,
  packageId: string,
  version: string,
): Promise<VersionEntriesResponse> {
  const head = await signedHead(db, signer);
  const entries = (await readVersionEntries(db, packageId, version)).filter((entry) => entry.index < head.size);
  if (entries.length === 0)
    throw new IssueError("LOG_ENTRY_NOT_FOUND", `The log has no entry for ${packageId} ${version}.`);
  return {
    checkpoint: head.checkpoint,
    treeSize: head.size,
    entries: await Promise.all(entries.map((entry) => proveEntry(db, entry, head.size))),
  };
}

export interface ConsistencyResponse {
  /** The current checkpoint; `to` is its size unless the request named an earlier one. */
  checkpoint: string;
  from: number;
  to: number;
  /** RFC 9162 consistency proof (base64 hashes) from the tree of `from` entries to that of `to`. */
  proof: string[];
}

export async function consistencyWithCheckpoint(
  db: Db,
  signer: NoteSigner,
  from: number,
  to?: number,
): Promise<ConsistencyResponse> {
  const head = await signedHead(db, signer);
  const target = to ?? head.size;
  const largest = Math.max(from, target);
  if (largest > head.size)
    throw new IssueError("LOG_SIZE_NOT_FOUND", `The log has ${head.size} entries, fewer than ${largest}.`);
  if (from > target)
    throw new IssueError("LOG_SIZES_INVALID", `A tree of ${from} entries cannot precede one of ${target}.`);
  return {
    checkpoint: head.checkpoint,
    from,
    to: target,
    proof: (await consistencyProof(db, from, target)).map(base64),
  };
}
