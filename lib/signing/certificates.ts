// X.509 certificates: reading them (DER or PEM), describing them for people, and NuGet's rules
// for a certificate that signs packages (NuGet.Client's CertificateUtility and SigningUtility). Independent of packages, so the
// certificate-registration feature uses the same functions.

import "./crypto-engine";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { error, IssueError, type ErrorCode, type Issue } from "@/lib/issues";
import type { CertificateSummary, SignerIdentityFacts } from "./report";
import { formatName, nameAttributes } from "./names";
import { hashAlgorithmByRsaSignatureOid, OID } from "./oids";

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/;

export const MIN_RSA_KEY_BITS = 2048;

function unreadable(detail: string): IssueError {
  return new IssueError("CERTIFICATE_UNREADABLE", `The certificate cannot be read: ${detail}.`);
}

/** The DER inside the first PEM CERTIFICATE block of `text`. */
export function pemBody(text: string): Uint8Array {
  const match = PEM_CERTIFICATE.exec(text);
  if (!match?.[1]) throw unreadable("no PEM 'CERTIFICATE' block was found");
  // atob rather than Buffer: the certificate page parses certificates in the browser too.
  let binary: string;
  try {
    binary = atob(match[1].replace(/\s+/g, ""));
  } catch {
    throw unreadable("the PEM block is not valid base64");
  }
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function looksLikePem(bytes: Uint8Array): boolean {
  return new TextDecoder("latin1").decode(bytes.subarray(0, 64)).includes("-----BEGIN");
}

/** A certificate from DER bytes, PEM bytes or PEM text; throws CERTIFICATE_UNREADABLE. */
export function parseCertificate(input: Uint8Array | string): pkijs.Certificate {
  const der =
    typeof input === "string" ? pemBody(input) : looksLikePem(input) ? pemBody(new TextDecoder().decode(input)) : input;
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1js.fromBER(der);
  } catch {
    throw unreadable("it is not valid DER");
  }
  if (parsed.offset === -1) throw unreadable("it is not valid DER");
  if (parsed.offset !== der.byteLength) throw unreadable("there are extra bytes after the certificate");
  try {
    return new pkijs.Certificate({ schema: parsed.result });
  } catch {
    throw unreadable("the DER is not an X.509 certificate");
  }
}

/** Every PEM CERTIFICATE block in a bundle (the trust-store files), as text. */
export function pemCertificateBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g) ?? [];
}

const encodedCertificates = new WeakMap<pkijs.Certificate, Uint8Array<ArrayBuffer>>();

/** The certificate's DER (memoised: fingerprints, chain building and ESS checks all need it). */
export function certificateDer(certificate: pkijs.Certificate): Uint8Array<ArrayBuffer> {
  let der = encodedCertificates.get(certificate);
  if (!der) {
    der = new Uint8Array(certificate.toSchema().toBER());
    encodedCertificates.set(certificate, der);
  }
  return der;
}

/** The DER of the subject public key info. */
export function publicKeyInfoDer(certificate: pkijs.Certificate): Uint8Array<ArrayBuffer> {
  return new Uint8Array(certificate.subjectPublicKeyInfo.toSchema().toBER());
}

function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function serialNumberHex(certificate: pkijs.Certificate): string {
  return hexOf(certificate.serialNumber.valueBlock.valueHexView).toUpperCase();
}

/** Subject, issuer, serial, fingerprints and validity, as plain JSON-safe data. */
export async function describeCertificate(certificate: pkijs.Certificate): Promise<CertificateSummary> {
  const der = certificateDer(certificate);
  const [sha256, sha1] = await Promise.all([crypto.subtle.digest("SHA-256", der), crypto.subtle.digest("SHA-1", der)]);
  return {
    subject: formatName(certificate.subject),
    issuer: formatName(certificate.issuer),
    serialNumber: serialNumberHex(certificate),
    sha256Fingerprint: hexOf(new Uint8Array(sha256)),
    sha1Fingerprint: hexOf(new Uint8Array(sha1)),
    notBefore: certificate.notBefore.value.toISOString(),
    notAfter: certificate.notAfter.value.toISOString(),
  };
}

/** The subject attributes and extended key usages a signer identity is matched on. */
export function signerIdentityFacts(certificate: pkijs.Certificate): SignerIdentityFacts {
  return { subjectAttributes: nameAttributes(certificate.subject), extendedKeyUsages: extendedKeyUsages(certificate) };
}

export function findExtension(certificate: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return certificate.extensions?.find((extension) => extension.extnID === oid);
}

/** The extended key usages, or null when the certificate has no EKU extension (any usage allowed). */
export function extendedKeyUsages(certificate: pkijs.Certificate): string[] | null {
  const extension = findExtension(certificate, OID.extendedKeyUsage);
  if (!extension) return null;
  const parsed = extension.parsedValue;
  return parsed instanceof pkijs.ExtKeyUsage ? parsed.keyPurposes : [];
}

/**
 * Whether the certificate may be used for `usage`: no EKU extension, or one that lists it.
 * anyExtendedKeyUsage does not count: the .NET client on Linux refuses it for code signing.
 */
export function allowsUsage(certificate: pkijs.Certificate, usage: string): boolean {
  const usages = extendedKeyUsages(certificate);
  return usages === null || usages.includes(usage);
}

export function subjectKeyIdentifier(certificate: pkijs.Certificate): Uint8Array | null {
  const parsed = findExtension(certificate, OID.subjectKeyIdentifier)?.parsedValue;
  return parsed instanceof asn1js.OctetString ? parsed.valueBlock.valueHexView : null;
}

