// What `dotnet restore` does with one package under a client policy, predicted from the
// engine's report. Mirrors NuGet's restore-time verification (PackageExtractor.
// VerifyPackageSignatureAsync with the providers it builds, and ClientPolicyContext's accept and
// require settings):
//
//   verification off  nothing is checked (Linux without DOTNET_NUGET_SIGNATURE_VERIFICATION=true,
//                     macOS by default).
//   unsigned           accepted in accept mode; NU3004 in require mode, and in any mode from a
//                     source whose RepositorySignatures resource says every package is signed.
//   unreadable         the signature cannot be read: a warning in accept mode, an error in require
//                     mode, and nothing else is checked.
//   suspect            integrity failure (NU3008) or a revoked certificate: always an error.
//   untrusted          reported as warnings in accept mode and errors in require mode; a valid
//                     repository countersignature stands in for an untrusted author root or an
//                     author certificate that has expired since (IfExistsAndIsNecessary).
//   trusted signers    in require mode the package must match an entry (NU3034, and an empty list
//                     fails every signed package); in accept mode a non-empty list that does not
//                     match gives a NU3034 warning.
// Timestamp problems are ignored as restore ignores them, and the certificate is then judged
// against the current time.

import { error, type Issue, type IssueCode } from "@/lib/issues";
import type { SignatureReport } from "@/lib/signing/report";
import { packageFacts, type SignatureFacts } from "./report-facts";
import { isTrustedBy, type TrustedSigner } from "./trusted-signers";

export interface ClientPolicy {
  validationMode: "accept" | "require";
  /** Whether restore verifies signatures at all (DOTNET_NUGET_SIGNATURE_VERIFICATION on Linux). */
  verifySignatures: boolean;
  trustedSigners: readonly TrustedSigner[];
  /** The source's RepositorySignatures resource, when it has one (clients read it only over https). */
  repositorySignatures?: { allRepositorySigned: boolean; fingerprints: readonly string[] };
}

export interface RestorePrediction {
  passes: boolean;
  errors: Issue[];
  warnings: Issue[];
}

function predicted(issues: Issue[]): RestorePrediction {
  const errors = issues.filter((issue) => issue.level === "error");
  return { passes: errors.length === 0, errors, warnings: issues.filter((issue) => issue.level === "warning") };
}

/** In accept mode a finding restore would refuse under require mode is only a warning. */
function graded(policy: ClientPolicy, code: IssueCode, message: string): Issue {
  return { code, level: policy.validationMode === "require" ? "error" : "warning", message };
}

function expiredSinceSigning(signature: SignatureFacts, now: Date): boolean {
  return (
    signature.timestampedAt === null &&
    signature.notAfter !== null &&
    new Date(signature.notAfter).getTime() < now.getTime()
  );
}

/** Whether the certificate was valid when the other signature's timestamp says it signed. */
function validAtTimestampOf(certificate: SignatureFacts, other: SignatureFacts): boolean {
  if (other.timestampedAt === null || certificate.notBefore === null || certificate.notAfter === null) return false;
  const time = new Date(other.timestampedAt).getTime();
  return new Date(certificate.notBefore).getTime() < time && time < new Date(certificate.notAfter).getTime();
}

/**
 * The primary signature's findings restore reports (graded by mode), after a valid repository
 * countersignature has stood in for it where it can, and the ones fatal in every mode.
 */
function trustFindings(
  primary: SignatureFacts,
  countersignature: SignatureFacts | null,
  now: Date,
): { graded: Issue[]; fatal: Issue[] } {
  const fatal = primary.revoked ? [error("NU3012", "The signing certificate has been revoked.")] : [];
  let findings = [...primary.untrusted];
  if (!primary.expired && expiredSinceSigning(primary, now)) {
    findings.push(
      error(
        "NU3037",
        "The signing certificate has expired and no valid timestamp shows it was valid when the package was signed.",
      ),
    );
  }
  const expired = findings.some((issue) => issue.code === "NU3037");
  // NuGet consults the countersignature only for an author (not repository) primary signature
  // whose root is untrusted or whose certificate has expired.
  const consultsCountersignature =
    countersignature !== null && primary.kind !== "repository" && (primary.untrustedRoot || expired);
  if (!consultsCountersignature) return { graded: findings, fatal };
  if (countersignature.revoked)
    fatal.push(error("NU3012", "The repository countersignature's certificate has been revoked."));
  else if (countersignature.untrusted.length === 0) {
    // The countersignature is a trust anchor for the author's root, and a trusted timestamp for its expiry.
    const standsInForExpiry = validAtTimestampOf(primary, countersignature);
    findings = findings.filter((issue) => issue.code !== "NU3018" && (issue.code !== "NU3037" || !standsInForExpiry));
  }
  return { graded: [...findings, ...countersignature.untrusted], fatal };
}

function repositoryAllowListFindings(
  policy: ClientPolicy,
  primary: SignatureFacts | null,
  countersignature: SignatureFacts | null,
): Issue[] {
  const resource = policy.repositorySignatures;
  if (!resource) return [];
  const signers: TrustedSigner[] = [
    { kind: "repository", name: "source", serviceIndexUrl: "", fingerprints: [...resource.fingerprints], owners: [] },
  ];
  if (resource.fingerprints.length === 0) {
    return resource.allRepositorySigned
      ? [error("NU3034", "The source says every package is repository signed but lists no repository certificate.")]
      : [];
  }
  if (isTrustedBy(signers, primary, countersignature)) return [];
  return [graded(policy, "NU3034", "The package is not signed by a repository certificate the source lists.")];
}

/** What restore does with the package: passes or fails, with NuGet's codes. `report` null means unsigned. */
export function predictRestore(report: SignatureReport | null, policy: ClientPolicy, now: Date): RestorePrediction {
  if (!policy.verifySignatures) return predicted([]);
  const facts = report ? packageFacts(report) : null;
  if (!facts?.signed) {
    const unsignedRefused =
      policy.validationMode === "require" || policy.repositorySignatures?.allRepositorySigned === true;
    return predicted(
      unsignedRefused ? [error("NU3004", "The package is not signed, and this policy requires signed packages.")] : [],
    );
  }
  if (facts.unreadable) return predicted([graded(policy, facts.unreadable.code, facts.unreadable.message)]);

  const issues: Issue[] = [];
  if (facts.integrityFailed)
    issues.push(error("NU3008", "The package integrity check failed: its contents were modified after it was signed."));
  const { primary, countersignature } = facts;

  if (policy.trustedSigners.length === 0) {
    if (policy.validationMode === "require")
      issues.push(error("NU3034", "Signature validation mode is require, but no trusted signers are configured."));
  } else if (!isTrustedBy(policy.trustedSigners, primary, countersignature)) {
    issues.push(graded(policy, "NU3034", "The package is signed, but not by a trusted signer."));
  }

  if (primary) {
    const findings = trustFindings(primary, countersignature, now);
    issues.push(...findings.fatal, ...findings.graded.map((finding) => graded(policy, finding.code, finding.message)));
  }
  issues.push(...repositoryAllowListFindings(policy, primary, countersignature));
  issues.push(...facts.ignoredTimestampIssues.map((issue): Issue => ({ ...issue, level: "warning" })));
  return predicted(issues);
}
