import { execFile } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { inflateRawSync } from "node:zlib";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  SIGNATURE_ENTRY_NAME,
  addSignatureEntry,
  buildUnsignedPackage,
  compressSignatureEntry,
  replaceEntryContent,
  replaceSignature,
  signatureOf,
} from "./nupkg";
import { temporaryDirectory } from "./pki";
import { DEFLATED, STORED, buildEntry, readZip, writeZip } from "./zip";

const execFileAsync = promisify(execFile);
const signature = new TextEncoder().encode("stand-in for a PKCS#7 signature");
let directory: string;

beforeAll(async () => {
  directory = await temporaryDirectory("nupkg-test-");
});

afterAll(() => rm(directory, { recursive: true, force: true }));

function method(entryCentralHeader: Uint8Array): number {
  return new DataView(entryCentralHeader.buffer, entryCentralHeader.byteOffset).getUint16(10, true);
}

/** An unsigned package with a stored signature entry appended, laid out as NuGet writes it. */
function signedPackage(): Uint8Array {
  const zip = readZip(buildUnsignedPackage({ id: "Support.Test", version: "1.0.0" }));
  return writeZip({ ...zip, entries: [...zip.entries, buildEntry(SIGNATURE_ENTRY_NAME, signature, STORED)] });
}

async function unzip(packageBytes: Uint8Array, ...args: string[]): Promise<string> {
  const file = path.join(directory, "package.nupkg");
  await writeFile(file, packageBytes);
  const { stdout } = await execFileAsync("unzip", [...args, file]);
  return stdout;
}

describe("buildUnsignedPackage", () => {
  it("writes a ZIP that unzip tests clean, with the nuspec, a file and the OPC parts", async () => {
    const packageBytes = buildUnsignedPackage({ id: "Support.Test", version: "1.2.3" });
    expect(await unzip(packageBytes, "-t")).toContain("No errors detected");
    expect(readZip(packageBytes).entries.map((entry) => entry.name)).toEqual([
      "_rels/.rels",
      "Support.Test.nuspec",
      "content/readme.txt",
      "package/services/metadata/core-properties/7b5e3c1a9d2f4e6b8a0c1d2e3f4a5b6c.psmdcp",
      "[Content_Types].xml",
    ]);
    expect(await unzip(packageBytes, "-p")).toContain("<version>1.2.3</version>");
  });

  it("reads back and rewrites to the very same bytes", () => {
    const packageBytes = signedPackage();
    expect(Buffer.from(writeZip(readZip(packageBytes)))).toEqual(Buffer.from(packageBytes));
  });
});

describe("tampering with a signed package", () => {
  it("replaceEntryContent changes that entry and keeps the others byte for byte", async () => {
    const original = signedPackage();
    const changed = replaceEntryContent(original, "content/readme.txt", "changed\n");
    const before = readZip(original).entries;
    const after = readZip(changed).entries;
    expect(after.map((entry) => entry.name)).toEqual(before.map((entry) => entry.name));
    after.forEach((entry, index) => {
      if (entry.name === "content/readme.txt")
        expect(Buffer.from(entry.data)).not.toEqual(Buffer.from(before[index]?.data ?? []));
      else expect(Buffer.from(entry.localHeader)).toEqual(Buffer.from(before[index]?.localHeader ?? []));
    });
    expect(await unzip(changed, "-p")).toContain("changed\n");
    expect(await unzip(changed, "-t")).toContain("No errors detected");
  });

  it("compressSignatureEntry deflates the same signature bytes", () => {
    const compressed = compressSignatureEntry(signedPackage());
    const entry = readZip(compressed).entries.find((candidate) => candidate.name === SIGNATURE_ENTRY_NAME);
    expect(entry && method(entry.centralHeader)).toBe(DEFLATED);
    expect(Buffer.from(inflateRawSync(entry?.data ?? new Uint8Array()))).toEqual(Buffer.from(signature));
  });

  it("addSignatureEntry leaves two stored signature entries", () => {
    const doubled = addSignatureEntry(signedPackage(), signature);
    const signatures = readZip(doubled).entries.filter((entry) => entry.name === SIGNATURE_ENTRY_NAME);
    expect(signatures.map((entry) => method(entry.centralHeader))).toEqual([STORED, STORED]);
  });

  it("replaceSignature writes the new signature last and stored", () => {
    const replacement = new TextEncoder().encode("another signature");
    const replaced = replaceSignature(signedPackage(), replacement);
    const entries = readZip(replaced).entries;
    expect(entries.at(-1)?.name).toBe(SIGNATURE_ENTRY_NAME);
    expect(entries.filter((entry) => entry.name === SIGNATURE_ENTRY_NAME)).toHaveLength(1);
    expect(Buffer.from(signatureOf(replaced))).toEqual(Buffer.from(replacement));
  });

  it("refuses to edit an entry the package does not have", () => {
    expect(() => replaceEntryContent(signedPackage(), "missing.txt", "x")).toThrow(/no entry named missing.txt/);
  });
});
