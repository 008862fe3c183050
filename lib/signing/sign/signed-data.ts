// The package signature file (.signature.p7s) as the gallery writes it: a new repository
// primary signature for an unsigned package, or the author's signature with its repository
// countersignatures replaced by the gallery's. Edits work on the DER bytes (der.ts): only the
// containers whose length changes are written anew; the primary SignerInfo's version, signer,
// digest algorithm, signed attributes, signature algorithm and signature keep their bytes.

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { IssueError } from "@/lib/issues";
import { decodeAs, readSignatureKind } from "../attributes";
import { sameBytes } from "../names";
import { OID } from "../oids";
import type { SignatureKind } from "../report";
import { SHA256_OID } from "./constants";
import { childrenOf, derSortedSetElements, derValue, readDer, TAG, type DerValue } from "./der";
import {
  algorithm,
  buildRepositorySignerInfo,
  oid,
  signingChainBytes,
  type RepositorySignatureOptions,
} from "./signer-info";

/** "Version:1\n\n2.16.840.1.101.3.4.2.1-Hash:<base64>\n\n": the content NuGet signs (NuGet.Client's SignatureContent). */
export function signatureContent(sha256OfUnsignedPackage: Uint8Array): Uint8Array {
  return new TextEncoder().encode(
    `Version:1\n\n${SHA256_OID}-Hash:${Buffer.from(sha256OfUnsignedPackage).toString("base64")}\n\n`,
  );
}

function contentInfo(signedData: Uint8Array): Uint8Array {
  return derValue(TAG.sequence, [oid(OID.signedData), derValue(TAG.context0, [signedData])]);
}

/** A repository primary signature over an unsigned package whose SHA-256 is given. */
export async function createRepositoryPrimarySignature(
  sha256OfUnsignedPackage: Uint8Array,
  options: RepositorySignatureOptions,
): Promise<Uint8Array> {
  const content = signatureContent(sha256OfUnsignedPackage);
  const signerInfo = await buildRepositorySignerInfo(content, "primary", options);
  const signedData = derValue(TAG.sequence, [
    // RFC 5652 §5.1: version 3 when a SignerInfo is version 3 (named by subject key identifier).
    new Uint8Array(new asn1js.Integer({ value: signerInfo.version === 3 ? 3 : 1 }).toBER()),
    derValue(TAG.set, [algorithm(SHA256_OID)]),
    derValue(TAG.sequence, [oid(OID.data), derValue(TAG.context0, [derValue(TAG.octetString, [content])])]),
    derValue(TAG.context0, derSortedSetElements(signingChainBytes(options.key))),
    derValue(TAG.set, [signerInfo.bytes]),
  ]);
  return contentInfo(signedData);
}

/** The parts of a decoded package signature that an edit touches. */
interface SignatureParts {
  /** SignedData's children before the certificates: version, digestAlgorithms, encapContentInfo. */
  head: DerValue[];
  certificates: Uint8Array[];
  /** [1] crls, kept as they are when present. */
  crls: DerValue | null;
  /** The primary SignerInfo's children without its unsigned attributes. */
  signerInfo: DerValue[];
  unsignedAttributes: DerValue[];
}

function malformed(): IssueError {
  return new IssueError(
    "REPOSITORY_SIGNING_FAILED",
    "The package signature cannot be countersigned: it is not a CMS SignedData with one signer.",
  );
}

function splitSignature(p7s: Uint8Array): SignatureParts {
  const [type, explicit] = childrenOf(readDer(p7s));
  const signedData = explicit && childrenOf(explicit)[0];
  if (!type || !sameBytes(type.bytes, oid(OID.signedData)) || !signedData) throw malformed();
  const children = childrenOf(signedData);
  const signerInfos = children[children.length - 1];
  const head = children.slice(0, 3);
  const certificates = children.find((child) => child.tag === TAG.context0);
  const crls = children.find((child) => child.tag === TAG.context1) ?? null;
  const signers = signerInfos?.tag === TAG.set ? childrenOf(signerInfos) : [];
  const [primary] = signers;
  if (head.length !== 3 || signers.length !== 1 || !primary) throw malformed();
  const parts = childrenOf(primary);
  const last = parts[parts.length - 1];
  const hasUnsigned = last?.tag === TAG.context1;
  return {
    head,
    certificates: certificates ? childrenOf(certificates).map((certificate) => certificate.bytes) : [],
    crls,
    signerInfo: hasUnsigned ? parts.slice(0, -1) : parts,
    unsignedAttributes: hasUnsigned && last ? childrenOf(last) : [],
  };
}

