// What a package version's signing looks like to a consumer, decided once so the badge, the
// versions table, search results and the "signed only" filter never disagree. A version is
// only ever shown as trusted when its stored verdict is VALID *and* its signer certificate was
// not marked compromised at or before its proven signing time (lib/validation/proven-signing-time.ts).
// Browser-safe.

import { displayName } from "@/lib/signing/distinguished-name";
import { signedWhileCompromised, type SigningTimeSource } from "@/lib/validation/proven-signing-time";

export type SignatureStatus = "UNSIGNED" | "VALID" | "INVALID";

/** The stored facts about one version's signatures, as the upload pipeline recorded them. */
export interface VersionSigningFacts {
  signatureStatus: SignatureStatus;
  /** The author signer certificate; null for unsigned and repository-only signed versions. */
  signer: { subject: string | null; compromisedAt: Date | null } | null;
  /** When the signature provably existed (PackageVersion.provenSigningTime). */
  provenSigningTime: Date;
  provenSigningTimeSource: SigningTimeSource;
}

export type SigningState =
  | { kind: "signed"; signerName: string }
  | { kind: "repository" }
  | { kind: "unsigned" }
  | { kind: "invalid" }
  | {
      kind: "compromised";
      signerName: string;
      compromisedAt: Date;
      provenSigningTime: Date;
      provenSigningTimeSource: SigningTimeSource;
    };

const UNNAMED_SIGNER = "an unnamed certificate";

export function signingState(facts: VersionSigningFacts): SigningState {
  if (facts.signatureStatus === "UNSIGNED") return { kind: "unsigned" };
  if (facts.signatureStatus === "INVALID") return { kind: "invalid" };
  if (facts.signer === null) return { kind: "repository" };
  const signerName = facts.signer.subject ? displayName(facts.signer.subject) : UNNAMED_SIGNER;
  const { compromisedAt } = facts.signer;
  if (compromisedAt !== null && signedWhileCompromised(facts.provenSigningTime, compromisedAt)) {
    return {
      kind: "compromised",
      signerName,
      compromisedAt,
      provenSigningTime: facts.provenSigningTime,
      provenSigningTimeSource: facts.provenSigningTimeSource,
    };
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

function provenWhen(state: Extract<SigningState, { kind: "compromised" }>): string {
  const day = state.provenSigningTime.toISOString().slice(0, 10);
  return state.provenSigningTimeSource === "TIMESTAMP"
    ? `this version's timestamp (${day})`
    : `this version reached the gallery on ${day} (it has no valid timestamp to prove an earlier signing)`;
}

export function describeSigningState(state: SigningState): SigningStateText {
  switch (state.kind) {
    case "signed":
      return {
        label: `Signed by ${state.signerName}`,
        sentence: `Signed by ${state.signerName}; the signature and the package contents were verified.`,
      };
    case "repository":
      return {
        label: "Repository signed",
        sentence: "Signed by a repository, not by the author; the contents were verified against that signature.",
      };
    case "unsigned":
      return { label: "Not signed", sentence: "Not signed: nothing proves who published these contents." };
    case "invalid":
      // Lists know only the stored INVALID, which covers modified contents, an authority the
      // gallery does not trust and other failures; the version's page tells them apart
      // (signature-verdict.ts), so a list must not name one of them and contradict the page.
      return {
        label: "Signature not accepted",
        sentence:
          "The signature did not pass the gallery's checks (contents changed after signing, an authority the gallery does not trust, or another failure); the version's page says which. Nothing here vouches for these contents.",
      };
    case "compromised":
      return {
        label: "Signer certificate compromised",
        sentence: `Signed by ${state.signerName}, but that certificate was marked compromised on ${state.compromisedAt.toISOString().slice(0, 10)}, at or before ${provenWhen(state)}: do not trust it.`,
      };
  }
}
