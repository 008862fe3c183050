// When a version's signature provably existed, decided once at publish and stored with the
// version (PackageVersion.provenSigningTime and provenSigningTimeSource); every reader (upload
// refusal, package pages, search, admin counts) compares a compromise mark against it.
//
// Only two things prove a time: a valid RFC 3161 timestamp on the primary signature (a third
// party vouches the signature value existed then), and the gallery having received the file.
// The signer's own signing-time attribute proves nothing: whoever holds a stolen key writes
// any date there. So an untimestamped version counts as signed when the gallery received it,
// and a certificate compromised at C taints every version whose proven time is at or after C.
// Browser-safe: the report is plain data.

import { vouchingTimestamp, type SignatureDetails, type SignatureReport } from "@/lib/signing/report";

export type SigningTimeSource = "TIMESTAMP" | "RECEIVED";

export interface ProvenSigningTime {
  time: Date;
  source: SigningTimeSource;
}

/** The outer signature: the author's (or unknown kind), else a repository primary signature. */
function primarySignature(report: SignatureReport): SignatureDetails | null {
  if (report.author) return report.author;
  return report.repository?.placement === "primary" ? report.repository : null;
}

/**
 * The primary signature's first timestamp when it is valid (the one NuGet and the engine judge
 * the signer certificate at; a valid second one behind an invalid first proves nothing to a
 * client), else `receivedAt`: when the gallery received the file. A repository
 * countersignature's timestamp does not count: it proves when the repository signed.
 */
export function provenSigningTime(report: SignatureReport | null, receivedAt: Date): ProvenSigningTime {
  const primary = report ? primarySignature(report) : null;
  const timestamp = primary ? vouchingTimestamp(primary) : null;
  const time = timestamp ? new Date(timestamp.time) : null;
  if (time && !Number.isNaN(time.getTime())) return { time, source: "TIMESTAMP" };
  return { time: receivedAt, source: "RECEIVED" };
}

/**
 * The compromise rule, the one predicate behind every badge, filter, count and refusal: a
 * version is tainted when its certificate was marked compromised at or before its proven
 * signing time.
 */
export function signedWhileCompromised(provenSigningTime: Date, compromisedAt: Date | null): boolean {
  return compromisedAt !== null && compromisedAt.getTime() <= provenSigningTime.getTime();
}
