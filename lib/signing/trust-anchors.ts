// Trusted roots, indexed by subject name. The .NET SDK bundles hold hundreds of roots and a
// chain needs one or two of them, so each root's subject is located with a cheap DER walk and
// a root is decoded with pkijs only when a chain asks for that subject.

import type * as pkijs from "pkijs";
import { parseCertificate } from "./certificates";

interface Tlv {
  /** Offset just past the tag and length octets. */
  contentStart: number;
  end: number;
  tag: number;
}

function readTlv(bytes: Uint8Array, offset: number): Tlv {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined) throw new RangeError("truncated DER");
  let length = first;
  let contentStart = offset + 2;
  if (first & 0x80) {
    const octets = first & 0x7f;
    if (octets === 0 || octets > 4) throw new RangeError("unsupported DER length");
    length = 0;
    for (let index = 0; index < octets; index++) length = length * 256 + (bytes[contentStart + index] ?? 0);
    contentStart += octets;
  }
  const end = contentStart + length;
  if (end > bytes.byteLength) throw new RangeError("truncated DER");
  return { contentStart, end, tag };
}

const CONTEXT_0 = 0xa0;

/** The DER of a certificate's subject: Certificate → tbsCertificate → [version] serial signature issuer validity subject. */
export function subjectDerOf(certificateDer: Uint8Array): Uint8Array {
  const certificate = readTlv(certificateDer, 0);
  const tbs = readTlv(certificateDer, certificate.contentStart);
  let field = readTlv(certificateDer, tbs.contentStart);
  if (field.tag === CONTEXT_0) field = readTlv(certificateDer, field.end); // version
  for (let skipped = 0; skipped < 3; skipped++) field = readTlv(certificateDer, field.end); // serial, signature, issuer
  const subject = readTlv(certificateDer, field.end); // after validity
  return certificateDer.subarray(field.end, subject.end);
}

function key(name: Uint8Array): string {
  return Buffer.from(name).toString("base64");
}

export class TrustAnchors {
  private readonly bySubject = new Map<string, Uint8Array[]>();
  private readonly decoded = new Map<Uint8Array, pkijs.Certificate | null>();

  constructor(roots: readonly Uint8Array[]) {
    for (const der of roots) {
      try {
        const subject = key(subjectDerOf(der));
        this.bySubject.set(subject, [...(this.bySubject.get(subject) ?? []), der]);
      } catch {
        // Not a certificate: it can never anchor a chain, and lib/trust already filters bundles.
      }
    }
  }

  /** The roots whose subject is exactly `name` (DER). */
  withSubject(name: Uint8Array): pkijs.Certificate[] {
    return (this.bySubject.get(key(name)) ?? []).flatMap((der) => {
      if (!this.decoded.has(der)) {
        try {
          this.decoded.set(der, parseCertificate(der));
        } catch {
          this.decoded.set(der, null);
        }
      }
      const root = this.decoded.get(der);
      return root ? [root] : [];
    });
  }
}
