// The zip central directory as NuGet's signed-package code reads it: the end-of-central-
// directory record (EOCD) found by a backward scan, then central-directory (CD) headers walked
// one after another from the EOCD's CD offset. Raw offsets and field values are kept because
// the signed-package hash (lib/signing/package-hash.ts) re-bases them byte for byte.

import { crc32, createInflateRaw } from "node:zlib";
import { Readable } from "node:stream";
import { IssueError } from "@/lib/issues";
import type { ByteSource } from "./source";

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_EOCD_LOCATOR_SIGNATURE = 0x07064b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const ZIP64_EXTRA_FIELD_ID = 0x0001;

export const EOCD_LENGTH = 22;
export const CENTRAL_HEADER_LENGTH = 46;
export const LOCAL_HEADER_LENGTH = 30;
const ZIP64_LOCATOR_LENGTH = 20;
const MAX_COMMENT_LENGTH = 0xffff;

/** A real central directory of 65,535 entries with long names stays far below this; more is hostile. */
export const MAX_CENTRAL_DIRECTORY_BYTES = 32 * 1024 * 1024;

export const STORED = 0;
export const DEFLATED = 8;

export interface EndOfCentralDirectory {
  /** File offset of the EOCD signature. */
  offset: number;
  diskNumber: number;
  centralDirectoryDisk: number;
  entriesOnDisk: number;
  totalEntries: number;
  centralDirectorySize: number;
  centralDirectoryOffset: number;
  commentLength: number;
  /** A Zip64 EOCD locator sits right before the EOCD. */
  hasZip64Locator: boolean;
}

export interface CentralDirectoryEntry {
  /** File offset of this CD header and its full length (46 + name + extra + comment). */
  headerOffset: number;
  headerLength: number;
  /** The header exactly as stored. */
  rawHeader: Uint8Array;
  /** The name exactly as stored, and decoded (UTF-8 when flag bit 11 is set, else CP437-compatible ASCII). */
  nameBytes: Uint8Array;
  name: string;
  versionMadeBy: number;
  flags: number;
  compressionMethod: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  externalAttributes: number;
  localHeaderOffset: number;
  hasZip64Extra: boolean;
}

export interface CentralDirectory {
  endOfCentralDirectory: EndOfCentralDirectory;
  entries: CentralDirectoryEntry[];
  /** A Zip64 locator before the EOCD or a Zip64 extra field in a CD header (local headers: see hasZip64LocalHeader). */
  isZip64: boolean;
}

export interface LocalFileHeader {
  offset: number;
  flags: number;
  compressionMethod: number;
  compressedSize: number;
  uncompressedSize: number;
  nameBytes: Uint8Array;
  /** Where the entry's data starts: offset + 30 + name length + extra length. */
  dataOffset: number;
  hasZip64Extra: boolean;
}

function zipInvalid(message: string): IssueError {
  return new IssueError("ZIP_INVALID", message);
}

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function hasExtraField(extra: Uint8Array, headerId: number): boolean {
  const view = dataView(extra);
  for (let position = 0; position + 4 <= extra.byteLength;) {
    if (view.getUint16(position, true) === headerId) return true;
    position += 4 + view.getUint16(position + 2, true);
  }
  return false;
}

const latin1Decoder = new TextDecoder("latin1");
const utf8Decoder = new TextDecoder("utf-8");

function decodeName(nameBytes: Uint8Array, flags: number): string {
  return (flags & 0x0800) !== 0 ? utf8Decoder.decode(nameBytes) : latin1Decoder.decode(nameBytes);
}

/** The last EOCD signature in the file, as NuGet's EndOfCentralDirectoryRecord finds it. */
async function findEndOfCentralDirectory(source: ByteSource): Promise<EndOfCentralDirectory> {
  if (source.size < EOCD_LENGTH)
    throw zipInvalid(`The file is ${source.size} bytes long, too short to be a zip archive.`);
  const tailLength = Math.min(source.size, EOCD_LENGTH + MAX_COMMENT_LENGTH + ZIP64_LOCATOR_LENGTH);
  const tailStart = source.size - tailLength;
  const tail = await source.read(tailStart, tailLength);
  const view = dataView(tail);
  for (let position = tailLength - EOCD_LENGTH; position >= 0; position--) {
    if (view.getUint32(position, true) !== EOCD_SIGNATURE) continue;
    return {
      offset: tailStart + position,
      diskNumber: view.getUint16(position + 4, true),
      centralDirectoryDisk: view.getUint16(position + 6, true),
      entriesOnDisk: view.getUint16(position + 8, true),
      totalEntries: view.getUint16(position + 10, true),
      centralDirectorySize: view.getUint32(position + 12, true),
      centralDirectoryOffset: view.getUint32(position + 16, true),
      commentLength: view.getUint16(position + 20, true),
      hasZip64Locator:
        position >= ZIP64_LOCATOR_LENGTH &&
        view.getUint32(position - ZIP64_LOCATOR_LENGTH, true) === ZIP64_EOCD_LOCATOR_SIGNATURE,
    };
  }
  throw zipInvalid("The file is not a zip archive: it has no end-of-central-directory record.");
}

