// The RFC 3161 request NuGet makes for a signature (NuGet.Client's Rfc3161TimestampProvider): SHA-256 imprint of the
// signature value, a random nonce, certReq true, no policy. Sending it is the caller's
// business (an injected function: HTTP to a TSA, or the project's authority in process); the
// answer is checked here for what the request asked (granted, same imprint, same nonce) and
// the token returned. Its signature and chain are judged later, when the signed package is
// verified like any other.

import { createHash, randomBytes } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { IssueError } from "@/lib/issues";
import { sameBytes } from "../names";
import { SHA256_OID } from "./constants";

/** Sends DER TimeStampReq bytes to a time-stamping authority; resolves with its DER TimeStampResp. */
export type Timestamper = (request: Uint8Array) => Promise<Uint8Array>;

function timestampFailure(reason: string): IssueError {
  return new IssueError(
    "REPOSITORY_TIMESTAMP_FAILED",
    `The timestamp authority did not timestamp the repository signature: ${reason}.`,
  );
}

/** 32 random bytes as a positive, minimally encoded INTEGER (first byte 0x40..0x7f). */
function randomNonce(): Uint8Array {
  const bytes = randomBytes(32);
  bytes[0] = ((bytes[0] ?? 0) & 0x3f) | 0x40;
  return new Uint8Array(bytes);
}

export function timestampRequest(signature: Uint8Array, nonce: Uint8Array): Uint8Array {
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_OID }),
      hashedMessage: new asn1js.OctetString({ valueHex: createHash("sha256").update(signature).digest() }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonce }),
    certReq: true,
  });
  return new Uint8Array(request.toSchema().toBER());
}

function parseResponse(bytes: Uint8Array): pkijs.TimeStampResp {
  try {
    return pkijs.TimeStampResp.fromBER(bytes.slice());
  } catch {
    throw timestampFailure("its answer is not an RFC 3161 TimeStampResp");
  }
}

function tstInfoOf(token: pkijs.ContentInfo): pkijs.TSTInfo {
  try {
    const eContent = new pkijs.SignedData({ schema: token.content }).encapContentInfo.eContent;
    if (!eContent) throw new Error("no TSTInfo");
    return pkijs.TSTInfo.fromBER(eContent.getValue());
  } catch {
    throw timestampFailure("its token holds no readable TSTInfo");
  }
}

/** A timestamp token (DER ContentInfo) for `signature`, checked against the request that asked for it. */
export async function requestTimestamp(signature: Uint8Array, timestamper: Timestamper): Promise<Uint8Array> {
  const nonce = randomNonce();
  let answer: Uint8Array;
  try {
    answer = await timestamper(timestampRequest(signature, nonce));
  } catch (cause) {
    throw timestampFailure(`it could not be asked (${cause instanceof Error ? cause.message : String(cause)})`);
  }
  const response = parseResponse(answer);
  const { status } = response.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    const reason = response.status.statusStrings?.map((text) => text.valueBlock.value).join(" ") || `status ${status}`;
    throw timestampFailure(`it refused the request (${reason})`);
  }
  const token = response.timeStampToken;
  if (!token) throw timestampFailure("its answer carries no token");
  const tstInfo = tstInfoOf(token);
  const imprint = createHash("sha256").update(signature).digest();
  if (
    tstInfo.messageImprint.hashAlgorithm.algorithmId !== SHA256_OID ||
    !sameBytes(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView, imprint)
  ) {
    throw timestampFailure("its token stamps something other than the signature");
  }
  if (!tstInfo.nonce || !sameBytes(tstInfo.nonce.valueBlock.valueHexView, nonce))
    throw timestampFailure("its token does not echo the request's nonce");
  return new Uint8Array(token.toSchema().toBER());
}
