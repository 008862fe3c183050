// Hostile and broken packages: each yields a report with a stable issue code, never an
// exception, a hang or a huge allocation.

import { randomBytes } from "node:crypto";
import { deflateRawSync } from "node:zlib";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyPackageSignatures, type SignatureReport } from "@/lib/signing";
import { OID } from "@/lib/signing/oids";
import { readCentralDirectory, readEntryBytes, type CentralDirectory } from "@/lib/zip/central-directory";
import { bufferSource } from "@/lib/zip/source";
import { addSignatureEntry, compressSignatureEntry, replaceSignature, signatureOf } from "@/test/support/nupkg";
import { buildEntry, DEFLATED, STORED, writeZip } from "@/test/support/zip";
import { createTestPki, signedPackage, trustOf, type TestPki } from "@/test/support/signing";

let pki: TestPki;
let signed: Uint8Array;
let directory: CentralDirectory;

beforeAll(async () => {
  pki = await createTestPki();
  signed = await signedPackage({ primary: { signer: pki.author, kind: "author", authority: pki.authority } });
  directory = await readCentralDirectory(bufferSource(signed));
});

function verify(bytes: Uint8Array): Promise<SignatureReport> {
  return verifyPackageSignatures(bufferSource(bytes), { trust: trustOf(pki) });
}

/** A copy of the signed package with little-endian fields overwritten. */
function patched(edits: { offset: number; bytes: 2 | 4; value: number }[]): Uint8Array {
  const copy = signed.slice();
  const view = new DataView(copy.buffer);
  for (const edit of edits) {
    if (edit.bytes === 2) view.setUint16(edit.offset, edit.value, true);
    else view.setUint32(edit.offset, edit.value, true);
  }
  return copy;
}

function signatureEntry() {
  const entry = directory.entries.find((candidate) => candidate.name === ".signature.p7s");
  if (!entry) throw new Error("the fixture package is not signed");
  return entry;
}

function errorCodes(report: SignatureReport): string[] {
  return report.issues.filter((issue) => issue.level === "error").map((issue) => issue.code);
}

describe("hostile packages", () => {
  const cases: [string, string, () => Uint8Array][] = [
    ["an empty file", "ZIP_INVALID", () => new Uint8Array(0)],
    ["random bytes, not a zip at all", "ZIP_INVALID", () => randomBytes(4096)],
    ["the first half of a signed package", "ZIP_INVALID", () => signed.subarray(0, signed.byteLength >> 1)],
    ["a package missing its last bytes", "ZIP_INVALID", () => signed.subarray(0, signed.byteLength - 10)],
    [
      "an EOCD placing the central directory beyond the file",
      "ZIP_INVALID",
      () => patched([{ offset: directory.endOfCentralDirectory.offset + 16, bytes: 4, value: 0x7fffffff }]),
    ],
    [
      "an EOCD claiming 65,534 entries",
      "ZIP_INVALID",
      () =>
        patched(
          [8, 10].map((field) => ({
            offset: directory.endOfCentralDirectory.offset + field,
            bytes: 2 as const,
            value: 0xfffe,
          })),
        ),
    ],
    [
      "an EOCD with the Zip64 marker count",
      "ZIP64_UNSUPPORTED",
      () => patched([{ offset: directory.endOfCentralDirectory.offset + 10, bytes: 2, value: 0xffff }]),
    ],
    [
      "a local-header offset inside the central directory",
      "ZIP_INVALID",
      () =>
        patched([
          {
            offset: directory.entries[0]!.headerOffset + 42,
            bytes: 4,
            value: directory.endOfCentralDirectory.centralDirectoryOffset,
          },
        ]),
    ],
    [
      "a signature entry claiming 4 GB",
      "NU3005",
      () => {
        const entry = signatureEntry();
        return patched(
          [20, 24]
            .map((field) => ({ offset: entry.headerOffset + field, bytes: 4 as const, value: 0xffffffff }))
            .concat(
              [18, 22].map((field) => ({
                offset: entry.localHeaderOffset + field,
                bytes: 4 as const,
                value: 0xffffffff,
              })),
            ),
        );
      },
    ],
    [
      "another entry claiming 4 GB (the signed bytes changed)",
      "NU3008",
      () => patched([{ offset: directory.entries[0]!.headerOffset + 24, bytes: 4, value: 0xffffffff }]),
    ],
    [
      "a signature entry flagged as UTF-8",
      "NU3005",
      () => patched([{ offset: signatureEntry().headerOffset + 8, bytes: 2, value: 0x0800 }]),
    ],
    [
      "a signature entry with external attributes",
      "NU3005",
      () => patched([{ offset: signatureEntry().headerOffset + 38, bytes: 4, value: 0x81a40000 }]),
    ],
    ["a compressed signature entry", "NU3005", () => compressSignatureEntry(signed)],
    ["two signature entries", "NU3005", () => addSignatureEntry(signed, signatureOf(signed))],
    ["a garbage signature", "NU3003", () => replaceSignature(signed, randomBytes(2000))],
    ["a truncated signature", "NU3003", () => replaceSignature(signed, signatureOf(signed).subarray(0, 700))],
    ["an empty signature", "NU3003", () => replaceSignature(signed, new Uint8Array(0))],
    [
      "a signature whose ContentInfo is not SignedData",
      "NU3003",
      () =>
        replaceSignature(
          signed,
          new Uint8Array(
            new pkijs.ContentInfo({
              contentType: OID.data,
              content: new asn1js.OctetString({ valueHex: new Uint8Array(8) }),
            })
              .toSchema()
              .toBER(),
          ),
        ),
    ],
    [
      "a signature whose SignedData encapsulates a TSTInfo instead of data",
      "NU3003",
      () => {
        const info = pkijs.ContentInfo.fromBER(signatureOf(signed).slice());
        const signedData = new pkijs.SignedData({ schema: info.content });
        signedData.encapContentInfo.eContentType = OID.tstInfo;
        return replaceSignature(
          signed,
          new Uint8Array(
            new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) })
              .toSchema()
              .toBER(),
          ),
        );
      },
    ],
    ...(["central", "local"] as const).map((where): [string, string, () => Uint8Array] => [
      `a Zip64 extra field in a ${where} header of a signed package`,
      "NU3006",
      () => {
        const unsigned = writeZip({
          entries: [
            withZip64Extra(buildEntry("a.txt", new TextEncoder().encode("a"), STORED), where),
            buildEntry("b.nuspec", new TextEncoder().encode("<package/>"), DEFLATED),
          ],
          comment: new Uint8Array(0),
        });
        return addSignatureEntry(unsigned, signatureOf(signed));
      },
    ]),
  ];

  it.each(cases)("%s → %s", async (_name, code, make) => {
    const report = await verify(make());
    expect(report.status).toBe("invalid");
    expect(errorCodes(report)).toContain(code);
    for (const issue of report.issues) expect(issue.message.length).toBeGreaterThan(10);
  });
});

