// NuGet's "hash of the package as if it were unsigned", computed from the signed file without
// rewriting it (NuGet.Client SignedPackageArchiveUtility.VerifySignedPackageIntegrity; reference
// §2.3). The signature entry's bytes are skipped, the local-header offsets in the remaining
// central-directory headers are re-based as if it had never been inserted, and the end-of-
// central-directory counts, size and offset are patched back. The same byte stream hashed with
// SHA-512 is NuGet's contentHash, so both come out of one pass over the file.

import { createHash, type Hash } from "node:crypto";
import type { ByteSource } from "@/lib/zip/source";
import type { SplicePiece } from "@/lib/zip/spliced-source";
import type { CentralDirectory, CentralDirectoryEntry } from "@/lib/zip/central-directory";
import { IssueError } from "@/lib/issues";

/** A piece of the as-if-unsigned stream: a byte range of the signed file, or patched bytes (the same recipe a spliced source reads). */
export type HashPiece = SplicePiece;

export type NodeHashName = "sha256" | "sha384" | "sha512";

const EOCD_PATCHED_END = 20; // counts, CD size and CD offset end here; the comment length follows

function integrityFailure(message: string): IssueError {
  return new IssueError("NU3008", `The package integrity check failed: ${message}`);
}

function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
  return bytes;
}

interface SizedEntry {
  entry: CentralDirectoryEntry;
  /** Bytes from this entry's local header to the next one (or to the CD): header, data, descriptor, gaps. */
  size: number;
}

/** Entries in local-header order with NuGet's step-4 sizes. */
function sizeEntries(entries: readonly CentralDirectoryEntry[], centralDirectoryStart: number): SizedEntry[] {
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  return byOffset.map((entry, index) => {
    const next = byOffset[index + 1];
    const end = next ? next.localHeaderOffset : centralDirectoryStart;
    return { entry, size: end - entry.localHeaderOffset };
  });
}

/** Appends a range, merging it into the previous one when they touch (fewer, longer reads). */
function pushRange(pieces: HashPiece[], start: number, end: number): void {
  if (end <= start) return;
  const last = pieces[pieces.length - 1];
  if (last?.kind === "range" && last.end === start) last.end = end;
  else pieces.push({ kind: "range", start, end });
}

/** The as-if-unsigned package in its three parts (NuGet.Client's SignedPackageArchiveUtility.VerifySignedPackageIntegrity). */
export interface UnsignedPackagePlan {
  /** Everything before the central directory: local headers, data, descriptors (ranges of the signed file). */
  localEntries: HashPiece[];
  /** The central-directory headers of the other entries, local-header offsets re-based. */
  centralDirectory: HashPiece[];
  /** The end-of-central-directory record with counts, size and offset patched back, and what follows it. */
  endOfCentralDirectory: Uint8Array;
}

/**
 * The as-if-unsigned package, in parts. `eocdTail` holds the file's bytes from the end of the
 * last CD header to the end of the file, where NuGet assumes the EOCD record sits.
 */
export function planUnsignedPackage(
  directory: CentralDirectory,
  signatureEntry: CentralDirectoryEntry,
  eocdTail: Uint8Array,
): UnsignedPackagePlan {
  const headers = directory.entries;
  const first = headers[0];
  const last = headers[headers.length - 1];
  if (!first || !last) throw integrityFailure("the zip has no central-directory headers.");
  const centralDirectoryStart = first.headerOffset;
  const sized = sizeEntries(headers, centralDirectoryStart);
  const signature = sized.find((item) => item.entry === signatureEntry);
  if (!signature) throw integrityFailure("the signature entry is not part of the central directory.");
  if (eocdTail.byteLength < EOCD_PATCHED_END + 2)
    throw integrityFailure("no end-of-central-directory record follows the last central-directory header.");

  const localEntries: HashPiece[] = [];
  const startOfLocalHeaders = sized[0]?.entry.localHeaderOffset ?? 0;
  pushRange(localEntries, 0, startOfLocalHeaders);

  const rebasedOffsets = new Map<CentralDirectoryEntry, number>();
  let unsignedOffset = 0;
  for (const { entry, size } of sized) {
    if (entry === signatureEntry) continue;
    rebasedOffsets.set(entry, unsignedOffset);
    unsignedOffset += size;
    pushRange(localEntries, entry.localHeaderOffset, entry.localHeaderOffset + size);
  }

  const centralDirectory: HashPiece[] = [];
  for (const entry of headers) {
    const rebased = rebasedOffsets.get(entry);
    if (rebased === undefined) continue;
    centralDirectory.push({ kind: "bytes", bytes: entry.rawHeader.subarray(0, 42) });
    centralDirectory.push({ kind: "bytes", bytes: u32(rebased) });
    centralDirectory.push({ kind: "bytes", bytes: entry.rawHeader.subarray(46) });
  }

  const eocd = new DataView(eocdTail.buffer, eocdTail.byteOffset, eocdTail.byteLength);
  const endOfCentralDirectory = new Uint8Array(eocdTail);
  const patched = new DataView(endOfCentralDirectory.buffer);
  patched.setUint16(8, eocd.getUint16(8, true) - 1, true);
  patched.setUint16(10, eocd.getUint16(10, true) - 1, true);
  patched.setUint32(12, (eocd.getUint32(12, true) - signatureEntry.headerLength) >>> 0, true);
  patched.setUint32(16, (eocd.getUint32(16, true) - signature.size) >>> 0, true);
  return { localEntries, centralDirectory, endOfCentralDirectory };
}

/** The pieces whose concatenation is the as-if-unsigned package (what NuGet hashes). */
export function planUnsignedPackageHash(
  directory: CentralDirectory,
  signatureEntry: CentralDirectoryEntry,
  eocdTail: Uint8Array,
): HashPiece[] {
  const plan = planUnsignedPackage(directory, signatureEntry, eocdTail);
  return [...plan.localEntries, ...plan.centralDirectory, { kind: "bytes", bytes: plan.endOfCentralDirectory }];
}

/** The bytes from the end of the last CD header to the end of the file (the EOCD as NuGet locates it). */
export function readEocdTail(source: ByteSource, directory: CentralDirectory): Promise<Uint8Array> {
  const last = directory.entries[directory.entries.length - 1];
  const start = last ? last.headerOffset + last.headerLength : directory.endOfCentralDirectory.offset;
  return source.read(start, source.size - start);
}

/** Feeds every piece to every hash in one pass over the file; returns the digests by name. */
export async function hashPieces(
  source: ByteSource,
  pieces: readonly HashPiece[],
  algorithms: readonly NodeHashName[],
): Promise<Map<NodeHashName, Uint8Array>> {
  const hashes: [NodeHashName, Hash][] = [...new Set(algorithms)].map((name) => [name, createHash(name)]);
  for (const piece of pieces) {
    if (piece.kind === "bytes") {
      for (const [, hash] of hashes) hash.update(piece.bytes);
      continue;
    }
    for await (const chunk of source.stream(piece.start, piece.end)) {
      for (const [, hash] of hashes) hash.update(chunk);
    }
  }
  return new Map(hashes.map(([name, hash]) => [name, new Uint8Array(hash.digest())]));
}

/** The whole file as one piece: an unsigned package's content hash is SHA-512 of all its bytes. */
export function wholeFile(source: ByteSource): HashPiece[] {
  return [{ kind: "range", start: 0, end: source.size }];
}