function joinSignature(parts: SignatureParts): Uint8Array {
  const unsigned =
    parts.unsignedAttributes.length > 0
      ? [derValue(TAG.context1, derSortedSetElements(parts.unsignedAttributes.map((attribute) => attribute.bytes)))]
      : [];
  const signerInfo = derValue(TAG.sequence, [...parts.signerInfo.map((child) => child.bytes), ...unsigned]);
  const signedData = derValue(TAG.sequence, [
    ...parts.head.map((child) => child.bytes),
    ...(parts.certificates.length > 0 ? [derValue(TAG.context0, derSortedSetElements(parts.certificates))] : []),
    ...(parts.crls ? [parts.crls.bytes] : []),
    derValue(TAG.set, [signerInfo]),
  ]);
  return contentInfo(signedData);
}

function countersignatureKind(signerInfo: DerValue): SignatureKind {
  const decoded = decodeAs(
    () => new pkijs.SignerInfo({ schema: asn1js.fromBER(signerInfo.bytes.slice()).result }),
    "REPOSITORY_SIGNING_FAILED",
    "A countersignature on the package signature cannot be decoded.",
  );
  return readSignatureKind(decoded.signedAttrs, "REPOSITORY_SIGNING_FAILED");
}

/**
 * The unsigned attributes without repository countersignatures: a countersignature attribute
 * keeps its other (e.g. author-typed) values and goes when none remain. Returns how many went.
 */
function withoutRepositoryCountersignatures(attributes: readonly DerValue[]): { kept: DerValue[]; removed: number } {
  const kept: DerValue[] = [];
  let removed = 0;
  for (const attribute of attributes) {
    const [type, values] = childrenOf(attribute);
    if (!type || !values || !sameBytes(type.bytes, oid(OID.countersignature))) {
      kept.push(attribute);
      continue;
    }
    const signers = childrenOf(values);
    const others = signers.filter((signer) => countersignatureKind(signer) !== "repository");
    removed += signers.length - others.length;
    if (others.length === signers.length) kept.push(attribute);
    else if (others.length > 0)
      kept.push(
        readDer(
          derValue(TAG.sequence, [
            type.bytes,
            derValue(TAG.set, derSortedSetElements(others.map((signer) => signer.bytes))),
          ]),
        ),
      );
  }
  return { kept, removed };
}

/** The primary signature's kind and signature value, read from the signature file. */
export function primarySignatureOf(p7s: Uint8Array): { kind: SignatureKind; signature: Uint8Array } {
  const parts = splitSignature(p7s);
  const signedAttributes = parts.signerInfo.find((child) => child.tag === TAG.context0);
  const signature = parts.signerInfo.find((child) => child.tag === TAG.octetString);
  if (!signedAttributes || !signature) throw malformed();
  const attributes = decodeAs(
    () =>
      new pkijs.SignedAndUnsignedAttributes({ type: 0, schema: asn1js.fromBER(signedAttributes.bytes.slice()).result }),
    "REPOSITORY_SIGNING_FAILED",
    "The package signature's signed attributes cannot be decoded.",
  );
  return { kind: readSignatureKind(attributes, "REPOSITORY_SIGNING_FAILED"), signature: signature.content };
}

/** The signature file without its repository countersignatures, and how many there were. */
export function removeRepositoryCountersignatures(p7s: Uint8Array): { p7s: Uint8Array; removed: number } {
  const parts = splitSignature(p7s);
  const { kept, removed } = withoutRepositoryCountersignatures(parts.unsignedAttributes);
  return removed === 0 ? { p7s, removed } : { p7s: joinSignature({ ...parts, unsignedAttributes: kept }), removed };
}

/**
 * The signature file with the gallery's repository countersignature on its primary signature
 * (any other repository countersignature removed first: NuGet allows one), and the gallery's
 * certificates added to the certificate set.
 */
export async function addRepositoryCountersignature(
  p7s: Uint8Array,
  options: RepositorySignatureOptions,
): Promise<Uint8Array> {
  const parts = splitSignature(p7s);
  const { signature } = primarySignatureOf(p7s);
  const countersigner = await buildRepositorySignerInfo(signature, "countersignature", options);
  const { kept } = withoutRepositoryCountersignatures(parts.unsignedAttributes);
  const countersignature = readDer(
    derValue(TAG.sequence, [oid(OID.countersignature), derValue(TAG.set, [countersigner.bytes])]),
  );
  const newCertificates = signingChainBytes(options.key).filter(
    (certificate) => !parts.certificates.some((existing) => sameBytes(existing, certificate)),
  );
  return joinSignature({
    ...parts,
    certificates: [...parts.certificates, ...newCertificates],
    unsignedAttributes: [...kept, countersignature],
  });
}