function parseCentralHeader(bytes: Uint8Array, position: number, fileOffset: number): CentralDirectoryEntry {
  const view = dataView(bytes);
  if (position + CENTRAL_HEADER_LENGTH > bytes.byteLength) {
    throw zipInvalid(`The central-directory header at byte ${fileOffset} runs past the end of the central directory.`);
  }
  const nameLength = view.getUint16(position + 28, true);
  const extraLength = view.getUint16(position + 30, true);
  const commentLength = view.getUint16(position + 32, true);
  const headerLength = CENTRAL_HEADER_LENGTH + nameLength + extraLength + commentLength;
  if (position + headerLength > bytes.byteLength) {
    throw zipInvalid(`The central-directory header at byte ${fileOffset} runs past the end of the central directory.`);
  }
  const flags = view.getUint16(position + 8, true);
  const nameBytes = bytes.slice(position + CENTRAL_HEADER_LENGTH, position + CENTRAL_HEADER_LENGTH + nameLength);
  const extra = bytes.subarray(
    position + CENTRAL_HEADER_LENGTH + nameLength,
    position + CENTRAL_HEADER_LENGTH + nameLength + extraLength,
  );
  return {
    headerOffset: fileOffset,
    headerLength,
    rawHeader: bytes.slice(position, position + headerLength),
    nameBytes,
    name: decodeName(nameBytes, flags),
    versionMadeBy: view.getUint16(position + 4, true),
    flags,
    compressionMethod: view.getUint16(position + 10, true),
    crc32: view.getUint32(position + 16, true),
    compressedSize: view.getUint32(position + 20, true),
    uncompressedSize: view.getUint32(position + 24, true),
    externalAttributes: view.getUint32(position + 38, true),
    localHeaderOffset: view.getUint32(position + 42, true),
    hasZip64Extra: hasExtraField(extra, ZIP64_EXTRA_FIELD_ID),
  };
}

/**
 * Reads the EOCD and every CD header. Headers are walked from the EOCD's CD offset while the
 * next four bytes are a CD header signature (NuGet's walk); the entry count must then agree
 * with the EOCD, because .NET's ZipArchive, which decides whether a package is signed at
 * all, refuses archives where it does not.
 */
export async function readCentralDirectory(source: ByteSource): Promise<CentralDirectory> {
  const eocd = await findEndOfCentralDirectory(source);
  const start = eocd.centralDirectoryOffset;
  if (start === 0xffffffff || eocd.totalEntries === 0xffff) {
    throw new IssueError("ZIP64_UNSUPPORTED", "The package is a Zip64 archive; NuGet packages must not use Zip64.");
  }
  if (start > eocd.offset) {
    throw zipInvalid(
      `The end-of-central-directory record places the central directory at byte ${start}, beyond the record itself at byte ${eocd.offset}.`,
    );
  }
  const length = eocd.offset - start;
  if (length > MAX_CENTRAL_DIRECTORY_BYTES) {
    throw zipInvalid(
      `The central directory is ${length} bytes long, more than the ${MAX_CENTRAL_DIRECTORY_BYTES} bytes a package can need.`,
    );
  }
  const bytes = await source.read(start, length);
  const view = dataView(bytes);
  const entries: CentralDirectoryEntry[] = [];
  let position = 0;
  while (position + 4 <= bytes.byteLength && view.getUint32(position, true) === CENTRAL_HEADER_SIGNATURE) {
    const entry = parseCentralHeader(bytes, position, start + position);
    entries.push(entry);
    position += entry.headerLength;
  }
  if (entries.length === 0) throw zipInvalid("The zip archive's central directory holds no entries.");
  if (entries.length !== eocd.totalEntries || entries.length !== eocd.entriesOnDisk) {
    throw zipInvalid(
      `The end-of-central-directory record claims ${eocd.totalEntries} entries but the central directory holds ${entries.length}.`,
    );
  }
  for (const entry of entries) {
    if (entry.localHeaderOffset + LOCAL_HEADER_LENGTH > start) {
      throw zipInvalid(
        `The entry '${entry.name}' claims a local header at byte ${entry.localHeaderOffset}, inside or past the central directory.`,
      );
    }
  }
  return {
    endOfCentralDirectory: eocd,
    entries,
    isZip64: eocd.hasZip64Locator || entries.some((entry) => entry.hasZip64Extra),
  };
}

