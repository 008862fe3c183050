// The typed result of verifying a package's signatures. It is plain data (JSON-safe: dates
// are ISO strings) so it can be stored with an upload, sent by the API and drawn by pages.

import type { Issue } from "@/lib/issues";

export type SignatureKind = "author" | "repository" | "unknown";

export interface CertificateSummary {
  subject: string; // RFC 4514 style, e.g. "CN=Contoso,O=Contoso Ltd,C=US"
  issuer: string;
  serialNumber: string; // upper-case hex, no separators
  sha256Fingerprint: string; // lower-case hex, no separators
  sha1Fingerprint: string; // lower-case hex, no separators
  notBefore: string; // ISO 8601
  notAfter: string; // ISO 8601
}

export interface ChainReport {
  /** Signer first, root last, as far as it could be built. */
  certificates: CertificateSummary[];
  trusted: boolean;
  /** Why the chain is not trusted (empty when trusted). */
  problems: string[];
}

export interface TimestampReport {
  time: string; // genTime, ISO 8601
  hashAlgorithm: string; // e.g. "SHA-256"
  tsa: CertificateSummary | null;
  chain: ChainReport | null;
  valid: boolean;
}

export interface SignatureDetails {
  kind: SignatureKind;
  /** "primary" for the outer signature, "countersignature" for a repository countersignature. */
  placement: "primary" | "countersignature";
  signer: CertificateSummary | null;
  chain: ChainReport | null;
  signingTime: string | null;
  digestAlgorithm: string;
  timestamps: TimestampReport[];
  /** Repository signatures only. */
  serviceIndexUrl: string | null;
  packageOwners: string[] | null;
  valid: boolean;
  /** What a signer identity is matched on (lib/identity): the signer's subject attributes and extended key usages. */
  signerIdentity?: SignerIdentityFacts;
}

export interface SignerIdentityFacts {
  /** The subject's attributes in the order they appear, by short name ("CN", "O") or OID. */
  subjectAttributes: { type: string; value: string }[];
  /** The EKU OIDs; null when the certificate has no EKU extension. */
  extendedKeyUsages: string[] | null;
}

/**
 * The timestamp a signature is judged at: its first, when that one is valid. NuGet judges only
 * a signature's first timestamp (Signature.GetValidTimestamp), so a valid later one vouches for
 * nothing a client checks; the engine judges the signer certificate at this one too.
 */
export function vouchingTimestamp(signature: Pick<SignatureDetails, "timestamps">): TimestampReport | null {
  const [first] = signature.timestamps;
  return first?.valid ? first : null;
}

export type SignatureStatusValue = "unsigned" | "valid" | "invalid";

export interface SignatureReport {
  status: SignatureStatusValue;
  /** Hash named in the signature content, e.g. "SHA-256"; null when unsigned or unreadable. */
  packageHashAlgorithm: string | null;
  /** Whether the package bytes match the hash the signature carries; null when not checked. */
  integrity: boolean | null;
  /** The primary signature unless it is a repository signature (then it is `repository`); its kind may be "unknown". */
  author: SignatureDetails | null;
  /** A repository primary signature, or the repository countersignature on the author signature. */
  repository: SignatureDetails | null;
  /**
   * The commitment types of the primary signature's other countersignatures (not the repository
   * countersignature), which NuGet's client ignores and nuget.org refuses when one is an
   * author's; absent when there are none.
   */
  otherCountersignatureKinds?: Exclude<SignatureKind, "repository">[];
  /** NuGet's contentHash (base64 SHA-512 of the package as if unsigned), when it was asked for. */
  contentHash?: string;
  issues: Issue[];
}
