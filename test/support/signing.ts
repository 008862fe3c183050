// Signed test packages made in-process, shaped like NuGet's own (NuGet's Package Signatures Technical Details): signature
// content over the unsigned package's hash, an author SignerInfo with content-type,
// signing-time, commitment-type and signing-certificate-v2, an RFC 3161 timestamp from the
// project's authority, and optionally a repository countersignature. Every part can be bent
// by a scenario (digest algorithms, RSA or ECDSA signers, attributes, unsigned attributes),
// so each engine rule can be shown to fire, including where the real client refuses to sign.

import { createHash } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { signingCertificateV2Attribute, type TimestampAuthority } from "@/lib/timestamping";
import { OID } from "@/lib/signing/oids";
import { addSignatureEntry, buildUnsignedPackage } from "@/test/support/nupkg";
import {
  chainOf,
  createRootAuthority,
  EXTENDED_KEY_USAGE,
  generateRsaKey,
  issueCertificate,
  signingKeyFor,
  timestampSignerFor,
  type CertificateHash,
  type TestCertificate,
} from "@/test/support/pki";
import { timestampTokenFor } from "@/test/support/resign";

/** Digest OIDs, and the ECDSA signature algorithm that uses each (RSA is written as rsaEncryption, as .NET does). */
const DIGESTS: Record<CertificateHash, { oid: string; nodeName: string; ecdsaOid: string }> = {
  "SHA-1": { oid: "1.3.14.3.2.26", nodeName: "sha1", ecdsaOid: "1.2.840.10045.4.1" },
  "SHA-256": { oid: "2.16.840.1.101.3.4.2.1", nodeName: "sha256", ecdsaOid: "1.2.840.10045.4.3.2" },
  "SHA-384": { oid: "2.16.840.1.101.3.4.2.2", nodeName: "sha384", ecdsaOid: "1.2.840.10045.4.3.3" },
  "SHA-512": { oid: "2.16.840.1.101.3.4.2.3", nodeName: "sha512", ecdsaOid: "1.2.840.10045.4.3.4" },
};

export type PackageHash = "SHA-256" | "SHA-384" | "SHA-512";

export interface TestPki {
  codeSigningRoot: TestCertificate;
  author: TestCertificate;
  repository: TestCertificate;
  timestampingRoot: TestCertificate;
  authority: TimestampAuthority;
}

/** One root for code signing with an author and a repository certificate, one for a TSA. */
export async function createTestPki(): Promise<TestPki> {
  const [rootKey, authorKey, repositoryKey, tsaRootKey, tsaKey] = await Promise.all(
    [1, 2, 3, 4, 5].map(() => generateRsaKey()),
  );
  const codeSigningRoot = await createRootAuthority("Signet Test Code Signing Root", rootKey!);
  const timestampingRoot = await createRootAuthority("Signet Test Timestamping Root", tsaRootKey!);
  const codeSigning = [EXTENDED_KEY_USAGE.codeSigning];
  return {
    codeSigningRoot,
    author: await issueCertificate({
      commonName: "Signet Test Author",
      key: authorKey!,
      issuer: codeSigningRoot,
      extendedKeyUsages: codeSigning,
    }),
    repository: await issueCertificate({
      commonName: "Signet Test Repository",
      key: repositoryKey!,
      issuer: codeSigningRoot,
      extendedKeyUsages: codeSigning,
    }),
    timestampingRoot,
    authority: {
      signer: await timestampSignerFor(
        await issueCertificate({
          commonName: "Signet Test TSA",
          key: tsaKey!,
          issuer: timestampingRoot,
          extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
        }),
      ),
      policy: "1.3.6.1.4.1.55555.1.1",
    },
  };
}

/**
 * The forged chains the path rules must refuse even under trusted roots: a "CN=Microsoft
 * Corporation" code-signing certificate issued by the ordinary author certificate (cA=false),
 * and a time-stamping authority whose certificate was issued by another TSA certificate.
 */
export async function issueForgedChains(
  pki: TestPki,
): Promise<{ forgedSigner: TestCertificate; forgedAuthority: TimestampAuthority }> {
  const key = await generateRsaKey();
  const forgedSigner = await issueCertificate({
    commonName: "Microsoft Corporation",
    key,
    issuer: pki.author,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
  });
  const tsaIssuer = await issueCertificate({
    commonName: "Signet Forged TSA Issuer",
    key,
    issuer: pki.timestampingRoot,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
  });
  const forgedTsa = await issueCertificate({
    commonName: "Microsoft Time-Stamp Service",
    key,
    issuer: tsaIssuer,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
  });
  return {
    forgedSigner,
    forgedAuthority: { signer: await timestampSignerFor(forgedTsa), policy: "1.3.6.1.4.1.55555.1.1" },
  };
}

export function trustOf(pki: TestPki): { codeSigningRoots: Uint8Array[]; timestampingRoots: Uint8Array[] } {
  return { codeSigningRoots: [pki.codeSigningRoot.der], timestampingRoots: [pki.timestampingRoot.der] };
}

export function signatureContentFor(unsignedPackage: Uint8Array, hash: PackageHash = "SHA-256"): string {
  const { oid, nodeName } = DIGESTS[hash];
  return `Version:1\n\n${oid}-Hash:${createHash(nodeName).update(unsignedPackage).digest("base64")}\n\n`;
}

export function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

