// Decoding a CMS ContentInfo holding SignedData: the package signature itself and each RFC 3161
// timestamp token. Decoding failures become the caller's issue code instead of exceptions.

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { IssueError, type ErrorCode } from "@/lib/issues";
import { decodeAs } from "./attributes";
import { OID } from "./oids";

export interface DecodedSignedData {
  signedData: pkijs.SignedData;
  /** The encapsulated content (eContent), concatenated if it was sent in constructed form. */
  content: Uint8Array;
}

/** SignedData from a ContentInfo, with its encapsulated content of type `eContentType`. */
export function decodeSignedData(
  contentInfo: asn1js.AsnType,
  eContentType: string,
  code: ErrorCode,
  what: string,
): DecodedSignedData {
  const info = decodeAs(
    () => new pkijs.ContentInfo({ schema: contentInfo }),
    code,
    `The ${what} is not a CMS ContentInfo.`,
  );
  if (info.contentType !== OID.signedData) {
    throw new IssueError(
      code,
      `The ${what} has content type ${info.contentType}; CMS SignedData (${OID.signedData}) is required.`,
    );
  }
  const signedData = decodeAs(
    () => new pkijs.SignedData({ schema: info.content }),
    code,
    `The ${what} is not a well-formed CMS SignedData.`,
  );
  if (signedData.encapContentInfo.eContentType !== eContentType) {
    throw new IssueError(
      code,
      `The ${what} encapsulates content of type ${signedData.encapContentInfo.eContentType}; ${eContentType} is required.`,
    );
  }
  const eContent = signedData.encapContentInfo.eContent;
  if (!(eContent instanceof asn1js.OctetString)) throw new IssueError(code, `The ${what} has no attached content.`);
  return { signedData, content: new Uint8Array(eContent.getValue()) };
}

/** Parses DER bytes as one ASN.1 value that fills them exactly. */
export function parseDer(bytes: Uint8Array, code: ErrorCode, what: string): asn1js.AsnType {
  const failure = new IssueError(code, `The ${what} cannot be decoded: it is not a single well-formed DER value.`);
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    // asn1js reports most malformed input with offset -1 but throws on some (e.g. a bad time inside a BIT STRING).
    parsed = asn1js.fromBER(bytes);
  } catch {
    throw failure;
  }
  if (parsed.offset === -1 || parsed.offset !== bytes.byteLength) throw failure;
  return parsed.result;
}
