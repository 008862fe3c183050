// Signed test packages made in-process, shaped like NuGet's own (reference §2–§4): signature
// content over the unsigned package's hash, an author SignerInfo with content-type,
// signing-time, commitment-type and signing-certificate-v2, an RFC 3161 timestamp from the
// project's authority, and optionally a repository countersignature. Every part can be bent
// by a scenario, so each engine rule can be shown to fire.

import { createHash } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { signingCertificateV2Attribute, type TimestampAuthority } from "@/lib/timestamping";
import { OID } from "@/lib/signing/oids";
import { addSignatureEntry, buildUnsignedPackage } from "@/test/support/nupkg";
import { chainOf, createRootAuthority, EXTENDED_KEY_USAGE, generateRsaKey, issueCertificate, signingKeyFor, timestampSignerFor, type TestCertificate } from "@/test/support/pki";
import { timestampTokenFor } from "@/test/support/resign";

export interface TestPki {
  codeSigningRoot: TestCertificate;
  author: TestCertificate;
  repository: TestCertificate;
  timestampingRoot: TestCertificate;
  authority: TimestampAuthority;
}

/** One root for code signing with an author and a repository certificate, one for a TSA. */
export async function createTestPki(): Promise<TestPki> {
  const [rootKey, authorKey, repositoryKey, tsaRootKey, tsaKey] = await Promise.all([1, 2, 3, 4, 5].map(() => generateRsaKey()));
  const codeSigningRoot = await createRootAuthority("Signet Test Code Signing Root", rootKey!);
  const timestampingRoot = await createRootAuthority("Signet Test Timestamping Root", tsaRootKey!);
  const codeSigning = [EXTENDED_KEY_USAGE.codeSigning];
  return {
    codeSigningRoot,
    author: await issueCertificate({ commonName: "Signet Test Author", key: authorKey!, issuer: codeSigningRoot, extendedKeyUsages: codeSigning }),
    repository: await issueCertificate({ commonName: "Signet Test Repository", key: repositoryKey!, issuer: codeSigningRoot, extendedKeyUsages: codeSigning }),
    timestampingRoot,
    authority: {
      signer: await timestampSignerFor(await issueCertificate({ commonName: "Signet Test TSA", key: tsaKey!, issuer: timestampingRoot, extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping] })),
      policy: "1.3.6.1.4.1.55555.1.1",
    },
  };
}

export function trustOf(pki: TestPki): { codeSigningRoots: Uint8Array[]; timestampingRoots: Uint8Array[] } {
  return { codeSigningRoots: [pki.codeSigningRoot.der], timestampingRoots: [pki.timestampingRoot.der] };
}

export function signatureContentFor(unsignedPackage: Uint8Array): string {
  return `Version:1\n\n${"2.16.840.1.101.3.4.2.1"}-Hash:${createHash("sha256").update(unsignedPackage).digest("base64")}\n\n`;
}

export function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

function commitment(oid: string): pkijs.Attribute {
  return attribute(OID.commitmentTypeIndication, new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid })] }));
}

export interface SignerSpec {
  signer: TestCertificate;
  kind: "author" | "repository";
  /** Timestamp the signature with this authority; null for none. */
  authority: TimestampAuthority | null;
  /** Last chance to change the signed attributes (before the message digest is added). */
  editAttributes?: (attributes: pkijs.Attribute[]) => pkijs.Attribute[];
  /** Last chance to change the finished SignerInfo (its signature, its unsigned attributes). */
  editSignerInfo?: (signerInfo: pkijs.SignerInfo) => void | Promise<void>;
}

