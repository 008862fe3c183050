// Test PKIs built in-process: RSA and ECDSA keys from WebCrypto, X.509 certificates from
// pkijs, so a test can make exactly the certificate a scenario needs (expired, no
// code-signing EKU, RSA-1024, SHA-1 signed, self-signed, from an untrusted root, an end
// entity acting as a CA, a path length or name constraint, an unknown critical extension)
// without any fixture files.

import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

import { toPem, type TimestampSigner } from "@/lib/timestamping";

const execFileAsync = promisify(execFile);

export const EXTENDED_KEY_USAGE = {
  codeSigning: "1.3.6.1.5.5.7.3.3",
  timeStamping: "1.3.6.1.5.5.7.3.8",
} as const;

const OID_COMMON_NAME = "2.5.4.3";
const OID_SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
const OID_KEY_USAGE = "2.5.29.15";
const OID_BASIC_CONSTRAINTS = "2.5.29.19";
const OID_AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
const OID_EXTENDED_KEY_USAGE = "2.5.29.37";

/** KeyUsage bit numbers (RFC 5280 §4.2.1.3). */
export const KEY_USAGE = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  keyCertSign: 5,
  cRLSign: 6,
} as const;
export type KeyUsageName = keyof typeof KEY_USAGE;

export type CertificateHash = "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512";

export interface TestKey {
  /** Extractable; an RSA key is bound to SHA-256 and re-bound to another hash when a signature needs it. */
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  algorithm: "RSA" | "ECDSA";
  /** RSA modulus size, or the curve size (256) for ECDSA P-256. */
  modulusBits: number;
}

export interface TestCertificate {
  certificate: pkijs.Certificate;
  der: Uint8Array<ArrayBuffer>;
  key: TestKey;
  /** The issuing certificate; null when self-signed. */
  issuer: TestCertificate | null;
}

export interface CertificateOptions {
  commonName: string;
  key: TestKey;
  /** Absent: the certificate is self-signed. */
  issuer?: TestCertificate;
  notBefore?: Date;
  notAfter?: Date;
  /** Writes basicConstraints cA=true and keyUsage keyCertSign + cRLSign (else cA=false, digitalSignature). */
  certificateAuthority?: boolean;
  /** Basic constraints as written, overriding `certificateAuthority`; null leaves the extension out. */
  basicConstraints?: { cA: boolean; pathLenConstraint?: number; critical?: boolean } | null;
  /** Key usage bits, overriding `certificateAuthority`'s; null leaves the extension out. */
  keyUsage?: readonly KeyUsageName[] | null;
  /** OIDs; an empty list leaves the extension out. */
  extendedKeyUsages?: readonly string[];
  /** Hash of the issuer's signature over this certificate. */
  signatureHash?: CertificateHash;
  /** Further extensions as given (an unknown critical one, name constraints...). */
  extraExtensions?: readonly pkijs.Extension[];
}

const HOUR = 3_600_000;
const YEAR = 365 * 24 * HOUR;

export async function generateRsaKey(modulusBits = 2048): Promise<TestKey> {
  const pair = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: modulusBits,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, algorithm: "RSA", modulusBits };
}

/** An ECDSA P-256 key (NuGet refuses non-RSA signers with NU3014; tests show it does). */
export async function generateEcKey(): Promise<TestKey> {
  const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, algorithm: "ECDSA", modulusBits: 256 };
}

export async function privateKeyPkcs8(key: TestKey): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.exportKey("pkcs8", key.privateKey));
}

/**
 * WebCrypto binds an RSA key to one hash, so signing with another hash needs a re-import.
 * An ECDSA key takes its hash at signing time and is returned as it is.
 */
export async function signingKeyFor(key: TestKey, hash: CertificateHash): Promise<CryptoKey> {
  if (key.algorithm === "ECDSA") return key.privateKey;
  return crypto.subtle.importKey("pkcs8", await privateKeyPkcs8(key), { name: "RSASSA-PKCS1-v1_5", hash }, false, [
    "sign",
  ]);
}

function distinguishedName(commonName: string): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({ type: OID_COMMON_NAME, value: new asn1js.Utf8String({ value: commonName }) }),
    ],
  });
}

function randomSerialNumber(): asn1js.Integer {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  // Positive and minimally encoded (DER): first byte in 0x40..0x7f.
  bytes[0] = ((bytes[0] ?? 0) & 0x3f) | 0x40;
  return new asn1js.Integer({ valueHex: bytes });
}

async function subjectKeyIdentifier(publicKeyInfo: pkijs.PublicKeyInfo): Promise<Uint8Array> {
  // RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits.
  return new Uint8Array(
    await crypto.subtle.digest("SHA-1", new Uint8Array(publicKeyInfo.subjectPublicKey.valueBlock.valueHexView)),
  );
}

