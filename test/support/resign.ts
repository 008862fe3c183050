// Re-signs a NuGet author signature with another certificate. `dotnet nuget sign` refuses
// certificates the client will later reject (no code-signing EKU, RSA-1024, SHA-1 signed,
// expired), so to compare verdicts on such packages the test signs with a good certificate
// through the real client and then replaces only the signer: same signature content (package
// hash), same signed attributes except signing-certificate-v2, new certificates, new RSA
// signature and a fresh timestamp from the project's authority.

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

import {
  SIGNING_CERTIFICATE_V2_OID,
  respondToTimestampRequest,
  signingCertificateV2Attribute,
  type TimestampAuthority,
} from "@/lib/timestamping";

import { grantedResponse } from "@/lib/timestamping/authority";

import { chainOf, signingKeyFor, type CertificateHash, type TestCertificate } from "./pki";

const OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const OID_SIGNATURE_TIMESTAMP_TOKEN = "1.2.840.113549.1.9.16.2.14";

const IMPRINT_OIDS: Record<CertificateHash, string> = {
  "SHA-1": "1.3.14.3.2.26",
  "SHA-256": "2.16.840.1.101.3.4.2.1",
  "SHA-384": "2.16.840.1.101.3.4.2.2",
  "SHA-512": "2.16.840.1.101.3.4.2.3",
};

/**
 * Asks the authority for a token over `data` as NuGet does: a message imprint (SHA-256 by
 * default), a nonce, certReq. The authority refuses SHA-1 imprints, as a real one should;
 * a test that needs such a token (NuGet says NU3030) has it granted without the request check.
 */
export async function timestampTokenFor(
  authority: TimestampAuthority,
  data: Uint8Array<ArrayBuffer>,
  imprint: CertificateHash = "SHA-256",
): Promise<pkijs.ContentInfo> {
  const messageImprint = new pkijs.MessageImprint({
    hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: IMPRINT_OIDS[imprint] }),
    hashedMessage: new asn1js.OctetString({ valueHex: await crypto.subtle.digest(imprint, data) }),
  });
  // First byte in 0x40..0x7f: a positive, minimally encoded (DER) INTEGER.
  const nonce = new asn1js.Integer({
    valueHex: crypto
      .getRandomValues(new Uint8Array(16))
      .map((byte, index) => (index === 0 ? (byte & 0x3f) | 0x40 : byte)),
  });
  const responseDer =
    imprint === "SHA-1"
      ? // imprintAlgorithm only records what the request check would have found; the token is built from messageImprint.
        await grantedResponse(authority, { messageImprint, imprintAlgorithm: "SHA-256", nonce, certReq: true })
      : await respondToTimestampRequest(
          authority,
          new Uint8Array(
            new pkijs.TimeStampReq({ version: 1, messageImprint, nonce, certReq: true }).toSchema().toBER(),
          ),
        );
  const response = pkijs.TimeStampResp.fromBER(responseDer);
  if (!response.timeStampToken)
    throw new Error(
      `The authority refused the request: ${response.status.statusStrings?.[0]?.valueBlock.value ?? "no reason"}.`,
    );
  return response.timeStampToken;
}

export async function resignAuthorSignature(
  signatureDer: Uint8Array,
  signer: TestCertificate,
  authority: TimestampAuthority | null,
): Promise<Uint8Array> {
  const original = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(signatureDer.slice()).content });
  const originalAttributes = original.signerInfos[0]?.signedAttrs?.attributes;
  if (!originalAttributes) throw new Error("The signature has no signer with signed attributes to carry over.");

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({
      issuer: signer.certificate.issuer,
      serialNumber: signer.certificate.serialNumber,
    }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: [
        ...originalAttributes.filter((attribute) => attribute.type !== SIGNING_CERTIFICATE_V2_OID),
        await signingCertificateV2Attribute(signer.certificate, "SHA-256"),
      ],
    }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: original.encapContentInfo,
    certificates: chainOf(signer).map((issued) => issued.certificate),
    signerInfos: [signerInfo],
  });
  await signedData.sign(await signingKeyFor(signer.key, "SHA-256"), 0, "SHA-256");

  if (authority) {
    const token = await timestampTokenFor(authority, new Uint8Array(signerInfo.signature.valueBlock.valueHexView));
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [new pkijs.Attribute({ type: OID_SIGNATURE_TIMESTAMP_TOKEN, values: [token.toSchema()] })],
    });
  }
  return new Uint8Array(
    new pkijs.ContentInfo({ contentType: OID_SIGNED_DATA, content: signedData.toSchema(true) }).toSchema().toBER(),
  );
}
