// Package bytes for the upload tests: hand-made archives for hostile input, and the shared
// corpus of real nuget.org packages (signed by real certificates) when it is on the machine.

import { readFileSync } from "node:fs";
import path from "node:path";
import { CORPUS_DIRECTORY, requireCorpus } from "@/test/support/shared-data";
import { DEFLATED, buildEntry, readZip, writeZip, type RawZipEntry } from "@/test/support/zip";

export const CORPUS_PACKAGES = path.join(CORPUS_DIRECTORY, "nupkg");

/** Whether the corpus packages are here, for `testFile`'s tests of real packages (test/support/shared-data.ts, requireCorpus). */
export function corpusPackagesFor(testFile: string, notRun: string): boolean {
  return requireCorpus("nupkg", testFile, notRun);
}

export function corpusPackage(fileName: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(CORPUS_PACKAGES, fileName)));
}

/** SHA-256 fingerprints of corpus signers (from the corpus README). */
export const CORPUS_SIGNERS = {
  jsonNet: "d60f9a9bd35829ccf4684d4b1e0b62eb3d982fcd55159f337348bb18ea25b8a7",
  microsoft2023: "566a31882be208be4422f7cfd66ed09f5d4524a5994f50ccc8b05ec0528c1353",
} as const;

const encoder = new TextEncoder();
export function entry(name: string, content: string | Uint8Array): RawZipEntry {
  return buildEntry(name, typeof content === "string" ? encoder.encode(content) : content, DEFLATED);
}

export function zipOf(entries: RawZipEntry[]): Uint8Array {
  return writeZip({ entries, comment: new Uint8Array(0) });
}

/** The entry with its central-directory header claiming another uncompressed size. */
export function declaringSize(original: RawZipEntry, uncompressedSize: number): RawZipEntry {
  const centralHeader = original.centralHeader.slice();
  new DataView(centralHeader.buffer).setUint32(24, uncompressedSize, true);
  return { ...original, centralHeader };
}

/** The package with the named entries' central-directory headers claiming `uncompressedSize`. */
export function withDeclaredSizes(
  packageBytes: Uint8Array,
  names: readonly string[],
  uncompressedSize: number,
): Uint8Array {
  const zip = readZip(packageBytes);
  return writeZip({
    ...zip,
    entries: zip.entries.map((original) =>
      names.includes(original.name) ? declaringSize(original, uncompressedSize) : original,
    ),
  });
}

/** The entry with both headers claiming another compression method (say 12, BZip2), data unchanged. */
export function withCompressionMethod(original: RawZipEntry, method: number): RawZipEntry {
  const localHeader = original.localHeader.slice();
  const centralHeader = original.centralHeader.slice();
  new DataView(localHeader.buffer).setUint16(8, method, true);
  new DataView(centralHeader.buffer).setUint16(10, method, true);
  return { ...original, localHeader, centralHeader };
}

/** The entry with both headers declaring another CRC-32, as a damaged file would. */
export function withCrc(original: RawZipEntry, crc: number): RawZipEntry {
  const localHeader = original.localHeader.slice();
  const centralHeader = original.centralHeader.slice();
  new DataView(localHeader.buffer).setUint32(14, crc >>> 0, true);
  new DataView(centralHeader.buffer).setUint32(16, crc >>> 0, true);
  return { ...original, localHeader, centralHeader };
}

/** A minimal valid package (manifest and one file) plus the given entries. */
export function packageWith(id: string, extra: RawZipEntry[]): Uint8Array {
  const nuspec = `<?xml version="1.0"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata><id>${id}</id><version>1.0.0</version><authors>a</authors><description>d</description></metadata></package>`;
  return zipOf([entry(`${id}.nuspec`, nuspec), ...extra]);
}