const ZIP64_EXTRA = new Uint8Array([0x01, 0x00, 0x08, 0x00, 1, 0, 0, 0, 0, 0, 0, 0]);

/** A header with the 8-byte Zip64 extended-information field appended (extra length at `extraLengthOffset`). */
function withExtra(header: Uint8Array, extraLengthOffset: number): Uint8Array {
  const extended = new Uint8Array(header.byteLength + ZIP64_EXTRA.byteLength);
  extended.set(header);
  extended.set(ZIP64_EXTRA, header.byteLength);
  new DataView(extended.buffer).setUint16(extraLengthOffset, ZIP64_EXTRA.byteLength, true);
  return extended;
}

/** The entry with a Zip64 extra field in its central-directory header or its local header. */
function withZip64Extra(
  entry: ReturnType<typeof buildEntry>,
  where: "central" | "local",
): ReturnType<typeof buildEntry> {
  return where === "central"
    ? { ...entry, centralHeader: withExtra(entry.centralHeader, 30) }
    : { ...entry, localHeader: withExtra(entry.localHeader, 28) };
}

describe("readEntryBytes", () => {
  const text = new TextEncoder().encode("hello, package\n".repeat(1000));

  async function onlyEntry(bytes: Uint8Array) {
    const source = bufferSource(bytes);
    const [entry] = (await readCentralDirectory(source)).entries;
    if (!entry) throw new Error("no entry");
    return { source, entry };
  }

  it("inflates a deflated entry and copies a stored one", async () => {
    for (const method of [STORED, DEFLATED] as const) {
      const { source, entry } = await onlyEntry(
        writeZip({ entries: [buildEntry("a.txt", text, method)], comment: new Uint8Array(0) }),
      );
      expect(await readEntryBytes(source, entry, text.byteLength)).toEqual(text);
    }
  });

  it("refuses an entry whose declared size exceeds the cap before reading it", async () => {
    const { source, entry } = await onlyEntry(
      writeZip({ entries: [buildEntry("a.txt", text, DEFLATED)], comment: new Uint8Array(0) }),
    );
    await expect(readEntryBytes(source, entry, text.byteLength - 1)).rejects.toMatchObject({
      code: "ZIP_ENTRY_TOO_LARGE",
    });
  });

  it("stops inflating a zip bomb that lies about its size", async () => {
    const bomb = new Uint8Array(64 * 1024 * 1024);
    const entry = buildEntry("bomb.bin", new Uint8Array(10), DEFLATED);
    const data = new Uint8Array(deflateRawSync(bomb));
    const localHeader = entry.localHeader.slice();
    new DataView(localHeader.buffer).setUint32(18, data.byteLength, true);
    const centralHeader = entry.centralHeader.slice();
    new DataView(centralHeader.buffer).setUint32(20, data.byteLength, true);
    const { source, entry: parsed } = await onlyEntry(
      writeZip({ entries: [{ ...entry, localHeader, data, centralHeader }], comment: new Uint8Array(0) }),
    );
    expect(parsed.uncompressedSize).toBe(10);
    await expect(readEntryBytes(source, parsed, 1024 * 1024)).rejects.toMatchObject({ code: "ZIP_ENTRY_TOO_LARGE" });
  });

  it("reports corrupt data (CRC mismatch) and corrupt deflate streams", async () => {
    const zip = writeZip({ entries: [buildEntry("a.txt", text, STORED)], comment: new Uint8Array(0) });
    const flipped = zip.slice();
    flipped[40] = (flipped[40] ?? 0) ^ 0xff;
    const stored = await onlyEntry(flipped);
    await expect(readEntryBytes(stored.source, stored.entry, 1 << 20)).rejects.toMatchObject({
      code: "ZIP_ENTRY_CORRUPT",
    });

    const garbage = buildEntry("b.txt", text, DEFLATED);
    const deflated = await onlyEntry(
      writeZip({ entries: [{ ...garbage, data: randomBytes(garbage.data.byteLength) }], comment: new Uint8Array(0) }),
    );
    await expect(readEntryBytes(deflated.source, deflated.entry, 1 << 20)).rejects.toMatchObject({
      code: expect.stringMatching(/^ZIP_ENTRY_(CORRUPT|TOO_LARGE)$/),
    });
  });
});