export async function readLocalFileHeader(source: ByteSource, offset: number): Promise<LocalFileHeader> {
  if (offset + LOCAL_HEADER_LENGTH > source.size)
    throw zipInvalid(`The local file header at byte ${offset} runs past the end of the file.`);
  const fixed = await source.read(offset, LOCAL_HEADER_LENGTH);
  const view = dataView(fixed);
  if (view.getUint32(0, true) !== LOCAL_HEADER_SIGNATURE)
    throw zipInvalid(`There is no local file header at byte ${offset}.`);
  const nameLength = view.getUint16(26, true);
  const extraLength = view.getUint16(28, true);
  const dataOffset = offset + LOCAL_HEADER_LENGTH + nameLength + extraLength;
  if (dataOffset > source.size)
    throw zipInvalid(`The local file header at byte ${offset} runs past the end of the file.`);
  const variable = await source.read(offset + LOCAL_HEADER_LENGTH, nameLength + extraLength);
  return {
    offset,
    flags: view.getUint16(6, true),
    compressionMethod: view.getUint16(8, true),
    compressedSize: view.getUint32(18, true),
    uncompressedSize: view.getUint32(22, true),
    nameBytes: variable.slice(0, nameLength),
    dataOffset,
    hasZip64Extra: hasExtraField(variable.subarray(nameLength), ZIP64_EXTRA_FIELD_ID),
  };
}

/**
 * Whether any entry's local header carries a Zip64 extra field: the last part of NuGet's
 * IsZip64 test, which reads every local header. Costs one small read per entry.
 */
export async function hasZip64LocalHeader(source: ByteSource, directory: CentralDirectory): Promise<boolean> {
  for (const entry of directory.entries) {
    if ((await readLocalFileHeader(source, entry.localHeaderOffset)).hasZip64Extra) return true;
  }
  return false;
}

function concatenate(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let position = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, position);
    position += chunk.byteLength;
  }
  return bytes;
}

/** Copies each chunk: a source may reuse its buffers, and the inflate stream reads ahead. */
export async function* copied(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) yield chunk.slice();
}

async function inflateCapped(
  compressed: AsyncIterable<Uint8Array>,
  name: string,
  maxBytes: number,
): Promise<Uint8Array> {
  const inflater = Readable.from(copied(compressed)).pipe(createInflateRaw());
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      length += chunk.byteLength;
      if (length > maxBytes) {
        throw new IssueError("ZIP_ENTRY_TOO_LARGE", `The entry '${name}' inflates to more than ${maxBytes} bytes.`);
      }
      chunks.push(chunk);
    }
  } catch (cause) {
    if (cause instanceof IssueError) throw cause;
    throw new IssueError("ZIP_ENTRY_CORRUPT", `The compressed data of the entry '${name}' cannot be inflated.`);
  } finally {
    inflater.destroy();
  }
  return concatenate(chunks, length);
}

/**
 * The content of one entry, copied (stored) or inflated (deflate), never more than
 * `maxBytes`: an entry that declares or produces more is refused before or while it is read,
 * so a zip bomb costs at most `maxBytes` of memory. The CRC-32 and size must match the CD.
 */
