// A manifest's bytes as text. NuGet reads nuspecs with .NET's XML reader, which detects the
// encoding from a byte-order mark or from how "<" is encoded, so UTF-16 manifests exist in the
// wild next to the usual UTF-8 ones. Invalid byte sequences are refused rather than replaced:
// a package whose ID or version was silently altered by decoding would be a different package.

import { IssueError } from "@/lib/issues";

type ManifestEncoding = "utf-8" | "utf-16le" | "utf-16be";

function detectEncoding(bytes: Uint8Array): ManifestEncoding {
  const [first, second] = bytes;
  if ((first === 0xff && second === 0xfe) || (first === 0x3c && second === 0x00)) return "utf-16le";
  if ((first === 0xfe && second === 0xff) || (first === 0x00 && second === 0x3c)) return "utf-16be";
  return "utf-8";
}

/** Decodes a manifest (UTF-8 with or without a byte-order mark, or UTF-16 in either byte order);
 * throws IssueError NUSPEC_INVALID_ENCODING when the bytes are not valid text. */
export function decodeNuspecBytes(bytes: Uint8Array): string {
  const encoding = detectEncoding(bytes);
  try {
    // TextDecoder drops a leading byte-order mark of its own encoding.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new IssueError(
      "NUSPEC_INVALID_ENCODING",
      `The nuspec is not valid ${encoding.toUpperCase()} text; save it as UTF-8 and pack the package again.`,
    );
  }
}