export function authorityKeyIdentifier(certificate: pkijs.Certificate): Uint8Array | null {
  const parsed = findExtension(certificate, OID.authorityKeyIdentifier)?.parsedValue;
  return parsed instanceof pkijs.AuthorityKeyIdentifier && parsed.keyIdentifier
    ? parsed.keyIdentifier.valueBlock.valueHexView
    : null;
}

/** The RSA modulus size in bits, or null when the key is not RSA. */
export function rsaKeyBits(certificate: pkijs.Certificate): number | null {
  const info = certificate.subjectPublicKeyInfo;
  if (info.algorithm.algorithmId !== OID.rsaEncryption) return null;
  const key = info.parsedKey;
  if (!(key instanceof pkijs.RSAPublicKey)) return null;
  const modulus = key.modulus.valueBlock.valueHexView;
  let leading = 0;
  while (leading < modulus.byteLength && modulus[leading] === 0) leading++;
  const first = modulus[leading];
  if (first === undefined) return 0;
  return (modulus.byteLength - leading - 1) * 8 + (32 - Math.clz32(first));
}

export interface CertificateRuleCodes {
  signatureAlgorithm: ErrorCode;
  keySize: ErrorCode;
  notYetValid: ErrorCode;
}

export const SIGNING_CERTIFICATE_CODES: CertificateRuleCodes = {
  signatureAlgorithm: "NU3013",
  keySize: "NU3014",
  notYetValid: "NU3017",
};
export const TIMESTAMP_CERTIFICATE_CODES: CertificateRuleCodes = {
  signatureAlgorithm: "NU3022",
  keySize: "NU3023",
  notYetValid: "NU3025",
};

/** NuGet accepts only SHA-2 RSA signatures on a signing (or TSA) certificate. */
export function signatureAlgorithmIssues(certificate: pkijs.Certificate, code: ErrorCode, role: string): Issue[] {
  if (hashAlgorithmByRsaSignatureOid(certificate.signatureAlgorithm.algorithmId)) return [];
  return [
    error(
      code,
      `The ${role} certificate '${formatName(certificate.subject)}' is signed with algorithm ${certificate.signatureAlgorithm.algorithmId}; only SHA-256, SHA-384 or SHA-512 with RSA are accepted.`,
    ),
  ];
}

/** NuGet accepts only RSA keys of at least 2048 bits (so no ECDSA keys). */
export function keySizeIssues(certificate: pkijs.Certificate, code: ErrorCode, role: string): Issue[] {
  const bits = rsaKeyBits(certificate);
  if (bits !== null && bits >= MIN_RSA_KEY_BITS) return [];
  const key = bits === null ? "a non-RSA key" : `a ${bits}-bit RSA key`;
  return [
    error(
      code,
      `The ${role} certificate '${formatName(certificate.subject)}' has ${key}; an RSA key of at least ${MIN_RSA_KEY_BITS} bits is required.`,
    ),
  ];
}

/** A certificate whose validity starts after `at` (NuGet's local clock). */
export function notYetValidIssues(certificate: pkijs.Certificate, at: Date, code: ErrorCode, role: string): Issue[] {
  if (certificate.notBefore.value.getTime() <= at.getTime()) return [];
  return [
    error(
      code,
      `The ${role} certificate '${formatName(certificate.subject)}' is not valid until ${certificate.notBefore.value.toISOString()}.`,
    ),
  ];
}

/** The lifetime-signing EKU limits signatures to the certificate's validity; NuGet refuses it (NU3015). */
export function lifetimeSigningIssues(certificate: pkijs.Certificate): Issue[] {
  if (!extendedKeyUsages(certificate)?.includes(OID.lifetimeSigningUsage)) return [];
  return [
    error(
      "NU3015",
      `The signing certificate '${formatName(certificate.subject)}' has the lifetime-signing extended key usage, which NuGet refuses.`,
    ),
  ];
}

/**
 * The rules NuGet applies to a certificate that signs packages, in its order
 * (VerificationUtility.ValidateSigningCertificate): SHA-2 RSA signature, RSA >= 2048, no
 * lifetime-signing EKU, not in the future.
 */
export function checkSignerCertificate(certificate: pkijs.Certificate, at: Date): Issue[] {
  const codes = SIGNING_CERTIFICATE_CODES;
  return [
    ...signatureAlgorithmIssues(certificate, codes.signatureAlgorithm, "signing"),
    ...keySizeIssues(certificate, codes.keySize, "signing"),
    ...lifetimeSigningIssues(certificate),
    ...notYetValidIssues(certificate, at, codes.notYetValid, "signing"),
  ];
}

/**
 * NuGet's rules for a certificate to be registered for signing at time `at`:
 * the signer rules, code-signing EKU, and inside its validity. Package verification judges
 * the EKU along the whole chain and the validity against the timestamp (NU3037) instead.
 */
export function checkSigningCertificateRules(certificate: pkijs.Certificate, at: Date): Issue[] {
  const subject = formatName(certificate.subject);
  const issues = checkSignerCertificate(certificate, at);
  if (!allowsUsage(certificate, OID.codeSigningUsage)) {
    issues.push(
      error(
        "NU3012",
        `The signing certificate '${subject}' is not valid for code signing (its extended key usage lacks 1.3.6.1.5.5.7.3.3).`,
      ),
    );
  }
  if (certificate.notAfter.value.getTime() <= at.getTime()) {
    issues.push(
      error("NU3037", `The signing certificate '${subject}' expired on ${certificate.notAfter.value.toISOString()}.`),
    );
  }
  return issues;
}