/** A DER named BIT STRING: bytes up to the highest set bit, the unused trailing bits counted. */
function keyUsageBits(names: readonly KeyUsageName[]): asn1js.BitString {
  const bits = names.map((name) => KEY_USAGE[name]);
  const highest = Math.max(...bits);
  const bytes = new Uint8Array((highest >> 3) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  return new asn1js.BitString({ valueHex: bytes, unusedBits: 7 - (highest & 7) });
}

async function extensionsFor(
  options: CertificateOptions,
  publicKeyInfo: pkijs.PublicKeyInfo,
): Promise<pkijs.Extension[]> {
  const certificateAuthority = options.certificateAuthority ?? false;
  const basicConstraints =
    options.basicConstraints === undefined ? { cA: certificateAuthority } : options.basicConstraints;
  const keyUsage =
    options.keyUsage === undefined
      ? certificateAuthority
        ? (["keyCertSign", "cRLSign"] as const)
        : (["digitalSignature"] as const)
      : options.keyUsage;
  const ownKeyId = await subjectKeyIdentifier(publicKeyInfo);
  const issuerKeyId = options.issuer
    ? await subjectKeyIdentifier(options.issuer.certificate.subjectPublicKeyInfo)
    : ownKeyId;
  const extensions: pkijs.Extension[] = [];
  if (basicConstraints) {
    const { critical = true, ...constraints } = basicConstraints;
    extensions.push(
      new pkijs.Extension({
        extnID: OID_BASIC_CONSTRAINTS,
        critical,
        extnValue: new pkijs.BasicConstraints(constraints).toSchema().toBER(),
      }),
    );
  }
  if (keyUsage && keyUsage.length > 0) {
    extensions.push(
      new pkijs.Extension({ extnID: OID_KEY_USAGE, critical: true, extnValue: keyUsageBits(keyUsage).toBER() }),
    );
  }
  extensions.push(
    new pkijs.Extension({
      extnID: OID_SUBJECT_KEY_IDENTIFIER,
      extnValue: new asn1js.OctetString({ valueHex: ownKeyId }).toBER(),
    }),
    new pkijs.Extension({
      extnID: OID_AUTHORITY_KEY_IDENTIFIER,
      extnValue: new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: issuerKeyId }) })
        .toSchema()
        .toBER(),
    }),
  );
  const usages = options.extendedKeyUsages ?? [];
  if (usages.length > 0) {
    // RFC 3161 requires the timeStamping EKU to be critical; it does no harm elsewhere.
    extensions.push(
      new pkijs.Extension({
        extnID: OID_EXTENDED_KEY_USAGE,
        critical: true,
        extnValue: new pkijs.ExtKeyUsage({ keyPurposes: [...usages] }).toSchema().toBER(),
      }),
    );
  }
  extensions.push(...(options.extraExtensions ?? []));
  return extensions;
}

export async function issueCertificate(options: CertificateOptions): Promise<TestCertificate> {
  const now = Date.now();
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = randomSerialNumber();
  certificate.subject = distinguishedName(options.commonName);
  certificate.issuer = options.issuer ? options.issuer.certificate.subject : certificate.subject;
  certificate.notBefore.value = options.notBefore ?? new Date(now - HOUR);
  certificate.notAfter.value = options.notAfter ?? new Date(now + YEAR);
  await certificate.subjectPublicKeyInfo.importKey(options.key.publicKey);
  certificate.extensions = await extensionsFor(options, certificate.subjectPublicKeyInfo);

  const signatureHash = options.signatureHash ?? "SHA-256";
  const issuerKey = options.issuer?.key ?? options.key;
  await certificate.sign(await signingKeyFor(issuerKey, signatureHash), signatureHash);
  return {
    certificate,
    der: new Uint8Array(certificate.toSchema().toBER()),
    key: options.key,
    issuer: options.issuer ?? null,
  };
}

export function createRootAuthority(commonName: string, key: TestKey): Promise<TestCertificate> {
  return issueCertificate({
    commonName,
    key,
    certificateAuthority: true,
    notBefore: new Date(Date.now() - 24 * HOUR),
    notAfter: new Date(Date.now() + 10 * YEAR),
  });
}

/** Leaf first, then its issuers, root last. */
export function chainOf(leaf: TestCertificate): TestCertificate[] {
  const chain: TestCertificate[] = [];
  for (let current: TestCertificate | null = leaf; current; current = current.issuer) chain.push(current);
  return chain;
}

export function certificatePem(certificate: TestCertificate): string {
  return toPem(certificate.der, "CERTIFICATE");
}

/** A TSA signer for lib/timestamping from a certificate carrying the timeStamping EKU. */
export async function timestampSignerFor(tsa: TestCertificate): Promise<TimestampSigner> {
  return {
    privateKey: await signingKeyFor(tsa.key, "SHA-256"),
    certificate: tsa.certificate,
    chain: chainOf(tsa)
      .slice(1)
      .map((issued) => issued.certificate),
  };
}

/**
 * A PKCS#12 file with the certificate and its key, for `dotnet nuget sign --certificate-path`.
 * openssl does the PFX encoding; the NuGet CLI ignores any other certificates in it anyway.
 */
export async function writePkcs12(certificate: TestCertificate, directory: string, password: string): Promise<string> {
  const workDirectory = await mkdtemp(path.join(directory, "pfx-"));
  const keyPath = path.join(workDirectory, "key.pem");
  const certificatePath = path.join(workDirectory, "certificate.pem");
  const pfxPath = path.join(workDirectory, "certificate.pfx");
  await writeFile(keyPath, toPem(await privateKeyPkcs8(certificate.key), "PRIVATE KEY"), { mode: 0o600 });
  await writeFile(certificatePath, certificatePem(certificate));
  await execFileAsync("openssl", [
    "pkcs12",
    "-export",
    "-inkey",
    keyPath,
    "-in",
    certificatePath,
    "-out",
    pfxPath,
    "-passout",
    `pass:${password}`,
  ]);
  return pfxPath;
}

export function temporaryDirectory(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}
