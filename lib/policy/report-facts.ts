// What the NuGet client's restore-time checks need to know about a package, read from the
// engine's SignatureReport. The engine judges like `dotnet nuget verify --all` (strictest);
// restore sorts the same findings into NuGet's classes (SignatureVerificationStatusFlags):
//
//   unreadable  the signature could not even be read (NuGet throws a SignatureException while
//               parsing: NU3000, NU3003, NU3005-NU3007, NU3009, NU3011, NU3016, NU3032, NU3033);
//               restore then runs no other check.
//   suspect     integrity failure (NU3008) or a revoked certificate: refused in every mode.
//   untrusted   illegal or untrusted primary signature (bad CMS signature, weak key, wrong
//               EKU, not yet valid, untrusted or broken chain, expired): a warning in accept
//               mode, an error in require mode.
//   timestamp   a timestamp restore cannot use: restore ignores it (allowIgnoreTimestamp) and
//               judges the certificate against the current time instead.
//
// The engine prefixes each signature's issues with the signature's label ("Author signature: ",
// "Repository countersignature: "), which is how an issue is told apart from the package-level
// ones (integrity, signature entry).

import type { Issue } from "@/lib/issues";
import {
  vouchingTimestamp,
  type SignatureDetails,
  type SignatureKind,
  type SignatureReport,
} from "@/lib/signing/report";

const UNREADABLE_CODES = new Set([
  "NU3000",
  "NU3003",
  "NU3005",
  "NU3006",
  "NU3007",
  "NU3009",
  "NU3011",
  "NU3016",
  "NU3032",
  "NU3033",
]);
const TIMESTAMP_CODES = new Set([
  "NU3019",
  "NU3020",
  "NU3021",
  "NU3022",
  "NU3023",
  "NU3024",
  "NU3025",
  "NU3026",
  "NU3028",
  "NU3029",
  "NU3030",
  "NU3036",
]);
const COUNTERSIGNATURE_PREFIX = "Repository countersignature: ";

export interface SignatureFacts {
  kind: SignatureKind;
  /** SHA-256 of the signer certificate, lower-case hex; null when it could not be read. */
  fingerprint: string | null;
  /** Repository signatures: the owners they vouch for (nuget-package-owners), as written. */
  owners: string[];
  serviceIndexUrl: string | null;
  /** Errors restore reports for this signature in require mode (warnings in accept mode). */
  untrusted: Issue[];
  untrustedRoot: boolean;
  expired: boolean;
  revoked: boolean;
  /** The time the first timestamp vouches for, when it is valid; null otherwise. */
  timestampedAt: string | null;
  notBefore: string | null;
  notAfter: string | null;
}

export interface PackageFacts {
  signed: boolean;
  /** The first issue that stops restore from reading the signature at all. */
  unreadable: Issue | null;
  integrityFailed: boolean;
  primary: SignatureFacts | null;
  /** The repository countersignature on an author signature. */
  countersignature: SignatureFacts | null;
  /** Timestamp findings restore only warns about. */
  ignoredTimestampIssues: Issue[];
}

function isCountersignatureIssue(issue: Issue): boolean {
  return issue.message.startsWith(COUNTERSIGNATURE_PREFIX);
}

function signatureFacts(details: SignatureDetails, issues: readonly Issue[]): SignatureFacts {
  const errors = issues.filter(
    (issue) => issue.level === "error" && !UNREADABLE_CODES.has(issue.code) && !TIMESTAMP_CODES.has(issue.code),
  );
  const revoked = errors.some((issue) => /\brevoked\b/i.test(issue.message));
  return {
    kind: details.kind,
    fingerprint: details.signer?.sha256Fingerprint.toLowerCase() ?? null,
    owners: details.packageOwners ?? [],
    serviceIndexUrl: details.serviceIndexUrl,
    untrusted: errors.filter((issue) => !/\brevoked\b/i.test(issue.message)),
    // The engine gives NU3018 as an error only for a chain ending at an untrusted root (revocation it cannot check is a warning).
    untrustedRoot: errors.some((issue) => issue.code === "NU3018"),
    expired: errors.some((issue) => issue.code === "NU3037"),
    revoked,
    timestampedAt: vouchingTimestamp(details)?.time ?? null,
    notBefore: details.signer?.notBefore ?? null,
    notAfter: details.signer?.notAfter ?? null,
  };
}

/** Reads what restore's checks depend on from the engine's report. */
export function packageFacts(report: SignatureReport): PackageFacts {
  const primaryDetails = report.author ?? (report.repository?.placement === "primary" ? report.repository : null);
  const counterDetails =
    report.author && report.repository?.placement === "countersignature" ? report.repository : null;
  const unreadable =
    report.issues.find(
      (issue) => issue.level === "error" && (UNREADABLE_CODES.has(issue.code) || !issue.code.startsWith("NU")),
    ) ?? null;
  const primaryIssues = report.issues.filter((issue) => !isCountersignatureIssue(issue) && issue.code !== "NU3008");
  const counterIssues = report.issues.filter(isCountersignatureIssue);
  return {
    signed: report.status !== "unsigned",
    unreadable,
    integrityFailed:
      report.integrity === false || report.issues.some((issue) => issue.code === "NU3008" && issue.level === "error"),
    primary: primaryDetails ? signatureFacts(primaryDetails, primaryIssues) : null,
    countersignature: counterDetails ? signatureFacts(counterDetails, counterIssues) : null,
    ignoredTimestampIssues: report.issues.filter((issue) => issue.level === "error" && TIMESTAMP_CODES.has(issue.code)),
  };
}
