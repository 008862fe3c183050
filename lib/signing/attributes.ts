// CMS attributes NuGet reads from a SignerInfo (NuGet's Package Signatures Technical Details): signing time, commitment
// type, signing-certificate-v2, the repository's service index URL and package owners. Each
// reader parses by ASN.1 schema and throws IssueError with the caller's code on a bad value.

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { IssueError, type ErrorCode } from "@/lib/issues";
import type { SignatureKind } from "./report";
import { hashAlgorithmByOid, OID, type HashAlgorithm } from "./oids";

export function attributeValues(
  attributes: pkijs.SignedAndUnsignedAttributes | undefined,
  oid: string,
): asn1js.AsnType[][] {
  return (attributes?.attributes ?? [])
    .filter((attribute) => attribute.type === oid)
    .map((attribute) => attribute.values);
}

/** The single value of an attribute that must appear at most once with one value; undefined when absent. */
export function singleAttributeValue(
  attributes: pkijs.SignedAndUnsignedAttributes | undefined,
  oid: string,
  describe: string,
  code: ErrorCode,
): asn1js.AsnType | undefined {
  const found = attributeValues(attributes, oid);
  if (found.length === 0) return undefined;
  const [values] = found;
  if (found.length > 1 || values?.length !== 1)
    throw new IssueError(code, `The ${describe} attribute must appear once with exactly one value.`);
  return values[0];
}

export function readSigningTime(
  attributes: pkijs.SignedAndUnsignedAttributes | undefined,
  code: ErrorCode,
): Date | null {
  const value = singleAttributeValue(attributes, OID.signingTime, "signing-time", code);
  if (value === undefined) return null;
  if (value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime) return value.toDate();
  throw new IssueError(code, "The signing-time attribute is not a UTCTime or GeneralizedTime.");
}

/** Author (proof of origin), repository (proof of receipt) or unknown, as NuGet's AttributeUtility.GetSignatureType decides. */
export function readSignatureKind(
  attributes: pkijs.SignedAndUnsignedAttributes | undefined,
  code: ErrorCode,
): SignatureKind {
  const kinds = new Set<SignatureKind>();
  for (const values of attributeValues(attributes, OID.commitmentTypeIndication)) {
    for (const value of values) {
      const id = value instanceof asn1js.Sequence ? value.valueBlock.value[0] : undefined;
      if (!(id instanceof asn1js.ObjectIdentifier))
        throw new IssueError(code, "A commitment-type-indication value is not a commitment type.");
      const oid = id.valueBlock.toString();
      if (oid === OID.proofOfOrigin) kinds.add("author");
      if (oid === OID.proofOfReceipt) kinds.add("repository");
    }
  }
  if (kinds.size > 1)
    throw new IssueError(code, "The signature claims to be both an author and a repository signature.");
  return [...kinds][0] ?? "unknown";
}

export interface EssCertificateId {
  hashAlgorithm: HashAlgorithm;
  certificateHash: Uint8Array;
  issuerSerial: { issuer: pkijs.RelativeDistinguishedNames; serialNumber: Uint8Array } | null;
}

const DIRECTORY_NAME = 4;

/** A pkijs structure from an ASN.1 value, or the caller's IssueError when the value does not fit its schema. */
export function decodeAs<T>(decode: () => T, code: ErrorCode, message: string): T {
  try {
    return decode();
  } catch {
    throw new IssueError(code, message);
  }
}

function parseIssuerSerial(value: asn1js.AsnType | undefined, code: ErrorCode): EssCertificateId["issuerSerial"] {
  if (value === undefined) return null;
  const [names, serial] = value instanceof asn1js.Sequence ? value.valueBlock.value : [];
  if (!names || !(serial instanceof asn1js.Integer))
    throw new IssueError(code, "The signing-certificate-v2 issuerSerial is malformed.");
  const generalNames = decodeAs(
    () => new pkijs.GeneralNames({ schema: names }),
    code,
    "The signing-certificate-v2 issuerSerial names no valid issuer.",
  );
  const [only] = generalNames.names;
  if (generalNames.names.length !== 1 || only?.type !== DIRECTORY_NAME) {
    throw new IssueError(
      code,
      "The signing-certificate-v2 issuerSerial must name the issuer with exactly one directory name.",
    );
  }
  return { issuer: only.value as pkijs.RelativeDistinguishedNames, serialNumber: serial.valueBlock.valueHexView };
}

