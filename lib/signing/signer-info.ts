// One CMS SignerInfo: which certificate made it, whether its signature over the signed
// attributes verifies (RSA PKCS#1 v1.5 or ECDSA, as .NET's SignedCms checks it), and whether
// signing-certificate-v2 binds it to that certificate. Shared by the primary signature, the
// repository countersignature and timestamp tokens.

import { createHash } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { IssueError, type ErrorCode } from "@/lib/issues";
import { readMessageDigest, readSigningCertificateV2, singleAttributeValue } from "./attributes";
import { certificateDer, subjectKeyIdentifier } from "./certificates";
import { nameBytes, sameBytes } from "./names";
import { digestAlgorithmByOid, hashAlgorithmByOid, OID, type DigestAlgorithm, type HashAlgorithm } from "./oids";

function unsignedInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.byteLength - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

function issuerAndSerialMatch(
  certificate: pkijs.Certificate,
  issuer: pkijs.RelativeDistinguishedNames,
  serial: Uint8Array,
): boolean {
  return (
    sameBytes(unsignedInteger(certificate.serialNumber.valueBlock.valueHexView), unsignedInteger(serial)) &&
    sameBytes(nameBytes(certificate.issuer), nameBytes(issuer))
  );
}

/** The [0] subjectKeyIdentifier choice of a sid, whether asn1js kept it primitive or constructed. */
function subjectKeyIdentifierOfSid(sid: unknown): Uint8Array | null {
  if (sid instanceof asn1js.Primitive) return sid.valueBlock.valueHexView;
  if (sid instanceof asn1js.Constructed) {
    const [inner] = sid.valueBlock.value;
    return inner instanceof asn1js.OctetString ? inner.valueBlock.valueHexView : null;
  }
  return null;
}

/** The certificate a SignerInfo's sid names: by issuer and serial, or by subject key identifier. */
export function findSignerCertificate(
  signerInfo: pkijs.SignerInfo,
  certificates: readonly pkijs.Certificate[],
): pkijs.Certificate | undefined {
  const sid: unknown = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificates.find((certificate) =>
      issuerAndSerialMatch(certificate, sid.issuer, sid.serialNumber.valueBlock.valueHexView),
    );
  }
  const keyIdentifier = subjectKeyIdentifierOfSid(sid);
  if (keyIdentifier) {
    return certificates.find((certificate) => {
      const ski = subjectKeyIdentifier(certificate);
      return ski !== null && sameBytes(ski, keyIdentifier);
    });
  }
  return undefined;
}

export function certificatesOf(signedData: pkijs.SignedData): pkijs.Certificate[] {
  return (signedData.certificates ?? []).filter(
    (certificate): certificate is pkijs.Certificate => certificate instanceof pkijs.Certificate,
  );
}

export function digestOf(algorithm: DigestAlgorithm, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(algorithm.nodeName).update(data).digest());
}

export function signatureValue(signerInfo: pkijs.SignerInfo): Uint8Array {
  return signerInfo.signature.valueBlock.valueHexView;
}

/** The SignerInfo's digest algorithm, which must be SHA-2. */
export function signerDigestAlgorithm(signerInfo: pkijs.SignerInfo, code: ErrorCode): HashAlgorithm {
  const algorithm = hashAlgorithmByOid(signerInfo.digestAlgorithm.algorithmId);
  if (!algorithm)
    throw new IssueError(
      code,
      `The signature uses digest algorithm ${signerInfo.digestAlgorithm.algorithmId}; only SHA-256, SHA-384 and SHA-512 are supported.`,
    );
  return algorithm;
}

/** Named curves .NET verifies ECDSA signatures with, and the size of their coordinates. */
const CURVES: Record<string, { name: string; pointSize: number }> = {
  "1.2.840.10045.3.1.7": { name: "P-256", pointSize: 32 },
  "1.3.132.0.34": { name: "P-384", pointSize: 48 },
  "1.3.132.0.35": { name: "P-521", pointSize: 66 },
};

/** The signer's public key, imported for the SignerInfo's signature algorithm, and the signature in WebCrypto's form; null when they do not fit together. */
async function verificationInputsOrNull(
  signerInfo: pkijs.SignerInfo,
  certificate: pkijs.Certificate,
  digest: DigestAlgorithm,
): Promise<{
  key: CryptoKey;
  algorithm: AlgorithmIdentifier | EcdsaParams;
  signature: Uint8Array<ArrayBuffer>;
} | null> {
  const signatureAlgorithm = signerInfo.signatureAlgorithm.algorithmId;
  const keyInfo = certificate.subjectPublicKeyInfo;
  const spki = new Uint8Array(keyInfo.toSchema().toBER());
  const signature = new Uint8Array(signatureValue(signerInfo));
  const keyAlgorithm = keyInfo.algorithm.algorithmId;
  if (
    keyAlgorithm === OID.rsaEncryption &&
    (signatureAlgorithm === OID.rsaEncryption || signatureAlgorithm === digest.rsaSignatureOid)
  ) {
    const key = await crypto.subtle.importKey("spki", spki, { name: "RSASSA-PKCS1-v1_5", hash: digest.name }, false, [
      "verify",
    ]);
    return { key, algorithm: "RSASSA-PKCS1-v1_5", signature };
  }
  const curveParameter = keyInfo.algorithm.algorithmParams;
  const curve =
    curveParameter instanceof asn1js.ObjectIdentifier ? CURVES[curveParameter.valueBlock.toString()] : undefined;
  if (keyAlgorithm === OID.ecPublicKey && curve && signatureAlgorithm === digest.ecdsaSignatureOid) {
    const key = await crypto.subtle.importKey("spki", spki, { name: "ECDSA", namedCurve: curve.name }, false, [
      "verify",
    ]);
    const raw = pkijs.createECDSASignatureFromCMS(asn1js.fromBER(signature).result, curve.pointSize);
    return { key, algorithm: { name: "ECDSA", hash: digest.name }, signature: new Uint8Array(raw) };
  }
  return null;
}

