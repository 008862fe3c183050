// A digest of each file in a package, by name, to tell "the same files in another archive" (a
// re-zipped copy) from "different files" (a tampered copy). Entries are inflated as a stream
// and hashed with SHA-256; an entry that inflates to more than its central-directory header
// declares is refused as it streams, so a zip bomb costs no more than the sizes it declares.

import { createHash } from "node:crypto";
import { createInflateRaw } from "node:zlib";
import { Readable } from "node:stream";
import { IssueError } from "@/lib/issues";
import {
  DEFLATED,
  STORED,
  copied,
  readLocalFileHeader,
  type CentralDirectory,
  type CentralDirectoryEntry,
} from "./central-directory";
import type { ByteSource } from "./source";

async function entryDigest(source: ByteSource, entry: CentralDirectoryEntry): Promise<string> {
  const local = await readLocalFileHeader(source, entry.localHeaderOffset);
  const end = local.dataOffset + entry.compressedSize;
  if (end > source.size)
    throw new IssueError("ZIP_INVALID", `The data of the entry '${entry.name}' runs past the end of the file.`);
  const hash = createHash("sha256");
  let length = 0;
  const take = (chunk: Uint8Array) => {
    length += chunk.byteLength;
    if (length > entry.uncompressedSize)
      throw new IssueError(
        "ZIP_ENTRY_CORRUPT",
        `The entry '${entry.name}' inflates to more than the ${entry.uncompressedSize} bytes it declares.`,
      );
    hash.update(chunk);
  };
  if (entry.compressionMethod === STORED) {
    for await (const chunk of source.stream(local.dataOffset, end)) take(chunk);
  } else if (entry.compressionMethod === DEFLATED) {
    const inflater = Readable.from(copied(source.stream(local.dataOffset, end))).pipe(createInflateRaw());
    try {
      for await (const chunk of inflater as AsyncIterable<Buffer>) take(chunk);
    } catch (failure) {
      if (failure instanceof IssueError) throw failure;
      throw new IssueError("ZIP_ENTRY_CORRUPT", `The compressed data of the entry '${entry.name}' cannot be inflated.`);
    } finally {
      inflater.destroy();
    }
  } else {
    throw new IssueError(
      "ZIP_ENTRY_UNSUPPORTED",
      `The entry '${entry.name}' uses compression method ${entry.compressionMethod}; only stored and deflate are supported.`,
    );
  }
  if (length !== entry.uncompressedSize)
    throw new IssueError(
      "ZIP_ENTRY_CORRUPT",
      `The entry '${entry.name}' inflates to ${length} bytes, not the ${entry.uncompressedSize} it declares.`,
    );
  return hash.digest("hex");
}

/** SHA-256 (hex) of every entry's content by name, except those `skip` names. */
export async function entryDigests(
  source: ByteSource,
  directory: CentralDirectory,
  skip: (name: string) => boolean = () => false,
): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const entry of directory.entries) {
    if (skip(entry.name) || entry.name.endsWith("/")) continue;
    digests.set(entry.name, await entryDigest(source, entry));
  }
  return digests;
}

export interface ArchiveDifferences {
  changed: string[];
  added: string[];
  removed: string[];
}

/** What differs between the files of two archives, by name. */
export function compareDigests(
  published: ReadonlyMap<string, string>,
  copy: ReadonlyMap<string, string>,
): ArchiveDifferences {
  const changed = [...copy]
    .filter(([name, digest]) => published.has(name) && published.get(name) !== digest)
    .map(([name]) => name);
  const added = [...copy.keys()].filter((name) => !published.has(name));
  const removed = [...published.keys()].filter((name) => !copy.has(name));
  return { changed: changed.sort(), added: added.sort(), removed: removed.sort() };
}
