// The certificate extensions path validation reads (RFC 5280 §4.2), decoded with pkijs's
// schemas. Each reader returns null when the extension is absent and throws
// MalformedExtension when it is present but cannot be read, so a rule never mistakes a
// broken extension for a missing one.

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { OID } from "../oids";

export class MalformedExtension extends Error {
  constructor(readonly extensionName: string) {
    super(`its ${extensionName} extension cannot be read`);
    this.name = "MalformedExtension";
  }
}

export const KEY_USAGE_BITS = { digitalSignature: 0, contentCommitment: 1, keyCertSign: 5 } as const;

/**
 * The extensions a verifier understands well enough to honour when they are critical: the
 * ones OpenSSL (which the .NET client's chain builder uses on Linux) handles, so a critical
 * extension outside this list fails there too (HasNotSupportedCriticalExtension).
 */
const HANDLED_EXTENSIONS: ReadonlySet<string> = new Set([
  "2.16.840.1.113730.1.1", // Netscape certificate type
  OID.keyUsage,
  OID.subjectAltName,
  OID.basicConstraints,
  OID.certificatePolicies,
  OID.extendedKeyUsage,
  "1.3.6.1.5.5.7.1.7", // IP address blocks (RFC 3779)
  "1.3.6.1.5.5.7.1.8", // AS identifiers (RFC 3779)
  OID.policyConstraints,
  "1.3.6.1.5.5.7.1.14", // proxy certificate information
  OID.nameConstraints,
  OID.policyMappings,
  OID.inhibitAnyPolicy,
]);

function extensionsWithId(certificate: pkijs.Certificate, oid: string): pkijs.Extension[] {
  return (certificate.extensions ?? []).filter((extension) => extension.extnID === oid);
}

/** The parsed value of the one extension with `oid`, null when absent; malformed when repeated (RFC 5280 §4.2) or unreadable. */
function parsedExtension<T>(
  certificate: pkijs.Certificate,
  oid: string,
  name: string,
  type: abstract new (...args: never[]) => T,
): T | null {
  const [extension, ...repeated] = extensionsWithId(certificate, oid);
  if (!extension) return null;
  const parsed: unknown = extension.parsedValue;
  if (repeated.length > 0 || !(parsed instanceof type) || "parsingError" in (parsed as object))
    throw new MalformedExtension(name);
  return parsed;
}

export interface BasicConstraintsValue {
  cA: boolean;
  /** null when the extension sets no limit. */
  pathLenConstraint: number | null;
}

export function readBasicConstraints(certificate: pkijs.Certificate): BasicConstraintsValue | null {
  const parsed = parsedExtension(certificate, OID.basicConstraints, "basic constraints", pkijs.BasicConstraints);
  if (!parsed) return null;
  const { pathLenConstraint } = parsed;
  // pkijs keeps an INTEGER too large for a JavaScript number as an asn1js.Integer: no practical limit.
  const limit =
    pathLenConstraint === undefined
      ? null
      : typeof pathLenConstraint === "number"
        ? pathLenConstraint
        : Number.MAX_SAFE_INTEGER;
  return { cA: parsed.cA === true, pathLenConstraint: limit };
}

/** The key usage bits that are set, by bit number; null without the extension. */
export function readKeyUsage(certificate: pkijs.Certificate): ReadonlySet<number> | null {
  const bits = parsedExtension(certificate, OID.keyUsage, "key usage", asn1js.BitString);
  if (!bits) return null;
  const bytes = bits.valueBlock.valueHexView;
  const set = new Set<number>();
  for (let bit = 0; bit < bytes.byteLength * 8; bit++) {
    if (((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0) set.add(bit);
  }
  return set;
}

/** The extended key usages, or null when the certificate has no EKU extension (any usage allowed). */
export function readExtendedKeyUsages(certificate: pkijs.Certificate): readonly string[] | null {
  return (
    parsedExtension(certificate, OID.extendedKeyUsage, "extended key usage", pkijs.ExtKeyUsage)?.keyPurposes ?? null
  );
}

export function readNameConstraints(certificate: pkijs.Certificate): pkijs.NameConstraints | null {
  return parsedExtension(certificate, OID.nameConstraints, "name constraints", pkijs.NameConstraints);
}

export function readSubjectAltNames(certificate: pkijs.Certificate): readonly pkijs.GeneralName[] {
  return parsedExtension(certificate, OID.subjectAltName, "subject alternative name", pkijs.AltName)?.altNames ?? [];
}

/** OIDs of critical extensions a verifier does not handle. */
export function unhandledCriticalExtensions(certificate: pkijs.Certificate): string[] {
  return (certificate.extensions ?? [])
    .filter((extension) => extension.critical && !HANDLED_EXTENSIONS.has(extension.extnID))
    .map((extension) => extension.extnID);
}