export async function readEntryBytes(
  source: ByteSource,
  entry: CentralDirectoryEntry,
  maxBytes: number,
): Promise<Uint8Array> {
  if (entry.uncompressedSize > maxBytes) {
    throw new IssueError(
      "ZIP_ENTRY_TOO_LARGE",
      `The entry '${entry.name}' declares ${entry.uncompressedSize} bytes, more than the ${maxBytes} allowed.`,
    );
  }
  if ((entry.flags & 0x0001) !== 0) {
    throw new IssueError("ZIP_ENTRY_UNSUPPORTED", `The entry '${entry.name}' is encrypted.`);
  }
  const local = await readLocalFileHeader(source, entry.localHeaderOffset);
  const dataEnd = local.dataOffset + entry.compressedSize;
  if (dataEnd > source.size) {
    throw zipInvalid(
      `The data of the entry '${entry.name}' (${entry.compressedSize} bytes) runs past the end of the file.`,
    );
  }
  let content: Uint8Array;
  if (entry.compressionMethod === STORED) {
    if (entry.compressedSize !== entry.uncompressedSize) {
      throw new IssueError(
        "ZIP_ENTRY_CORRUPT",
        `The stored entry '${entry.name}' declares different compressed and uncompressed sizes.`,
      );
    }
    content = await source.read(local.dataOffset, entry.compressedSize);
  } else if (entry.compressionMethod === DEFLATED) {
    content = await inflateCapped(source.stream(local.dataOffset, dataEnd), entry.name, maxBytes);
  } else {
    throw new IssueError(
      "ZIP_ENTRY_UNSUPPORTED",
      `The entry '${entry.name}' uses compression method ${entry.compressionMethod}; only stored and deflate are supported.`,
    );
  }
  if (content.byteLength !== entry.uncompressedSize || crc32(content) !== entry.crc32) {
    throw new IssueError(
      "ZIP_ENTRY_CORRUPT",
      `The entry '${entry.name}' does not match the size and CRC-32 its central-directory header declares.`,
    );
  }
  return content;
}

/** Why an entry's data does not match its central-directory header, or null when it does. */
export interface EntryDataProblem {
  code:
    | "ZIP_COMPRESSION_UNSUPPORTED"
    | "ZIP_ENTRY_ENCRYPTED"
    | "ZIP_ENTRY_CORRUPT"
    | "ZIP_ENTRY_SIZE_MISMATCH"
    | "ZIP_ENTRY_CRC_MISMATCH";
  detail: string;
}

/**
 * Reads one entry's data as a stream, inflating deflate, and checks it against its header's
 * size and CRC-32 as an extractor would, holding one chunk at a time: the output is counted as
 * it comes, so an entry that inflates past its declared size stops there.
 */
export async function checkEntryData(
  source: ByteSource,
  entry: CentralDirectoryEntry,
): Promise<EntryDataProblem | null> {
  if ((entry.flags & 0x0001) !== 0) return { code: "ZIP_ENTRY_ENCRYPTED", detail: "is encrypted" };
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    return {
      code: "ZIP_COMPRESSION_UNSUPPORTED",
      detail: `uses compression method ${entry.compressionMethod}; NuGet extracts only stored (0) and deflate (8)`,
    };
  }
  const local = await readLocalFileHeader(source, entry.localHeaderOffset);
  const dataEnd = local.dataOffset + entry.compressedSize;
  if (dataEnd > source.size)
    return {
      code: "ZIP_ENTRY_CORRUPT",
      detail: `has ${entry.compressedSize} bytes of data that run past the end of the file`,
    };
  let produced = 0;
  let checksum = 0;
  const take = (chunk: Uint8Array): boolean => {
    produced += chunk.byteLength;
    if (produced > entry.uncompressedSize) return false;
    checksum = crc32(chunk, checksum);
    return true;
  };
  if (entry.compressionMethod === STORED) {
    for await (const chunk of source.stream(local.dataOffset, dataEnd)) if (!take(chunk)) break;
  } else {
    const inflater = Readable.from(copied(source.stream(local.dataOffset, dataEnd))).pipe(createInflateRaw());
    try {
      for await (const chunk of inflater as AsyncIterable<Buffer>) if (!take(chunk)) break;
    } catch {
      return { code: "ZIP_ENTRY_CORRUPT", detail: "has compressed data that cannot be inflated" };
    } finally {
      inflater.destroy();
    }
  }
  if (produced !== entry.uncompressedSize) {
    const found = produced > entry.uncompressedSize ? `more than ${entry.uncompressedSize}` : `${produced}`;
    return { code: "ZIP_ENTRY_SIZE_MISMATCH", detail: `declares ${entry.uncompressedSize} bytes but holds ${found}` };
  }
  if (checksum >>> 0 !== entry.crc32 >>> 0) {
    return {
      code: "ZIP_ENTRY_CRC_MISMATCH",
      detail: "has content whose CRC-32 differs from the one its header declares (the file is damaged)",
    };
  }
  return null;
}
