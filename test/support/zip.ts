// A raw, in-memory ZIP model for building and tampering with small test packages. Entries
// keep their local and central headers as bytes, so rewriting an archive reproduces every
// untouched entry exactly and only the targeted change (plus offsets) differs — which is
// what a signature's "hash of the unsigned package" is sensitive to.

import { crc32, deflateRawSync } from "node:zlib";

// Only the format's constants are shared with the engine's reader; the parsing and writing
// here are separate so a reader bug cannot hide in the fixtures.
import {
  CENTRAL_HEADER_LENGTH,
  DEFLATED,
  EOCD_LENGTH as END_OF_CENTRAL_DIRECTORY_LENGTH,
  LOCAL_HEADER_LENGTH,
  STORED,
} from "@/lib/zip/central-directory";

export { DEFLATED, STORED };

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;

/** 2026-01-01 00:00:00 as MS-DOS time and date, so built packages are reproducible. */
const DOS_TIME = 0;
const DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1;

export interface RawZipEntry {
  name: string;
  /** Local file header including name and extra field. */
  localHeader: Uint8Array;
  /** The entry's data as stored (compressed bytes for deflate). */
  data: Uint8Array;
  /** Central directory header including name, extra and comment; its LFH offset is rewritten on write. */
  centralHeader: Uint8Array;
}

export interface RawZip {
  entries: RawZipEntry[];
  comment: Uint8Array;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

interface EntryFields {
  method: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  nameLength: number;
}

/**
 * Local and central headers carry the same run of fields (method, time, date, CRC, sizes,
 * name length); it starts at offset 8 in a local header and at 10 in a central one.
 */
function writeEntryFields(header: DataView, start: number, fields: EntryFields): void {
  header.setUint16(start, fields.method, true);
  header.setUint16(start + 2, DOS_TIME, true);
  header.setUint16(start + 4, DOS_DATE, true);
  header.setUint32(start + 6, fields.crc, true);
  header.setUint32(start + 10, fields.compressedSize, true);
  header.setUint32(start + 14, fields.uncompressedSize, true);
  header.setUint16(start + 18, fields.nameLength, true);
}

/** Builds an entry the way NuGet's signer writes its own: version 2.0, no extras, attributes 0, and
 * no flags but bit 11 (UTF-8 name) for a name that is not plain ASCII, as .NET's ZipArchive sets it. */
export function buildEntry(name: string, content: Uint8Array, method: typeof STORED | typeof DEFLATED): RawZipEntry {
  const nameBytes = new TextEncoder().encode(name);
  const data = method === DEFLATED ? new Uint8Array(deflateRawSync(content)) : content;
  const fields: EntryFields = {
    method,
    crc: crc32(content),
    compressedSize: data.byteLength,
    uncompressedSize: content.byteLength,
    nameLength: nameBytes.byteLength,
  };

  const localHeader = new Uint8Array(LOCAL_HEADER_LENGTH + nameBytes.byteLength);
  const local = view(localHeader);
  local.setUint32(0, LOCAL_HEADER_SIGNATURE, true);
  const flags = /^[\x20-\x7e]*$/.test(name) ? 0 : 0x0800;
  local.setUint16(4, 20, true);
  local.setUint16(6, flags, true);
  writeEntryFields(local, 8, fields);
  localHeader.set(nameBytes, LOCAL_HEADER_LENGTH);

  const centralHeader = new Uint8Array(CENTRAL_HEADER_LENGTH + nameBytes.byteLength);
  const central = view(centralHeader);
  central.setUint32(0, CENTRAL_HEADER_SIGNATURE, true);
  central.setUint16(4, 20, true);
  central.setUint16(6, 20, true);
  central.setUint16(8, flags, true);
  writeEntryFields(central, 10, fields);
  centralHeader.set(nameBytes, CENTRAL_HEADER_LENGTH);

  return { name, localHeader, data, centralHeader };
}

function findEndOfCentralDirectory(bytes: Uint8Array): number {
  for (let offset = bytes.byteLength - END_OF_CENTRAL_DIRECTORY_LENGTH; offset >= 0; offset -= 1) {
    if (view(bytes).getUint32(offset, true) === END_OF_CENTRAL_DIRECTORY_SIGNATURE) return offset;
  }
  throw new Error("Not a ZIP archive: no end-of-central-directory record.");
}

export function readZip(bytes: Uint8Array): RawZip {
  const whole = view(bytes);
  const endOffset = findEndOfCentralDirectory(bytes);
  const entryCount = whole.getUint16(endOffset + 10, true);
  const commentLength = whole.getUint16(endOffset + 20, true);
  let cursor = whole.getUint32(endOffset + 16, true);
  const entries: RawZipEntry[] = [];
  for (let index = 0; index < entryCount; index += 1) {
    if (whole.getUint32(cursor, true) !== CENTRAL_HEADER_SIGNATURE)
      throw new Error(`Central directory header ${index} is malformed.`);
    const nameLength = whole.getUint16(cursor + 28, true);
    const centralLength =
      CENTRAL_HEADER_LENGTH + nameLength + whole.getUint16(cursor + 30, true) + whole.getUint16(cursor + 32, true);
    const compressedSize = whole.getUint32(cursor + 20, true);
    const localOffset = whole.getUint32(cursor + 42, true);
    const localLength =
      LOCAL_HEADER_LENGTH + whole.getUint16(localOffset + 26, true) + whole.getUint16(localOffset + 28, true);
    entries.push({
      name: new TextDecoder().decode(
        bytes.subarray(cursor + CENTRAL_HEADER_LENGTH, cursor + CENTRAL_HEADER_LENGTH + nameLength),
      ),
      localHeader: bytes.slice(localOffset, localOffset + localLength),
      data: bytes.slice(localOffset + localLength, localOffset + localLength + compressedSize),
      centralHeader: bytes.slice(cursor, cursor + centralLength),
    });
    cursor += centralLength;
  }
  const commentStart = endOffset + END_OF_CENTRAL_DIRECTORY_LENGTH;
  return { entries, comment: bytes.slice(commentStart, commentStart + commentLength) };
}

export function writeZip(zip: RawZip): Uint8Array {
  const parts: Uint8Array[] = [];
  const centralHeaders: Uint8Array[] = [];
  let offset = 0;
  for (const entry of zip.entries) {
    const centralHeader = entry.centralHeader.slice();
    view(centralHeader).setUint32(42, offset, true);
    centralHeaders.push(centralHeader);
    parts.push(entry.localHeader, entry.data);
    offset += entry.localHeader.byteLength + entry.data.byteLength;
  }
  const centralDirectoryOffset = offset;
  const centralDirectorySize = centralHeaders.reduce((total, header) => total + header.byteLength, 0);
  const end = new Uint8Array(END_OF_CENTRAL_DIRECTORY_LENGTH);
  const endView = view(end);
  endView.setUint32(0, END_OF_CENTRAL_DIRECTORY_SIGNATURE, true);
  endView.setUint16(8, zip.entries.length, true);
  endView.setUint16(10, zip.entries.length, true);
  endView.setUint32(12, centralDirectorySize, true);
  endView.setUint32(16, centralDirectoryOffset, true);
  endView.setUint16(20, zip.comment.byteLength, true);
  // A plain Uint8Array: slices of a Buffer would be views, and tampering helpers rely on copies.
  return new Uint8Array(Buffer.concat([...parts, ...centralHeaders, end, zip.comment]));
}
