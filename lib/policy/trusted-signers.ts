// nuget.config <trustedSigners> entries and how the client matches a package against them
// (NuGet's AllowListVerificationProvider.IsSignatureAllowed):
//   - an <author> entry matches an author primary signature whose certificate has one of its
//     fingerprints;
//   - a <repository> entry matches a repository primary signature or a repository
//     countersignature with one of its fingerprints and, when it lists <owners>, only if the
//     signature's nuget-package-owners share at least one owner with it (compared exactly,
//     case included, as the client does).

import type { SignatureFacts } from "./report-facts";

export interface AuthorSigner {
  kind: "author";
  name: string;
  /** SHA-256 fingerprints, lower-case hex. */
  fingerprints: string[];
}

export interface RepositorySigner {
  kind: "repository";
  name: string;
  serviceIndexUrl: string;
  fingerprints: string[];
  /** Empty: any owner. */
  owners: string[];
}

export type TrustedSigner = AuthorSigner | RepositorySigner;

function ownersMatch(entry: RepositorySigner, signature: SignatureFacts): boolean {
  return entry.owners.length === 0 || entry.owners.some((owner) => signature.owners.includes(owner));
}

function matches(
  entry: TrustedSigner,
  signature: SignatureFacts | null,
  placement: "primary" | "countersignature",
): boolean {
  if (!signature?.fingerprint || !entry.fingerprints.includes(signature.fingerprint)) return false;
  if (entry.kind === "author") return placement === "primary" && signature.kind === "author";
  return signature.kind === "repository" && ownersMatch(entry, signature);
}

/** Whether any entry lets this package through: its primary signature, or its repository countersignature. */
export function isTrustedBy(
  signers: readonly TrustedSigner[],
  primary: SignatureFacts | null,
  countersignature: SignatureFacts | null,
): boolean {
  return signers.some(
    (entry) => matches(entry, primary, "primary") || matches(entry, countersignature, "countersignature"),
  );
}
