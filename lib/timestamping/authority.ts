// An RFC 3161 time-stamping authority: turns a DER TimeStampReq into a DER TimeStampResp.
// Granted tokens are CMS SignedData over a TSTInfo carrying the signing-certificate-v2
// attribute NuGet requires; unacceptable requests get a rejection with a PKIFailureInfo.

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

import { digest, type DigestAlgorithmName } from "./algorithms";
import { signingCertificateV2Attribute } from "./ess";
import {
  FAILURE_INFO_BITS,
  judgeTimestampRequest,
  type AcceptedTimestampRequest,
  type TimestampFailure,
} from "./request";

const OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const OID_TST_INFO = "1.2.840.113549.1.9.16.1.4";
const OID_CONTENT_TYPE = "1.2.840.113549.1.9.3";
const OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4";

const PKI_STATUS_GRANTED = 0;
const PKI_STATUS_REJECTION = 2;

export interface TimestampSigner {
  /** RSASSA-PKCS1-v1_5 key whose hash is the token's digest algorithm. */
  privateKey: CryptoKey;
  /** The TSA certificate (extended key usage id-kp-timeStamping). */
  certificate: pkijs.Certificate;
  /** Issuers of the TSA certificate up to the root, sent when the request asks for certificates. */
  chain: pkijs.Certificate[];
}

export interface TimestampAuthority {
  signer: TimestampSigner;
  /** TSA policy OID written into every token. */
  policy: string;
  /** Stated accuracy of genTime; omitted from tokens when undefined. */
  accuracySeconds?: number;
  /** Source of genTime; a test can make the authority state any time. */
  clock?: () => Date;
}

/** genTime is written without fractions so every verifier reads back exactly what was signed. */
function wholeSeconds(time: Date): Date {
  return new Date(Math.floor(time.getTime() / 1000) * 1000);
}

function randomSerialNumber(): asn1js.Integer {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  // A first byte in 0x40..0x7f keeps the INTEGER positive and minimally encoded: a 0x00 byte
  // before one below 0x80 is not DER, and .NET refuses such a token as "not understood".
  bytes[0] = ((bytes[0] ?? 0) & 0x3f) | 0x40;
  return new asn1js.Integer({ valueHex: bytes });
}

function tokenDigestAlgorithm(signer: TimestampSigner): DigestAlgorithmName {
  const hash = (signer.privateKey.algorithm as RsaHashedKeyAlgorithm).hash?.name;
  if (hash === "SHA-256" || hash === "SHA-384" || hash === "SHA-512") return hash;
  throw new RangeError(`The TSA key must be bound to SHA-256, SHA-384 or SHA-512, not ${hash ?? "no hash"}.`);
}

function buildTstInfo(authority: TimestampAuthority, request: AcceptedTimestampRequest): pkijs.TSTInfo {
  const now = authority.clock?.() ?? new Date();
  return new pkijs.TSTInfo({
    version: 1,
    policy: authority.policy,
    messageImprint: request.messageImprint,
    serialNumber: randomSerialNumber(),
    genTime: wholeSeconds(now),
    ...(authority.accuracySeconds !== undefined
      ? { accuracy: new pkijs.Accuracy({ seconds: authority.accuracySeconds }) }
      : {}),
    ...(request.nonce ? { nonce: request.nonce } : {}),
  });
}

async function signTstInfo(
  authority: TimestampAuthority,
  tstInfoDer: ArrayBuffer,
  includeCertificates: boolean,
): Promise<pkijs.ContentInfo> {
  const { signer } = authority;
  const hashAlgorithm = tokenDigestAlgorithm(signer);
  const signedAttributes = [
    new pkijs.Attribute({ type: OID_CONTENT_TYPE, values: [new asn1js.ObjectIdentifier({ value: OID_TST_INFO })] }),
    new pkijs.Attribute({
      type: OID_MESSAGE_DIGEST,
      values: [new asn1js.OctetString({ valueHex: await digest(hashAlgorithm, tstInfoDer) })],
    }),
    await signingCertificateV2Attribute(signer.certificate, hashAlgorithm),
  ];
  const signedData = new pkijs.SignedData({
    version: 3,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: OID_TST_INFO,
      eContent: new asn1js.OctetString({ valueHex: tstInfoDer }),
    }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: signer.certificate.issuer,
          serialNumber: signer.certificate.serialNumber,
        }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: signedAttributes }),
      }),
    ],
    ...(includeCertificates ? { certificates: [signer.certificate, ...signer.chain] } : {}),
  });
  await signedData.sign(signer.privateKey, 0, hashAlgorithm);
  return new pkijs.ContentInfo({ contentType: OID_SIGNED_DATA, content: signedData.toSchema(true) });
}

/** PKIFailureInfo is a named BIT STRING: DER keeps only the bytes up to the set bit. */
function failureInfoBits(failure: TimestampFailure): asn1js.BitString {
  const bit = FAILURE_INFO_BITS[failure];
  const bytes = new Uint8Array((bit >> 3) + 1);
  bytes[bit >> 3] = 0x80 >> (bit & 7);
  return new asn1js.BitString({ valueHex: bytes, unusedBits: 7 - (bit & 7) });
}

export function rejectionResponse(failure: TimestampFailure, reason: string): Uint8Array<ArrayBuffer> {
  const response = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({
      status: PKI_STATUS_REJECTION,
      statusStrings: [new asn1js.Utf8String({ value: reason })],
      failInfo: failureInfoBits(failure),
    }),
  });
  return new Uint8Array(response.toSchema().toBER());
}

export async function grantedResponse(
  authority: TimestampAuthority,
  request: AcceptedTimestampRequest,
): Promise<Uint8Array<ArrayBuffer>> {
  const tstInfoDer = buildTstInfo(authority, request).toSchema().toBER();
  const response = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({ status: PKI_STATUS_GRANTED }),
    timeStampToken: await signTstInfo(authority, tstInfoDer, request.certReq),
  });
  return new Uint8Array(response.toSchema().toBER());
}

/** Answers any request bytes with a DER TimeStampResp, granted or rejected. */
export async function respondToTimestampRequest(
  authority: TimestampAuthority,
  requestDer: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const verdict = judgeTimestampRequest(requestDer, authority.policy);
  if (!verdict.accepted) return rejectionResponse(verdict.failure, verdict.reason);
  return grantedResponse(authority, verdict.request);
}
