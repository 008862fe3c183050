// What a package version's signing looks like to a consumer, decided once so the badge, the
// versions table, search results and the "signed only" filter never disagree. A version is
// only ever shown as trusted when its stored verdict is VALID *and* its signer certificate was
// not marked compromised at or before the moment it signed. Browser-safe.

import { displayName } from "./distinguished-name";

export type SignatureStatus = "UNSIGNED" | "VALID" | "INVALID";

/** The stored facts about one version's signatures, as the upload pipeline recorded them. */
export interface VersionSigningFacts {
  signatureStatus: SignatureStatus;
  /** The author signer certificate; null for unsigned and repository-only signed versions. */
  signer: { subject: string | null; compromisedAt: Date | null } | null;
  /** The author signature's timestamp (or signing time). */
  signedAt: Date | null;
}

export type SigningState =
  | { kind: "signed"; signerName: string }
  | { kind: "repository" }
  | { kind: "unsigned" }
  | { kind: "invalid" }
  | { kind: "compromised"; signerName: string; compromisedAt: Date };

const UNNAMED_SIGNER = "an unnamed certificate";

/** True when the certificate was flagged at or before the signing time, or the time is unknown. */
export function signedWhileCompromised(signedAt: Date | null, compromisedAt: Date | null): boolean {
  if (compromisedAt === null) return false;
  return signedAt === null || compromisedAt.getTime() <= signedAt.getTime();
}

export function signingState(facts: VersionSigningFacts): SigningState {
  if (facts.signatureStatus === "UNSIGNED") return { kind: "unsigned" };
  if (facts.signatureStatus === "INVALID") return { kind: "invalid" };
  if (facts.signer === null) return { kind: "repository" };
  const signerName = facts.signer.subject ? displayName(facts.signer.subject) : UNNAMED_SIGNER;
  const { compromisedAt } = facts.signer;
  if (compromisedAt !== null && signedWhileCompromised(facts.signedAt, compromisedAt)) {
    return { kind: "compromised", signerName, compromisedAt };
  }
  return { kind: "signed", signerName };
}

/** Trusted means: show a green badge and let "signed only" keep it. */
export function isTrustedSigning(state: SigningState): boolean {
  return state.kind === "signed" || state.kind === "repository";
}

export interface SigningStateText {
  /** Short badge text. */
  label: string;
  /** One sentence for tooltips and screen readers. */
  sentence: string;
}

export function describeSigningState(state: SigningState): SigningStateText {
  switch (state.kind) {
    case "signed":
      return { label: `Signed by ${state.signerName}`, sentence: `Signed by ${state.signerName}; the signature and the package contents were verified.` };
    case "repository":
      return { label: "Repository signed", sentence: "Signed by a repository, not by the author; the contents were verified against that signature." };
    case "unsigned":
      return { label: "Not signed", sentence: "Not signed: nothing proves who published these contents." };
    case "invalid":
      return { label: "Signature invalid", sentence: "The signature did not verify: do not trust this version's contents." };
    case "compromised":
      return {
        label: "Signer certificate compromised",
        sentence: `Signed by ${state.signerName}, but that certificate was marked compromised on ${state.compromisedAt.toISOString().slice(0, 10)}, at or before this version was signed: do not trust it.`,
      };
  }
}
