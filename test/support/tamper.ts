// Damage to a signed package, by class: what the differential test shows the NuGet client
// answering for each class, and what the mutation fuzz applies at random. Every function
// takes the signed bytes and a source of randomness (which entry, which byte, how much) and
// returns new bytes that differ from the original exactly where the class says, so the
// damage is always real: it touches bytes the package hash or a signature covers.

import { inflateRawSync } from "node:zlib";
import * as asn1js from "asn1js";
import { SIGNATURE_ENTRY_NAME, signatureOf } from "./nupkg";
import { DEFLATED, STORED, buildEntry, readZip, writeZip, type RawZip, type RawZipEntry } from "./zip";

export type Random = () => number;

/** A small deterministic PRNG (mulberry32), so a failing variant can be replayed from its seed. */
export function seededRandom(seed: number): Random {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("Nothing to pick from.");
  return item;
}

function between(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low));
}

/** `bytes` with the byte at `offset` changed to a different value. */
function flipped(bytes: Uint8Array, offset: number, random: Random): Uint8Array {
  const copy = bytes.slice();
  copy[offset] = ((copy[offset] ?? 0) ^ between(random, 1, 256)) & 0xff;
  return copy;
}

const isSignature = (entry: RawZipEntry) => entry.name === SIGNATURE_ENTRY_NAME;

function contentEntries(zip: RawZip): RawZipEntry[] {
  return zip.entries.filter((entry) => !isSignature(entry));
}

function editEntries(signed: Uint8Array, edit: (entries: RawZipEntry[]) => RawZipEntry[]): Uint8Array {
  const zip = readZip(signed);
  return writeZip({ ...zip, entries: edit(zip.entries) });
}

function replaceSignatureEntry(signed: Uint8Array, entry: RawZipEntry | RawZipEntry[]): Uint8Array {
  return editEntries(signed, (entries) => entries.flatMap((existing) => (isSignature(existing) ? entry : [existing])));
}

/** Where each entry's local header starts in the file, in the order writeZip lays them out. */
function localHeaderOffsets(zip: RawZip): Map<RawZipEntry, number> {
  const offsets = new Map<RawZipEntry, number>();
  let offset = 0;
  for (const entry of zip.entries) {
    offsets.set(entry, offset);
    offset += entry.localHeader.byteLength + entry.data.byteLength;
  }
  return offsets;
}

/** The signature DER's byte ranges worth damaging: [start, end) of a few covered values. */
export interface SignatureRegions {
  signedAttributes: [number, number];
  signatureValue: [number, number];
  content: [number, number];
}