function commitment(oid: string): pkijs.Attribute {
  return attribute(
    OID.commitmentTypeIndication,
    new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid })] }),
  );
}

export interface SignerSpec {
  signer: TestCertificate;
  kind: "author" | "repository";
  /** Timestamp the signature with this authority; null for none. */
  authority: TimestampAuthority | null;
  /** The CMS digest algorithm (message digest and signature hash); default SHA-256. */
  digest?: CertificateHash;
  /** The hash of the timestamp request's message imprint; default SHA-256. */
  timestampImprint?: CertificateHash;
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
    attributes.push(
      attribute(OID.nugetV3ServiceIndexUrl, new asn1js.IA5String({ value: "https://signet.example/v3/index.json" })),
    );
    attributes.push(
      attribute(
        OID.nugetPackageOwners,
        new asn1js.Sequence({ value: [new asn1js.Utf8String({ value: "signet-tests" })] }),
      ),
    );
  }
  return spec.editAttributes ? spec.editAttributes(attributes) : attributes;
}

/** The signature over `toBeSigned` with the signer's key: RSA PKCS#1 v1.5, or ECDSA in its CMS (DER) form. */
async function signWith(
  signer: TestCertificate,
  digest: CertificateHash,
  toBeSigned: Uint8Array<ArrayBuffer>,
): Promise<{ signature: Uint8Array<ArrayBuffer>; algorithmId: string }> {
  const key = await signingKeyFor(signer.key, digest);
  if (signer.key.algorithm === "ECDSA") {
    const raw = await crypto.subtle.sign({ name: "ECDSA", hash: digest }, key, toBeSigned);
    return { signature: new Uint8Array(pkijs.createCMSECDSASignature(raw)), algorithmId: DIGESTS[digest].ecdsaOid };
  }
  return {
    signature: new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, toBeSigned)),
    algorithmId: OID.rsaEncryption,
  };
}

/** A SignerInfo over `signedContent` (its message digest), signed with the signer's key, timestamped when asked. */
export async function createSignerInfo(
  spec: SignerSpec,
  signedContent: Uint8Array,
  isCountersignature = false,
): Promise<pkijs.SignerInfo> {
  const digest = spec.digest ?? "SHA-256";
  const attributes = await signedAttributes(spec, isCountersignature);
  attributes.push(
    attribute(
      OID.messageDigest,
      new asn1js.OctetString({ valueHex: createHash(DIGESTS[digest].nodeName).update(signedContent).digest() }),
    ),
  );
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes });
  const toBeSigned = new Uint8Array(signedAttrs.toSchema().toBER());
  toBeSigned[0] = 0x31; // signed over as a SET OF, not the [0] IMPLICIT form it is stored in
  const { signature, algorithmId } = await signWith(spec.signer, digest, toBeSigned);
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({
      issuer: spec.signer.certificate.issuer,
      serialNumber: spec.signer.certificate.serialNumber,
    }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: DIGESTS[digest].oid }),
    signedAttrs,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId }),
    signature: new asn1js.OctetString({ valueHex: signature }),
  });
  if (spec.authority) {
    const token = await timestampTokenFor(spec.authority, signature, spec.timestampImprint);
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
  /** The package hash the default content carries; default SHA-256. */
  packageHash?: PackageHash;
  /** Certificates to embed; default every signer's chain. */
  certificates?: pkijs.Certificate[];
  /** More primary SignerInfos (NuGet allows exactly one). */
  extraSigners?: SignerSpec[];
}

/** The DER `.signature.p7s` for `unsignedPackage`. */
export async function createSignature(unsignedPackage: Uint8Array, spec: SignatureSpec): Promise<Uint8Array> {
  const content = new TextEncoder().encode(spec.content ?? signatureContentFor(unsignedPackage, spec.packageHash));
  const primary = await createSignerInfo(spec.primary, content);
  for (const countersigner of spec.countersigners ?? []) {
    const countersignature = await createSignerInfo(countersigner, primary.signature.valueBlock.valueHexView, true);
    addUnsignedAttribute(
      primary,
      new pkijs.Attribute({ type: OID.countersignature, values: [countersignature.toSchema()] }),
    );
  }
  const extra = await Promise.all((spec.extraSigners ?? []).map((signer) => createSignerInfo(signer, content)));
  const signers = [spec.primary, ...(spec.countersigners ?? []), ...(spec.extraSigners ?? [])];
  const certificates = spec.certificates ?? [
    ...new Map(
      signers
        .flatMap((signer) => chainOf(signer.signer))
        .map((issued) => [Buffer.from(issued.der).toString("hex"), issued.certificate]),
    ).values(),
  ];
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: DIGESTS[spec.primary.digest ?? "SHA-256"].oid })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: OID.data,
      eContent: new asn1js.OctetString({ valueHex: content }),
    }),
    certificates,
    signerInfos: [primary, ...extra],
  });
  return new Uint8Array(
    new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) }).toSchema().toBER(),
  );
}

export function testPackage(): Uint8Array {
  return buildUnsignedPackage({ id: "Signet.Engine.Tests", version: "1.0.0" });
}

/** An author-signed (and optionally countersigned) package, the signature entry added last as NuGet does. */
export async function signedPackage(spec: SignatureSpec, unsigned: Uint8Array = testPackage()): Promise<Uint8Array> {
  return addSignatureEntry(unsigned, await createSignature(unsigned, spec));
}