/**
 * Checks that the message-digest attribute equals H(`signedContent`), that a content-type
 * attribute, when `contentType` is given, names it, and that the signature over the DER SET
 * of signed attributes verifies with `certificate`'s key: RSA PKCS#1 v1.5 (.NET writes the
 * algorithm as rsaEncryption; sha*WithRSAEncryption is accepted too) or ECDSA. Any digest
 * .NET can check, SHA-1 included, passes here; callers decide which digests they accept.
 */
export async function verifySignerInfo(
  signerInfo: pkijs.SignerInfo,
  certificate: pkijs.Certificate,
  signedContent: Uint8Array,
  code: ErrorCode,
  contentType?: string,
): Promise<void> {
  const digest = digestAlgorithmByOid(signerInfo.digestAlgorithm.algorithmId);
  if (!digest)
    throw new IssueError(
      code,
      `The signature uses digest algorithm ${signerInfo.digestAlgorithm.algorithmId}, which cannot be verified.`,
    );
  if (!signerInfo.signedAttrs) throw new IssueError(code, "The signature has no signed attributes.");
  if (contentType !== undefined) {
    const declared = singleAttributeValue(signerInfo.signedAttrs, OID.contentType, "content-type", code);
    if (
      declared === undefined ||
      !(declared instanceof asn1js.ObjectIdentifier) ||
      declared.valueBlock.toString() !== contentType
    ) {
      throw new IssueError(
        code,
        `The signature's content-type attribute does not name the signed content type ${contentType}.`,
      );
    }
  }
  const messageDigest = readMessageDigest(signerInfo.signedAttrs, code);
  if (!messageDigest || !sameBytes(messageDigest, digestOf(digest, signedContent))) {
    throw new IssueError(code, "The signature's message digest does not match the content it signs.");
  }
  // A key or signature too malformed to import is the same finding as one that does not fit.
  const inputs = await verificationInputsOrNull(signerInfo, certificate, digest).catch(() => null);
  if (!inputs) {
    throw new IssueError(
      code,
      `The signature algorithm ${signerInfo.signatureAlgorithm.algorithmId} does not fit the signer certificate's key and the digest ${digest.name}.`,
    );
  }
  const signedAttributes = new Uint8Array(signerInfo.signedAttrs.encodedValue);
  const verified = await crypto.subtle
    .verify(inputs.algorithm, inputs.key, inputs.signature, signedAttributes)
    .catch(() => false);
  if (!verified) throw new IssueError(code, "The signature does not verify with the signer certificate's key.");
}

/**
 * signing-certificate-v2 must name the signer: its first ESSCertIDv2 carries the hash of the
 * signer certificate and (for author and repository signatures) its issuer and serial.
 * The v1 attribute must be absent. (NuGet SignatureUtility.GetCertificates / IsMatch.)
 */
export function checkSigningCertificateV2(
  signerInfo: pkijs.SignerInfo,
  certificate: pkijs.Certificate,
  code: ErrorCode,
): void {
  if (singleAttributeValue(signerInfo.signedAttrs, OID.signingCertificate, "signing-certificate", code) !== undefined) {
    throw new IssueError(
      code,
      "The signature carries the ESS signing-certificate (v1) attribute; only signing-certificate-v2 is allowed.",
    );
  }
  const entries = readSigningCertificateV2(signerInfo.signedAttrs, code);
  const [first] = entries ?? [];
  if (!first) throw new IssueError(code, "The signature has no signing-certificate-v2 attribute.");
  if (!first.issuerSerial)
    throw new IssueError(
      code,
      "The signing-certificate-v2 attribute does not name the certificate's issuer and serial number.",
    );
  if (!sameBytes(first.certificateHash, digestOf(first.hashAlgorithm, certificateDer(certificate)))) {
    throw new IssueError(code, "The signing-certificate-v2 hash does not match the signer certificate.");
  }
  if (!issuerAndSerialMatch(certificate, first.issuerSerial.issuer, first.issuerSerial.serialNumber)) {
    throw new IssueError(
      code,
      "The signing-certificate-v2 issuer and serial number do not match the signer certificate.",
    );
  }
}
