// Distinguished names as text, in RFC 4514 order (most specific first) with the short names
// and escaping `openssl x509 -nameopt RFC2253` prints, so a subject such as
// "CN=DigiCert Timestamp 2023,O=DigiCert\, Inc.,C=US" compares equal to what people and the
// corpus measurements see.

import * as asn1js from "asn1js";
import type * as pkijs from "pkijs";

const SHORT_NAMES: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.4": "SN",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "street",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.12": "title",
  "2.5.4.15": "businessCategory",
  "2.5.4.17": "postalCode",
  "2.5.4.42": "GN",
  "2.5.4.43": "initials",
  "2.5.4.44": "generationQualifier",
  "2.5.4.46": "dnQualifier",
  "2.5.4.65": "pseudonym",
  "2.5.4.97": "organizationIdentifier",
  "1.2.840.113549.1.9.1": "emailAddress",
  "0.9.2342.19200300.100.1.1": "UID",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.3.6.1.4.1.311.60.2.1.1": "jurisdictionL",
  "1.3.6.1.4.1.311.60.2.1.2": "jurisdictionST",
  "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionC",
};

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** RFC 4514 §2.4 escaping: the special characters, a leading '#' or space, a trailing space, controls. */
export function escapeAttributeValue(value: string): string {
  let escaped = value.replace(/[,+"\\<>;]/g, (character) => `\\${character}`);
  escaped = escaped.replace(
    /[\u0000-\u001f\u007f]/g,
    (character) => `\\${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
  if (/^[# ]/.test(escaped)) escaped = `\\${escaped}`;
  if (/ $/.test(escaped) && escaped.length > 1) escaped = `${escaped.slice(0, -1)}\\ `;
  return escaped;
}

/** One attribute's type (short name, else OID) and value (text for known string types, else "#" + DER hex, as openssl prints it). */
function readAttribute(typeAndValue: asn1js.AsnType): { type: string; value: string; text: boolean } | null {
  if (!(typeAndValue instanceof asn1js.Sequence)) return null;
  const [type, value] = typeAndValue.valueBlock.value;
  if (!(type instanceof asn1js.ObjectIdentifier) || !value) return null;
  const oid = type.valueBlock.toString();
  const name = SHORT_NAMES[oid] ?? oid;
  if (value instanceof asn1js.BaseStringBlock && SHORT_NAMES[oid])
    return { type: name, value: value.getValue(), text: true };
  return { type: name, value: `#${hex(new Uint8Array(value.toBER()))}`, text: false };
}

function formatAttribute(typeAndValue: asn1js.AsnType): string {
  const attribute = readAttribute(typeAndValue);
  if (!attribute) return "";
  return `${attribute.type}=${attribute.text ? escapeAttributeValue(attribute.value) : attribute.value}`;
}

function relativeNames(name: pkijs.RelativeDistinguishedNames): asn1js.AsnType[][] {
  const schema = name.toSchema();
  if (!(schema instanceof asn1js.Sequence)) return [];
  return schema.valueBlock.value.map((rdn) => (rdn instanceof asn1js.Set ? rdn.valueBlock.value : []));
}

/** "CN=...,O=...,C=US": RDNs last-to-first, multi-valued RDNs joined with '+'. */
export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  return relativeNames(name)
    .map((rdn) => rdn.map(formatAttribute).filter(Boolean).join("+"))
    .reverse()
    .join(",");
}

/** Every attribute of a name, unescaped, in the order the certificate encodes them. */
export function nameAttributes(name: pkijs.RelativeDistinguishedNames): { type: string; value: string }[] {
  return relativeNames(name).flatMap((rdn) =>
    rdn.flatMap((typeAndValue) => {
      const attribute = readAttribute(typeAndValue);
      return attribute ? [{ type: attribute.type, value: attribute.value }] : [];
    }),
  );
}

const encodedNames = new WeakMap<pkijs.RelativeDistinguishedNames, Uint8Array>();

/** The DER of a name, for exact issuer/subject comparison (what chain building matches on); memoised, as chain building asks often. */
export function nameBytes(name: pkijs.RelativeDistinguishedNames): Uint8Array {
  let bytes = encodedNames.get(name);
  if (!bytes) {
    // A decoded name keeps its original DER; only names built in code need encoding.
    bytes =
      name.valueBeforeDecode.byteLength > 0
        ? new Uint8Array(name.valueBeforeDecode)
        : new Uint8Array(name.toSchema().toBER());
    encodedNames.set(name, bytes);
  }
  return bytes;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let index = 0; index < a.byteLength; index++) if (a[index] !== b[index]) return false;
  return true;
}
