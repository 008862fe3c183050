import { describeSigningState, type SigningState } from "@/lib/packages/signing-state";
import type { SignatureVerdict, VerdictTone } from "@/lib/packages/signature-verdict";

const TONES: Record<VerdictTone, string> = {
  good: "bg-green-50 text-green-800 ring-green-600/30",
  neutral: "bg-slate-100 text-slate-700 ring-slate-400/30",
  caution: "bg-amber-50 text-amber-950 ring-amber-600/40",
  danger: "bg-red-50 text-red-800 ring-red-600/40",
};

const ICONS: Record<SigningState["kind"], string> = {
  signed: "✓",
  repository: "✓",
  unsigned: "–",
  invalid: "✕",
  compromised: "!",
};

function toneOf(state: SigningState): VerdictTone {
  if (state.kind === "signed" || state.kind === "repository") return "good";
  return state.kind === "unsigned" ? "neutral" : "danger";
}

/**
 * "Signed by <CN>", "Repository signed", "Not signed", or a warning; the sentence is the tooltip.
 * Lists pass the stored state; a package page passes its verdict, which tells apart what the
 * stored state calls invalid (tampered, an untrusted authority, other failures).
 */
export function SigningBadge({ state, verdict }: { state: SigningState; verdict?: SignatureVerdict }) {
  const { label, sentence } = verdict ?? describeSigningState(state);
  const tone = verdict?.tone ?? toneOf(state);
  return (
    <span
      data-signing={state.kind}
      data-verdict={verdict?.kind}
      title={sentence}
      className={`inline-flex w-fit max-w-full items-center gap-1 rounded px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}
    >
      <span aria-hidden="true">{verdict?.tone === "caution" ? "?" : ICONS[state.kind]}</span>
      <span className="truncate">{label}</span>
    </span>
  );
}
