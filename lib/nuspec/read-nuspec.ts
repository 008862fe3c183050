// A package's manifest read out of its zip: the one .nuspec at the root, inflated up to a cap
// (no real manifest comes near it), decoded to text. Shared by the upload judge and the verify
// CLI's log check, which needs the file's own ID and version.
import { findNuspecEntry } from "@/lib/nuspec/entries";
import { decodeNuspecBytes } from "@/lib/nuspec/nuspec-text";
import { readEntryBytes, type CentralDirectory, type CentralDirectoryEntry } from "@/lib/zip/central-directory";
import type { ByteSource } from "@/lib/zip/source";

/** Manifests are a few kilobytes; anything near this is hostile or broken. */
export const MAX_NUSPEC_BYTES = 1024 * 1024;

export async function readNuspecXml(source: ByteSource, directory: CentralDirectory): Promise<string> {
  const name = findNuspecEntry(directory.entries.map((entry) => entry.name));
  // findNuspecEntry returns one of the names it was given, so the entry is there.
  const entry = directory.entries.find((candidate) => candidate.name === name) as CentralDirectoryEntry;
  return decodeNuspecBytes(await readEntryBytes(source, entry, MAX_NUSPEC_BYTES));
}
