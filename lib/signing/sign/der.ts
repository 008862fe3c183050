// Just enough DER to edit a CMS structure without re-encoding what it does not change: read a
// value's tag and extent, and write a value around content bytes. Adding a countersignature
// this way keeps every byte of the author's SignerInfo, certificates and timestamps as they
// were received (pkijs would re-serialise them), which is what keeps the author signature valid.

import { IssueError } from "@/lib/issues";

export interface DerValue {
  /** The identifier octet (this file only meets single-byte tags). */
  tag: number;
  /** The whole encoding: identifier, length and content. */
  bytes: Uint8Array;
  content: Uint8Array;
}

function notDer(what: string): IssueError {
  return new IssueError(
    "REPOSITORY_SIGNING_FAILED",
    `The package signature cannot be countersigned: ${what} is not DER-encoded.`,
  );
}

/** The DER value starting at `offset` of `bytes`. Indefinite lengths (BER) are refused. */
export function readDer(bytes: Uint8Array, offset = 0, what = "the signature"): DerValue {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined || (tag & 0x1f) === 0x1f) throw notDer(what);
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw notDer(what);
    length = 0;
    for (let index = 0; index < count; index++) {
      const byte = bytes[offset + 2 + index];
      if (byte === undefined) throw notDer(what);
      length = length * 256 + byte;
    }
    header += count;
  }
  const end = offset + header + length;
  if (end > bytes.byteLength) throw notDer(what);
  return { tag, bytes: bytes.subarray(offset, end), content: bytes.subarray(offset + header, end) };
}

/** The values directly inside a constructed value, in order. */
export function childrenOf(value: DerValue, what = "the signature"): DerValue[] {
  const children: DerValue[] = [];
  for (let offset = 0; offset < value.content.byteLength;) {
    const child = readDer(value.content, offset, what);
    children.push(child);
    offset += child.bytes.byteLength;
  }
  return children;
}

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const digits: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) digits.unshift(rest % 256);
  return [0x80 | digits.length, ...digits];
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}

/** A DER value with the given identifier octet around the concatenated parts. */
export function derValue(tag: number, parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const content = concatBytes(parts);
  return concatBytes([new Uint8Array([tag, ...lengthBytes(content.byteLength)]), content]);
}

/** X.690 §11.6: a DER SET OF lists its elements in ascending order of their encodings. */
export function derSortedSetElements(elements: readonly Uint8Array[]): Uint8Array[] {
  return [...elements].sort(compareEncodings);
}

function compareEncodings(a: Uint8Array, b: Uint8Array): number {
  const shared = Math.min(a.byteLength, b.byteLength);
  for (let index = 0; index < shared; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  // The shorter one is padded with zero octets for the comparison (X.690 §11.6).
  return a.byteLength - b.byteLength;
}

export const TAG = {
  integer: 0x02,
  octetString: 0x04,
  sequence: 0x30,
  set: 0x31,
  /** [0] and [1], constructed (explicit or implicit SET). */
  context0: 0xa0,
  context1: 0xa1,
  /** [0] primitive: a SignerInfo sid naming a subject key identifier. */
  context0Primitive: 0x80,
} as const;
