// What the policy verdicts (lib/policy) need to know about a published version, from what the
// gallery stored: the engine's report of the file, and what the gallery knows about its
// author certificate (marked compromised at or before the signing, registered by an owner).
// Shared by the version page and the dependency graph, so both judge a version alike.

import type { VersionTrust } from "@/lib/policy/trust-selection";
import type { SignatureReport } from "@/lib/signing/report";
import { continuityNotice, type SignerContinuityValue } from "./signer-continuity";
import type { SigningState } from "./signing-state";

export interface StoredVersionFacts {
  packageId: string;
  version: string;
  report: SignatureReport | null;
  signing: SigningState;
  /** Whether a current owner of the package registered the author certificate. */
  signerRegistered: boolean;
}

export function versionTrust(facts: StoredVersionFacts): VersionTrust {
  const hasAuthorSigner = facts.report?.author?.kind === "author" && facts.report.author.signer !== null;
  return {
    packageId: facts.packageId,
    version: facts.version,
    // The stored report is the served file's (the gallery's repository signature included); one
    // that found no signature at all (a version published before repository signing) is none.
    report: facts.report?.status === "unsigned" ? null : facts.report,
    authorCertificate: hasAuthorSigner
      ? { compromised: facts.signing.kind === "compromised", registered: facts.signerRegistered }
      : null,
  };
}

export interface ContinuityView {
  value: SignerContinuityValue;
  previousVersion: string | null;
  notice: { level: "warning" | "info"; sentence: string } | null;
}

export function continuityView(value: SignerContinuityValue, previousVersion: string | null): ContinuityView {
  return { value, previousVersion, notice: continuityNotice(value, previousVersion) };
}
