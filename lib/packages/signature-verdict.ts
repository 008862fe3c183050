// The one verdict a package page gives about a version's signature, so the badge, the
// "Contents" line, the warning box and the Verified check never contradict each other. The
// stored status says only VALID or INVALID; the stored report tells apart what a consumer must
// do differently about: contents modified after signing (tampered), a signature that is fine
// but made with a certificate from an authority this gallery does not trust (say which), a
// signer certificate marked compromised, and other failures. An administrator's approval of a
// refused upload is shown beside the verdict, publicly, with who, when and why; it never turns
// the verdict green. Browser-safe.

import type { SignerDetails } from "./signer-details";
import { describeSigningState, type SigningState } from "./signing-state";

export type VerdictTone = "good" | "neutral" | "caution" | "danger";

export type VerdictKind = "signed" | "repository" | "unsigned" | "tampered" | "untrusted" | "compromised" | "invalid";

export interface SignatureVerdict {
  kind: VerdictKind;
  tone: VerdictTone;
  /** Short badge text. */
  label: string;
  /** What it means and what to do, in a sentence or two. */
  sentence: string;
  /** The certificate authority the gallery does not trust (the top of the signer's chain), for "untrusted". */
  untrustedIssuer: string | null;
}

/** An administrator published this version although the rules refused it. */
export interface ApprovedException {
  reviewer: string | null;
  decidedAt: Date | null;
  reason: string | null;
}

function untrustedIssuer(details: SignerDetails | null): string | null {
  const chain = details?.author?.chain;
  if (!chain || chain.trusted) return null;
  // fromRoot[0] is the top of the chain as far as it could be built: the authority nobody here trusts.
  return chain.fromRoot[0]?.name ?? details?.author?.signer?.issuerName ?? null;
}

export function signatureVerdict(state: SigningState, details: SignerDetails | null): SignatureVerdict {
  const { label, sentence } = describeSigningState(state);
  switch (state.kind) {
    case "signed":
      return { kind: "signed", tone: "good", label, sentence, untrustedIssuer: null };
    case "repository":
      return { kind: "repository", tone: "good", label, sentence, untrustedIssuer: null };
    case "unsigned":
      return { kind: "unsigned", tone: "neutral", label, sentence, untrustedIssuer: null };
    case "compromised":
      return { kind: "compromised", tone: "danger", label, sentence, untrustedIssuer: null };
    case "invalid":
      break;
  }
  const signerName = details?.author?.signer?.name ?? "its signer";
  if (details?.integrity === false) {
    return {
      kind: "tampered",
      tone: "danger",
      label: "Modified after signing",
      sentence: `The contents do not match what ${signerName} signed: they were changed afterwards. Do not use this version.`,
      untrustedIssuer: null,
    };
  }
  const issuer = untrustedIssuer(details);
  if (issuer !== null) {
    return {
      kind: "untrusted",
      tone: "caution",
      label: `Signed by an untrusted certificate (${issuer})`,
      sentence: `Signed by ${signerName} with a certificate from ${issuer}, an authority this gallery does not trust: the contents are what that certificate signed, but nothing here vouches for who holds it.`,
      untrustedIssuer: issuer,
    };
  }
  const reason = details?.issues.find((issue) => issue.level === "error")?.message;
  const failed = "The signature did not verify: do not trust this version's contents.";
  return {
    kind: "invalid",
    tone: "danger",
    label: "Signature invalid",
    sentence: reason ? `${failed} ${reason}` : failed,
    untrustedIssuer: null,
  };
}
