// Finding and checking the `.signature.p7s` entry the way the NuGet client does (reference
// §1.1, §1.2, §1.5): exactly one entry with that raw ASCII name, stored, no flags, equal sizes,
// external attributes 0 in the central directory, the same in its local header; a signed
// package must not be Zip64.

import { IssueError } from "@/lib/issues";
import type { ByteSource } from "@/lib/zip/source";
import {
  hasZip64LocalHeader,
  readLocalFileHeader,
  STORED,
  type CentralDirectory,
  type CentralDirectoryEntry,
} from "@/lib/zip/central-directory";
import { sameBytes } from "./names";

export const SIGNATURE_ENTRY_NAME = ".signature.p7s";
const SIGNATURE_ENTRY_NAME_BYTES = new TextEncoder().encode(SIGNATURE_ENTRY_NAME);

/** Real signatures are tens of kilobytes (chains and timestamps included); more is hostile. */
export const MAX_SIGNATURE_BYTES = 1024 * 1024;

function invalidSignatureEntry(reason: string): IssueError {
  return new IssueError("NU3005", `The package does not contain a valid package signature file: ${reason}.`);
}

/** The entries .NET's ZipArchive would return for ".signature.p7s" (ordinal match on the decoded name). */
export function findSignatureEntries(directory: CentralDirectory): CentralDirectoryEntry[] {
  return directory.entries.filter((entry) => entry.name === SIGNATURE_ENTRY_NAME);
}

function checkCentralHeader(entry: CentralDirectoryEntry): void {
  if (!sameBytes(entry.nameBytes, SIGNATURE_ENTRY_NAME_BYTES))
    throw invalidSignatureEntry("its name is not stored as plain ASCII");
  if (entry.flags !== 0)
    throw invalidSignatureEntry(
      `its central-directory header has general-purpose flags 0x${entry.flags.toString(16)} (must be 0)`,
    );
  if (entry.compressionMethod !== STORED) throw invalidSignatureEntry("it is compressed (it must be stored)");
  if (entry.compressedSize !== entry.uncompressedSize)
    throw invalidSignatureEntry("its compressed and uncompressed sizes differ");
  if (entry.externalAttributes !== 0) throw invalidSignatureEntry("its external file attributes are not 0");
}

/**
 * The signature bytes of the one valid signature entry. Throws NU3005 for a missing duplicate
 * or malformed entry, NU3006 for a Zip64 package. Callers decide "unsigned" before calling this.
 */
export async function readSignatureFile(
  source: ByteSource,
  directory: CentralDirectory,
  entry: CentralDirectoryEntry,
): Promise<Uint8Array> {
  if (findSignatureEntries(directory).length > 1)
    throw invalidSignatureEntry("the package has multiple package signature files");
  if (directory.isZip64 || (await hasZip64LocalHeader(source, directory)))
    throw new IssueError("NU3006", "Signed Zip64 packages are not supported.");
  checkCentralHeader(entry);
  const local = await readLocalFileHeader(source, entry.localHeaderOffset);
  if (!sameBytes(local.nameBytes, SIGNATURE_ENTRY_NAME_BYTES))
    throw invalidSignatureEntry("its local header names a different file");
  if (local.flags !== 0)
    throw invalidSignatureEntry(`its local header has general-purpose flags 0x${local.flags.toString(16)} (must be 0)`);
  if (local.compressionMethod !== STORED)
    throw invalidSignatureEntry("its local header says it is compressed (it must be stored)");
  if (local.compressedSize !== local.uncompressedSize)
    throw invalidSignatureEntry("its local header's compressed and uncompressed sizes differ");
  if (local.uncompressedSize > MAX_SIGNATURE_BYTES) {
    throw invalidSignatureEntry(
      `it declares ${local.uncompressedSize} bytes, more than the ${MAX_SIGNATURE_BYTES} a signature can need`,
    );
  }
  if (local.dataOffset + local.uncompressedSize > source.size)
    throw invalidSignatureEntry("it runs past the end of the file");
  return source.read(local.dataOffset, local.uncompressedSize);
}