function parseEssCertIdV2(value: asn1js.AsnType, code: ErrorCode): EssCertificateId {
  if (!(value instanceof asn1js.Sequence))
    throw new IssueError(code, "A signing-certificate-v2 entry is not an ESSCertIDv2.");
  const parts = [...value.valueBlock.value];
  // hashAlgorithm is optional and defaults to SHA-256 (RFC 5035).
  let hashAlgorithm = hashAlgorithmByOid("2.16.840.1.101.3.4.2.1");
  if (parts[0] instanceof asn1js.Sequence) {
    const identifier = decodeAs(
      () => new pkijs.AlgorithmIdentifier({ schema: parts.shift() }),
      code,
      "The signing-certificate-v2 hash algorithm is malformed.",
    );
    hashAlgorithm = hashAlgorithmByOid(identifier.algorithmId);
    if (!hashAlgorithm)
      throw new IssueError(
        code,
        `The signing-certificate-v2 hash algorithm ${identifier.algorithmId} is not SHA-256, SHA-384 or SHA-512.`,
      );
  }
  const [hash, issuerSerial] = parts;
  if (!(hash instanceof asn1js.OctetString) || !hashAlgorithm)
    throw new IssueError(code, "A signing-certificate-v2 entry has no certificate hash.");
  return {
    hashAlgorithm,
    certificateHash: hash.valueBlock.valueHexView,
    issuerSerial: parseIssuerSerial(issuerSerial, code),
  };
}

/** The ESSCertIDv2 entries of the one signing-certificate-v2 attribute, or null when it is absent. */
export function readSigningCertificateV2(
  attributes: pkijs.SignedAndUnsignedAttributes | undefined,
  code: ErrorCode,
): EssCertificateId[] | null {
  const value = singleAttributeValue(attributes, OID.signingCertificateV2, "signing-certificate-v2", code);
  if (value === undefined) return null;
  const certs = value instanceof asn1js.Sequence ? value.valueBlock.value[0] : undefined;
  // .NET cannot decode such an attribute at all, and the client gives up on the signature (NU3003).
  if (!(certs instanceof asn1js.Sequence))
    throw new IssueError(
      "NU3003",
      "The signing-certificate-v2 attribute cannot be decoded: it has no list of certificates.",
    );
  if (certs.valueBlock.value.length === 0)
    throw new IssueError(code, "The signing-certificate-v2 attribute lists no certificates.");
  return certs.valueBlock.value.map((entry) => parseEssCertIdV2(entry, code));
}

export function readServiceIndexUrl(
  attributes: pkijs.SignedAndUnsignedAttributes | undefined,
  code: ErrorCode,
): string | null {
  const value = singleAttributeValue(attributes, OID.nugetV3ServiceIndexUrl, "nuget-v3-service-index-url", code);
  if (value === undefined) return null;
  if (!(value instanceof asn1js.IA5String))
    throw new IssueError(code, "The nuget-v3-service-index-url attribute is not an IA5String.");
  const text = value.getValue();
  if (!URL.canParse(text) || new URL(text).protocol !== "https:") {
    throw new IssueError(code, `The repository service index URL '${text}' is not an absolute https URL.`);
  }
  return text;
}

export function readPackageOwners(
  attributes: pkijs.SignedAndUnsignedAttributes | undefined,
  code: ErrorCode,
): string[] | null {
  const value = singleAttributeValue(attributes, OID.nugetPackageOwners, "nuget-package-owners", code);
  if (value === undefined) return null;
  const owners = value instanceof asn1js.Sequence ? value.valueBlock.value : [];
  if (owners.length === 0) throw new IssueError(code, "The nuget-package-owners attribute lists no owners.");
  return owners.map((owner) => {
    if (!(owner instanceof asn1js.Utf8String) || owner.getValue().trim() === "") {
      throw new IssueError(
        code,
        "A package owner in the nuget-package-owners attribute is not a non-blank UTF8String.",
      );
    }
    return owner.getValue();
  });
}

/** The message-digest attribute's value. */
export function readMessageDigest(
  attributes: pkijs.SignedAndUnsignedAttributes | undefined,
  code: ErrorCode,
): Uint8Array | null {
  const value = singleAttributeValue(attributes, OID.messageDigest, "message-digest", code);
  if (value === undefined) return null;
  if (!(value instanceof asn1js.OctetString))
    throw new IssueError(code, "The message-digest attribute is not an OCTET STRING.");
  return value.valueBlock.valueHexView;
}
