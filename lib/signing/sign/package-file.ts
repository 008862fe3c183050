// The package file around a signature (NuGet.Client's SignedPackageArchiveIOUtility): the signature entry written exactly as
// NuGet writes it (a stored local header and data inserted where the central directory began,
// its central-directory header appended last, the end record's counts, size and offset moved),
// and the inverse, the package as if it had never been signed. Both are recipes over the
// original bytes (lib/zip/spliced-source.ts), so nothing is copied until someone streams them.

import { crc32 } from "node:zlib";
import { IssueError } from "@/lib/issues";
import { splicedSource, type SplicePiece } from "@/lib/zip/spliced-source";
import type { ByteSource } from "@/lib/zip/source";
import {
  CENTRAL_HEADER_LENGTH,
  EOCD_LENGTH,
  hasZip64LocalHeader,
  LOCAL_HEADER_LENGTH,
  readCentralDirectory,
} from "@/lib/zip/central-directory";
import { planUnsignedPackage, readEocdTail } from "../package-hash";
import { findSignatureEntries, readSignatureFile, SIGNATURE_ENTRY_NAME } from "../signature-entry";

/** NuGet refuses to sign a package that already has this many entries: one more would need Zip64. */
const MAX_ENTRIES_BEFORE_SIGNING = 0xfffd;
const NAME = new TextEncoder().encode(SIGNATURE_ENTRY_NAME);
const VERSION_20 = 20;

function cannotSign(reason: string): IssueError {
  return new IssueError(
    "REPOSITORY_SIGNING_UNSUPPORTED",
    `The gallery cannot add its repository signature to this package: ${reason}.`,
  );
}

/** A package as if unsigned, in the three parts the signature entry is inserted between. */
export interface UnsignedPackage {
  base: ByteSource;
  localEntries: SplicePiece[];
  centralDirectory: SplicePiece[];
  endOfCentralDirectory: Uint8Array;
  entryCount: number;
}

export interface ReadPackage {
  unsigned: UnsignedPackage;
  /** The signature file, or null when the package is unsigned. */
  signature: Uint8Array | null;
}

/**
 * Splits a package into its signature (if any) and the package as if unsigned. Refuses layouts
 * where inserting a signature NuGet's way would not keep the package hash: bytes before the
 * first entry or between the central directory and its end record, Zip64, too many entries.
 */
export async function readPackageForSigning(source: ByteSource): Promise<ReadPackage> {
  const directory = await readCentralDirectory(source);
  if (directory.isZip64 || (await hasZip64LocalHeader(source, directory))) throw cannotSign("it is a Zip64 archive");
  const firstLocalHeader = Math.min(...directory.entries.map((entry) => entry.localHeaderOffset));
  if (firstLocalHeader !== 0) throw cannotSign("it has bytes before its first entry");
  const last = directory.entries[directory.entries.length - 1];
  const eocd = directory.endOfCentralDirectory;
  if (!last || last.headerOffset + last.headerLength !== eocd.offset)
    throw cannotSign("its end-of-central-directory record does not directly follow the central directory");

  const [signatureEntry] = findSignatureEntries(directory);
  if (!signatureEntry) {
    if (directory.entries.length >= MAX_ENTRIES_BEFORE_SIGNING)
      throw cannotSign(`it has ${directory.entries.length} entries; a signature would need Zip64`);
    const centralDirectoryStart = directory.entries[0]?.headerOffset ?? eocd.offset;
    return {
      signature: null,
      unsigned: {
        base: source,
        localEntries: [{ kind: "range", start: 0, end: centralDirectoryStart }],
        centralDirectory: [{ kind: "range", start: centralDirectoryStart, end: eocd.offset }],
        endOfCentralDirectory: await source.read(eocd.offset, source.size - eocd.offset),
        entryCount: directory.entries.length,
      },
    };
  }
  const signature = await readSignatureFile(source, directory, signatureEntry);
  const plan = planUnsignedPackage(directory, signatureEntry, await readEocdTail(source, directory));
  return { signature, unsigned: { base: source, ...plan, entryCount: directory.entries.length - 1 } };
}

