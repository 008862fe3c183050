// Reading and judging an RFC 3161 TimeStampReq. Every way a request can be unacceptable maps
// to one PKIFailureInfo reason, so the authority can answer with a proper rejection instead
// of failing.

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

import { digestAlgorithmByOid, type DigestAlgorithmName } from "./algorithms";

/** PKIFailureInfo bit names (RFC 3161 §2.4.2) the authority can report. */
export type TimestampFailure =
  "badAlg" | "badRequest" | "badDataFormat" | "unacceptedPolicy" | "unacceptedExtension" | "systemFailure";

export const FAILURE_INFO_BITS: Readonly<Record<TimestampFailure, number>> = {
  badAlg: 0,
  badRequest: 2,
  badDataFormat: 5,
  unacceptedPolicy: 15,
  unacceptedExtension: 16,
  systemFailure: 25,
};

export interface AcceptedTimestampRequest {
  messageImprint: pkijs.MessageImprint;
  imprintAlgorithm: DigestAlgorithmName;
  /** Kept as the request's own INTEGER so the token echoes it byte for byte. */
  nonce: asn1js.Integer | undefined;
  certReq: boolean;
}

export type TimestampRequestVerdict =
  | { accepted: true; request: AcceptedTimestampRequest }
  | { accepted: false; failure: TimestampFailure; reason: string };

function reject(failure: TimestampFailure, reason: string): TimestampRequestVerdict {
  return { accepted: false, failure, reason };
}

function decodeTimeStampReq(der: Uint8Array): pkijs.TimeStampReq | null {
  const decoded = asn1js.fromBER(der);
  if (decoded.offset === -1 || decoded.offset !== der.byteLength) return null;
  try {
    return new pkijs.TimeStampReq({ schema: decoded.result });
  } catch {
    // pkijs throws when the structure does not match the TimeStampReq schema.
    return null;
  }
}

/** Decides whether a DER TimeStampReq can be granted under the authority's policy. */
export function judgeTimestampRequest(der: Uint8Array, policy: string): TimestampRequestVerdict {
  const request = decodeTimeStampReq(der);
  if (!request) return reject("badDataFormat", "The request is not a DER-encoded RFC 3161 TimeStampReq.");
  if (request.version !== 1)
    return reject("badRequest", `Request version ${request.version} is not supported; use version 1.`);

  const { hashAlgorithm, hashedMessage } = request.messageImprint;
  const algorithm = digestAlgorithmByOid(hashAlgorithm.algorithmId);
  if (!algorithm) {
    return reject(
      "badAlg",
      `Message imprint algorithm ${hashAlgorithm.algorithmId} is not accepted; use SHA-256, SHA-384 or SHA-512.`,
    );
  }
  if (hashedMessage.valueBlock.valueHexView.byteLength !== algorithm.digestLength) {
    return reject("badDataFormat", `A ${algorithm.name} message imprint must be ${algorithm.digestLength} bytes long.`);
  }
  if (request.reqPolicy !== undefined && request.reqPolicy !== policy) {
    return reject(
      "unacceptedPolicy",
      `Policy ${request.reqPolicy} is not offered; this authority issues under ${policy}.`,
    );
  }
  if (request.extensions && request.extensions.length > 0) {
    return reject("unacceptedExtension", "Request extensions are not supported.");
  }
  return {
    accepted: true,
    request: {
      messageImprint: request.messageImprint,
      imprintAlgorithm: algorithm.name,
      nonce: request.nonce,
      certReq: request.certReq ?? false,
    },
  };
}
