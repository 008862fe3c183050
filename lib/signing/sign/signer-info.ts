// A repository SignerInfo exactly as NuGet writes one (NuGet's Package Signatures Technical Details): signed attributes
// signing-time, commitment-type proofOfReceipt, signing-certificate-v2 with issuerSerial,
// nuget-v3-service-index-url and nuget-package-owners (plus content-type and message-digest
// as CMS requires), in DER order; SHA-256 with an RSA PKCS#1 v1.5 signature written as
// rsaEncryption; the signer named by subject key identifier when its certificate has one; and
// an RFC 3161 timestamp over the signature in the unsigned attributes.

import { createHash } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { signingCertificateV2Attribute } from "@/lib/timestamping/ess";
import { subjectKeyIdentifier } from "../certificates";
import { OID } from "../oids";
import { SHA256_OID } from "./constants";
import { derSortedSetElements, derValue, TAG } from "./der";
import { requestTimestamp, type Timestamper } from "./timestamp";

/** What the gallery signs with. The key never leaves the process that loaded it. */
export interface RepositorySigningKey {
  certificate: pkijs.Certificate;
  /** The certificate's issuers up to the root, written into the signature for chain building. */
  issuers: pkijs.Certificate[];
  /** RSASSA-PKCS1-v1_5 bound to SHA-256. */
  privateKey: CryptoKey;
}

export interface RepositorySignatureOptions {
  key: RepositorySigningKey;
  /** The gallery's V3 service index, an absolute https URL. */
  serviceIndexUrl: string;
  /** Usernames of the package's owners, vouched for by the signature; may be empty. */
  owners: readonly string[];
  timestamper: Timestamper;
  /** The signing-time attribute's value; default now. */
  now?: Date;
}

function der(value: { toBER(): ArrayBuffer }): Uint8Array {
  return new Uint8Array(value.toBER());
}

function oid(value: string): Uint8Array {
  return der(new asn1js.ObjectIdentifier({ value }));
}

/** Attribute ::= SEQUENCE { type OID, values SET OF value } with one value. */
function attribute(type: string, value: Uint8Array): Uint8Array {
  return derValue(TAG.sequence, [oid(type), derValue(TAG.set, [value])]);
}

/** AlgorithmIdentifier without parameters, as .NET writes the digest algorithm. */
function algorithm(id: string): Uint8Array {
  return derValue(TAG.sequence, [oid(id)]);
}

function certificateBytes(certificate: pkijs.Certificate): Uint8Array {
  return der(certificate.toSchema());
}

async function repositoryAttributes(options: RepositorySignatureOptions): Promise<Uint8Array[]> {
  const signingTime = new Date(Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000);
  const attributes = [
    attribute(OID.signingTime, der(new asn1js.UTCTime({ valueDate: signingTime }))),
    attribute(OID.commitmentTypeIndication, derValue(TAG.sequence, [oid(OID.proofOfReceipt)])),
    der((await signingCertificateV2Attribute(options.key.certificate, "SHA-256")).toSchema()),
    attribute(OID.nugetV3ServiceIndexUrl, der(new asn1js.IA5String({ value: options.serviceIndexUrl }))),
  ];
  if (options.owners.length > 0) {
    const owners = options.owners.map((owner) => der(new asn1js.Utf8String({ value: owner })));
    attributes.push(attribute(OID.nugetPackageOwners, derValue(TAG.sequence, owners)));
  }
  return attributes;
}

function signerIdentifier(certificate: pkijs.Certificate): { version: number; sid: Uint8Array } {
  const keyIdentifier = subjectKeyIdentifier(certificate);
  if (keyIdentifier) return { version: 3, sid: derValue(TAG.context0Primitive, [keyIdentifier]) };
  const issuerAndSerial = new pkijs.IssuerAndSerialNumber({
    issuer: certificate.issuer,
    serialNumber: certificate.serialNumber,
  });
  return { version: 1, sid: der(issuerAndSerial.toSchema()) };
}

export interface BuiltSignerInfo {
  /** The SignerInfo's DER encoding. */
  bytes: Uint8Array;
  /** 3 when the signer is named by subject key identifier, else 1 (RFC 5652 §5.3). */
  version: number;
  /** The RSA signature value (what a countersignature or timestamp would cover). */
  signature: Uint8Array;
}

/**
 * A repository SignerInfo over `signedContent`: the signature content for a primary signature
 * (which also gets a content-type attribute), the primary signature's value for a
 * countersignature (RFC 5652 §11.4: no content-type).
 */
export async function buildRepositorySignerInfo(
  signedContent: Uint8Array,
  placement: "primary" | "countersignature",
  options: RepositorySignatureOptions,
): Promise<BuiltSignerInfo> {
  const messageDigest = new Uint8Array(createHash("sha256").update(signedContent).digest());
  const attributes = [
    ...(placement === "primary" ? [attribute(OID.contentType, oid(OID.data))] : []),
    attribute(OID.messageDigest, der(new asn1js.OctetString({ valueHex: messageDigest }))),
    ...(await repositoryAttributes(options)),
  ];
  const sorted = derSortedSetElements(attributes);
  // The signature covers the attributes as a SET OF; the SignerInfo carries them as [0] IMPLICIT.
  const signature = new Uint8Array(
    await crypto.subtle.sign("RSASSA-PKCS1-v1_5", options.key.privateKey, derValue(TAG.set, sorted)),
  );
  const token = await requestTimestamp(signature, options.timestamper);
  const { version, sid } = signerIdentifier(options.key.certificate);
  const bytes = derValue(TAG.sequence, [
    der(new asn1js.Integer({ value: version })),
    sid,
    algorithm(SHA256_OID),
    derValue(TAG.context0, sorted),
    algorithm(OID.rsaEncryption),
    der(new asn1js.OctetString({ valueHex: signature })),
    derValue(TAG.context1, [attribute(OID.timestampToken, token)]),
  ]);
  return { bytes, version, signature };
}

/** The signer's certificate and its issuers, DER, for the SignedData certificate set. */
export function signingChainBytes(key: RepositorySigningKey): Uint8Array[] {
  return [key.certificate, ...key.issuers].map(certificateBytes);
}

export { algorithm, oid };
