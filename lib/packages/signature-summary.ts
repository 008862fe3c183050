// A version's signing state as machines read it: the `signet:signature` property that this
// gallery adds to V3 search results and registration leaves (docs/feed.md), so a client can
// tell whether a version is signed, by whom, and whether a repository signed it, without
// downloading the package (nuget.org offers no way to, NGG #10542). Built from the same stored
// facts as the badges on the pages, so the two never disagree.

import type { SignatureReport } from "@/lib/signing/report";
import type { SigningTimeSource } from "@/lib/validation/proven-signing-time";
import { isTrustedSigning, signingState, type SignatureStatus } from "./signing-state";

export interface SignatureFacts {
  signatureStatus: SignatureStatus;
  /** When the signature provably existed (PackageVersion.provenSigningTime). */
  provenSigningTime: Date;
  provenSigningTimeSource: SigningTimeSource;
  /** The author signer certificate's row; null for unsigned and repository-only signed versions. */
  signer: { subject: string | null; sha256Fingerprint: string; compromisedAt: Date | null } | null;
  /** The engine's stored report; null when it was not kept or does not parse. */
  report: SignatureReport | null;
  /** Base64 SHA-512 of the file the gallery serves (PackageVersion.sha512). */
  sha512: string;
  /** Base64 SHA-512 of the bytes the author uploaded; null for versions not published through the upload path (served as stored). */
  uploadedSha512: string | null;
}

export interface SignatureSummary {
  /** What verification found when the version was published. */
  status: "signed" | "unsigned" | "invalid";
  /** Signed, verified, and not by a certificate marked compromised at or before the proven signing time. */
  trusted: boolean;
  author: {
    subject: string | null;
    /** SHA-256 of the certificate's DER bytes, lower-case hex. */
    sha256Fingerprint: string;
    /** When the signature provably existed: its valid timestamp, else when this gallery received the file. */
    provenSigningTime: string;
    provenSigningTimeSource: "timestamp" | "received";
    /** When an administrator marked the certificate compromised; null when not. */
    certificateCompromisedAt: string | null;
  } | null;
  repositorySigned: boolean;
  repository: { subject: string; sha256Fingerprint: string; serviceIndexUrl: string | null } | null;
  /** Base64 SHA-512 of the file the gallery serves, as its publication log entry records it. */
  publishedSha512: string;
  /** Base64 SHA-512 of the bytes the author uploaded, before the gallery's repository signature
   * changed them: what an attestation made before upload can be checked against. */
  uploadedSha512: string;
}

const STATUS = { UNSIGNED: "unsigned", VALID: "signed", INVALID: "invalid" } as const;

export function signatureSummary(facts: SignatureFacts): SignatureSummary {
  const state = signingState(facts);
  const repositorySigner = facts.report?.repository?.signer ?? null;
  return {
    status: STATUS[facts.signatureStatus],
    trusted: isTrustedSigning(state),
    author: facts.signer && {
      // A certificate registered by fingerprint alone has no subject row; the report names it.
      subject: facts.signer.subject ?? facts.report?.author?.signer?.subject ?? null,
      sha256Fingerprint: facts.signer.sha256Fingerprint,
      provenSigningTime: facts.provenSigningTime.toISOString(),
      provenSigningTimeSource: facts.provenSigningTimeSource === "TIMESTAMP" ? "timestamp" : "received",
      certificateCompromisedAt: facts.signer.compromisedAt?.toISOString() ?? null,
    },
    repositorySigned: facts.report?.repository != null,
    repository: repositorySigner && {
      subject: repositorySigner.subject,
      sha256Fingerprint: repositorySigner.sha256Fingerprint,
      serviceIndexUrl: facts.report?.repository?.serviceIndexUrl ?? null,
    },
    publishedSha512: facts.sha512,
    uploadedSha512: facts.uploadedSha512 ?? facts.sha512,
  };
}

/** The stored report, or null when there is none or it does not parse (the summary then omits what only it knows). */
export function parseStoredReport(json: string | null): SignatureReport | null {
  if (json === null) return null;
  try {
    return JSON.parse(json) as SignatureReport;
  } catch {
    return null;
  }
}