/** The package as if unsigned: the file NuGet's package hash and contentHash are computed over. */
export function unsignedPackageSource(unsigned: UnsignedPackage): ByteSource {
  return splicedSource(unsigned.base, [
    ...unsigned.localEntries,
    ...unsigned.centralDirectory,
    { kind: "bytes", bytes: unsigned.endOfCentralDirectory },
  ]);
}

/** The MS-DOS date and time NuGet stamps the entry with: "now", in local time. */
function dosDateTime(now: Date): number {
  const year = Math.max(now.getFullYear(), 1980);
  const date = ((year - 1980) << 9) | ((now.getMonth() + 1) << 5) | now.getDate();
  const time = (now.getHours() << 11) | (now.getMinutes() << 5) | Math.floor(now.getSeconds() / 2);
  return ((date << 16) | time) >>> 0;
}

function sumOfLengths(pieces: readonly SplicePiece[]): number {
  return pieces.reduce(
    (total, piece) => total + (piece.kind === "bytes" ? piece.bytes.byteLength : piece.end - piece.start),
    0,
  );
}

/** The package with `p7s` as its signature entry, laid out byte for byte as NuGet's WriteSignatureIntoZip does. */
export function signedPackageSource(unsigned: UnsignedPackage, p7s: Uint8Array, now: Date): ByteSource {
  const centralDirectoryStart = sumOfLengths(unsigned.localEntries);
  const dateTime = dosDateTime(now);
  const checksum = crc32(p7s) >>> 0;

  const local = new Uint8Array(LOCAL_HEADER_LENGTH + NAME.byteLength);
  const lfh = new DataView(local.buffer);
  lfh.setUint32(0, 0x04034b50, true);
  lfh.setUint16(4, VERSION_20, true);
  lfh.setUint32(10, dateTime, true);
  lfh.setUint32(14, checksum, true);
  lfh.setUint32(18, p7s.byteLength, true);
  lfh.setUint32(22, p7s.byteLength, true);
  lfh.setUint16(26, NAME.byteLength, true);
  local.set(NAME, LOCAL_HEADER_LENGTH);

  const central = new Uint8Array(CENTRAL_HEADER_LENGTH + NAME.byteLength);
  const cdh = new DataView(central.buffer);
  cdh.setUint32(0, 0x02014b50, true);
  cdh.setUint16(4, VERSION_20, true);
  cdh.setUint16(6, VERSION_20, true);
  cdh.setUint32(12, dateTime, true);
  cdh.setUint32(16, checksum, true);
  cdh.setUint32(20, p7s.byteLength, true);
  cdh.setUint32(24, p7s.byteLength, true);
  cdh.setUint16(28, NAME.byteLength, true);
  cdh.setUint32(42, centralDirectoryStart, true);
  central.set(NAME, CENTRAL_HEADER_LENGTH);

  const eocd = new Uint8Array(unsigned.endOfCentralDirectory);
  if (eocd.byteLength < EOCD_LENGTH) throw cannotSign("its end-of-central-directory record is truncated");
  const record = new DataView(eocd.buffer);
  record.setUint16(8, record.getUint16(8, true) + 1, true);
  record.setUint16(10, record.getUint16(10, true) + 1, true);
  record.setUint32(12, record.getUint32(12, true) + central.byteLength, true);
  record.setUint32(16, record.getUint32(16, true) + local.byteLength + p7s.byteLength, true);

  return splicedSource(unsigned.base, [
    ...unsigned.localEntries,
    { kind: "bytes", bytes: local },
    { kind: "bytes", bytes: p7s },
    ...unsigned.centralDirectory,
    { kind: "bytes", bytes: central },
    { kind: "bytes", bytes: eocd },
  ]);
}