/** Finds the primary SignerInfo's signed attributes and signature value, and the eContent, in the DER by a schema-free walk. */
export function signatureRegions(p7s: Uint8Array): SignatureRegions {
  const contentInfo = asn1js.fromBER(p7s).result as asn1js.Sequence;
  const signedData = (contentInfo.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
  const fields = signedData.valueBlock.value;
  const encapsulated = fields[2] as asn1js.Sequence;
  const eContent = (encapsulated.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.OctetString;
  const signerInfos = fields[fields.length - 1] as asn1js.Set;
  const signerInfo = signerInfos.valueBlock.value[0] as asn1js.Sequence;
  const signerFields = signerInfo.valueBlock.value;
  const signedAttributes = signerFields.find(
    (field) => field.idBlock.tagClass === 3 && field.idBlock.tagNumber === 0,
  ) as asn1js.Constructed;
  const signatureValue = signerFields.find((field) => field instanceof asn1js.OctetString) as asn1js.OctetString;
  const range = (value: asn1js.AsnType): [number, number] => {
    // asn1js keeps each value's original bytes but not where they were; they are unique in a signature.
    const encoded = value.valueBeforeDecodeView;
    const start = indexOf(p7s, encoded);
    if (start < 0) throw new Error("A value of the signature could not be located in its DER.");
    return [start, start + encoded.byteLength];
  };
  const inner = (value: asn1js.AsnType): [number, number] => {
    const [start, end] = range(value);
    const headerLength = value.idBlock.blockLength + value.lenBlock.blockLength;
    return [start + headerLength, end];
  };
  return { signedAttributes: inner(signedAttributes), signatureValue: inner(signatureValue), content: inner(eContent) };
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let start = 0; start + needle.byteLength <= haystack.byteLength; start++) {
    for (let index = 0; index < needle.byteLength; index++)
      if (haystack[start + index] !== needle[index]) continue outer;
    return start;
  }
  return -1;
}

function damageSignatureRegion(region: keyof SignatureRegions) {
  return (signed: Uint8Array, random: Random): Uint8Array => {
    const p7s = signatureOf(signed);
    const [start, end] = signatureRegions(p7s)[region];
    return replaceSignatureEntry(
      signed,
      buildEntry(SIGNATURE_ENTRY_NAME, flipped(p7s, between(random, start, end), random), STORED),
    );
  };
}

/** Each damage class, by name. */
export const DAMAGE = {
  /** One byte of a content entry's stored data. */
  "entry-byte": (signed: Uint8Array, random: Random): Uint8Array => {
    const zip = readZip(signed);
    const entry = pick(
      random,
      contentEntries(zip).filter((candidate) => candidate.data.byteLength > 0),
    );
    const offset =
      (localHeaderOffsets(zip).get(entry) ?? 0) +
      entry.localHeader.byteLength +
      between(random, 0, entry.data.byteLength);
    return flipped(signed, offset, random);
  },
  /** A new entry before the signature. */
  "entry-added": (signed: Uint8Array, random: Random): Uint8Array =>
    editEntries(signed, (entries) => {
      const added = buildEntry(
        `content/added-${between(random, 0, 1e6)}.txt`,
        new TextEncoder().encode("added after signing\n"),
        DEFLATED,
      );
      const at = entries.findIndex(isSignature);
      return [...entries.slice(0, at), added, ...entries.slice(at)];
    }),
  /** A content entry taken out. */
  "entry-removed": (signed: Uint8Array, random: Random): Uint8Array => {
    const removed = pick(random, contentEntries(readZip(signed)));
    return editEntries(signed, (entries) => entries.filter((entry) => entry.name !== removed.name));
  },
  /** A content entry under another name, same data. */
  "entry-renamed": (signed: Uint8Array, random: Random): Uint8Array => {
    const renamed = pick(random, contentEntries(readZip(signed)));
    return editEntries(signed, (entries) =>
      entries.map((entry) => {
        if (entry !== renamed && entry.name !== renamed.name) return entry;
        const method = new DataView(entry.localHeader.buffer, entry.localHeader.byteOffset).getUint16(8, true);
        const content = method === DEFLATED ? new Uint8Array(inflateRawSync(entry.data)) : entry.data;
        return buildEntry(`${entry.name}.renamed`, content, method === DEFLATED ? DEFLATED : STORED);
      }),
    );
  },
  /** A different archive comment. */
  comment: (signed: Uint8Array, random: Random): Uint8Array => {
    const zip = readZip(signed);
    return writeZip({ ...zip, comment: new TextEncoder().encode(`changed after signing ${between(random, 0, 1e6)}`) });
  },
  /** One byte of a content entry's local header (its fixed fields, after the signature bytes). */
  "local-header": (signed: Uint8Array, random: Random): Uint8Array => {
    const zip = readZip(signed);
    const entry = pick(random, contentEntries(zip));
    // Version, flags, method, time, date, CRC and sizes: bytes 4..25; names and lengths would move the data.
    return flipped(signed, (localHeaderOffsets(zip).get(entry) ?? 0) + between(random, 4, 26), random);
  },
  /** Bytes after the end-of-central-directory record (never its signature, so the record is still found). */
  "appended-bytes": (signed: Uint8Array, random: Random): Uint8Array => {
    const extra = Uint8Array.from({ length: between(random, 1, 64) }, () => between(random, 0x20, 0x7f));
    return new Uint8Array(Buffer.concat([signed, extra]));
  },
  /** The signature entry's bytes replaced by random bytes of the same length. */
  "signature-garbage": (signed: Uint8Array, random: Random): Uint8Array => {
    const garbage = Uint8Array.from({ length: signatureOf(signed).byteLength }, () => between(random, 0, 256));
    return replaceSignatureEntry(signed, buildEntry(SIGNATURE_ENTRY_NAME, garbage, STORED));
  },
  /** The signature DER cut short. */
  "signature-truncated": (signed: Uint8Array, random: Random): Uint8Array => {
    const p7s = signatureOf(signed);
    return replaceSignatureEntry(
      signed,
      buildEntry(SIGNATURE_ENTRY_NAME, p7s.slice(0, between(random, 1, p7s.byteLength)), STORED),
    );
  },
  /** The signature entry deflated, which NuGet forbids. */
  "signature-compressed": (signed: Uint8Array): Uint8Array =>
    replaceSignatureEntry(signed, buildEntry(SIGNATURE_ENTRY_NAME, signatureOf(signed), DEFLATED)),
  /** A second `.signature.p7s` entry. */
  "signature-duplicated": (signed: Uint8Array): Uint8Array => {
    const p7s = signatureOf(signed);
    return replaceSignatureEntry(signed, [
      buildEntry(SIGNATURE_ENTRY_NAME, p7s, STORED),
      buildEntry(SIGNATURE_ENTRY_NAME, p7s, STORED),
    ]);
  },
  /** The signature entry under another name: the package no longer counts as signed. */
  "signature-renamed": (signed: Uint8Array, random: Random): Uint8Array =>
    replaceSignatureEntry(
      signed,
      buildEntry(pick(random, [".signature.p7x", ".SIGNATURE.P7S", "signature.p7s"]), signatureOf(signed), STORED),
    ),
  /** One byte of the primary signature value. */
  "signature-value": damageSignatureRegion("signatureValue"),
  /** One byte of the primary signer's signed attributes. */
  "signed-attributes": damageSignatureRegion("signedAttributes"),
  /** One byte of the signed content (the package hash text). */
  "signed-content": damageSignatureRegion("content"),
} as const;

export type DamageClass = keyof typeof DAMAGE;

/**
 * The codes `dotnet nuget verify --all` gives first for each damage class, as the differential
 * test (test/interop/differential.test.ts) observes and checks on every run. Where the client
 * prints no code (a second signature file; a nuspec the damage made unreadable), the code is
 * the one NuGet files the failure under: NU3005 for the signature entry, NU3008 for the rest.
 */
export const NUGET_CODES_BY_DAMAGE: Readonly<Record<DamageClass, readonly string[]>> = {
  "entry-byte": ["NU3008"],
  "entry-added": ["NU3008"],
  "entry-removed": ["NU3008"],
  "entry-renamed": ["NU3008"],
  comment: ["NU3008"],
  "local-header": ["NU3008"],
  "appended-bytes": ["NU3008"],
  "signature-garbage": ["NU3003"],
  "signature-truncated": ["NU3003"],
  "signature-compressed": ["NU3005"],
  "signature-duplicated": ["NU3005"],
  "signature-renamed": ["NU3004"],
  "signature-value": ["NU3012"],
  // A damaged signing-certificate-v2 is found when the signature is loaded (NU3011); a damaged length, when it is decoded (NU3003).
  "signed-attributes": ["NU3003", "NU3011", "NU3012"],
  // A damaged property name makes the content unreadable (NU3000); a damaged hash value fails integrity (NU3008); a damaged length, decoding (NU3003).
  "signed-content": ["NU3000", "NU3003", "NU3008"],
};

export const DAMAGE_CLASSES = Object.keys(DAMAGE) as DamageClass[];