async function signedAttributes(spec: SignerSpec, isCountersignature: boolean): Promise<pkijs.Attribute[]> {
  const attributes = [
    ...(isCountersignature ? [] : [attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data }))]),
    attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: new Date() })),
    commitment(spec.kind === "author" ? OID.proofOfOrigin : OID.proofOfReceipt),
    await signingCertificateV2Attribute(spec.signer.certificate, "SHA-256"),
  ];
  if (spec.kind === "repository") {
    attributes.push(attribute(OID.nugetV3ServiceIndexUrl, new asn1js.IA5String({ value: "https://signet.example/v3/index.json" })));
    attributes.push(attribute(OID.nugetPackageOwners, new asn1js.Sequence({ value: [new asn1js.Utf8String({ value: "signet-tests" })] })));
  }
  return spec.editAttributes ? spec.editAttributes(attributes) : attributes;
}

/** A SignerInfo over `signedContent` (its message digest), RSA-signed, timestamped when asked. */
export async function createSignerInfo(spec: SignerSpec, signedContent: Uint8Array, isCountersignature = false): Promise<pkijs.SignerInfo> {
  const attributes = await signedAttributes(spec, isCountersignature);
  attributes.push(attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: createHash("sha256").update(signedContent).digest() })));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
  const toBeSigned = new Uint8Array(signedAttrs.toSchema().toBER());
  toBeSigned[0] = 0x31; // signed over as a SET OF, not the [0] IMPLICIT form it is stored in
  const key = await signingKeyFor(spec.signer.key, "SHA-256");
  const signature = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, toBeSigned));
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: spec.signer.certificate.issuer, serialNumber: spec.signer.certificate.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: "2.16.840.1.101.3.4.2.1" }),
    signedAttrs,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption }),
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  if (spec.authority) {
    const token = await timestampTokenFor(spec.authority, signature);
    addUnsignedAttribute(signerInfo, attribute(OID.timestampToken, token.toSchema()));
  }
  await spec.editSignerInfo?.(signerInfo);
  return signerInfo;
}

export function addUnsignedAttribute(signerInfo: pkijs.SignerInfo, value: pkijs.Attribute): void {
  const existing = signerInfo.unsignedAttrs?.attributes ?? [];
  signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: [...existing, value] });
}

export interface SignatureSpec {
  primary: SignerSpec;
  countersigners?: SignerSpec[];
  /** The signature content text; default the real one for the package. */
  content?: string;
  /** Certificates to embed; default every signer's chain. */
  certificates?: pkijs.Certificate[];
  /** More primary SignerInfos (NuGet allows exactly one). */
  extraSigners?: SignerSpec[];
}

/** The DER `.signature.p7s` for `unsignedPackage`. */
export async function createSignature(unsignedPackage: Uint8Array, spec: SignatureSpec): Promise<Uint8Array> {
  const content = new TextEncoder().encode(spec.content ?? signatureContentFor(unsignedPackage));
  const primary = await createSignerInfo(spec.primary, content);
  for (const countersigner of spec.countersigners ?? []) {
    const countersignature = await createSignerInfo(countersigner, primary.signature.valueBlock.valueHexView, true);
    addUnsignedAttribute(primary, new pkijs.Attribute({ type: OID.countersignature, values: [countersignature.toSchema()] }));
  }
  const extra = await Promise.all((spec.extraSigners ?? []).map((signer) => createSignerInfo(signer, content)));
  const signers = [spec.primary, ...(spec.countersigners ?? []), ...(spec.extraSigners ?? [])];
  const certificates = spec.certificates ?? [...new Map(signers.flatMap((signer) => chainOf(signer.signer)).map((issued) => [Buffer.from(issued.der).toString("hex"), issued.certificate])).values()];
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: "2.16.840.1.101.3.4.2.1" })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data, eContent: new asn1js.OctetString({ valueHex: content }) }),
    certificates,
    signerInfos: [primary, ...extra],
  });
  return new Uint8Array(new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) }).toSchema().toBER());
}

export function testPackage(): Uint8Array {
  return buildUnsignedPackage({ id: "Signet.Engine.Tests", version: "1.0.0" });
}

/** An author-signed (and optionally countersigned) package, the signature entry added last as NuGet does. */
export async function signedPackage(spec: SignatureSpec, unsigned: Uint8Array = testPackage()): Promise<Uint8Array> {
  return addSignatureEntry(unsigned, await createSignature(unsigned, spec));
}
