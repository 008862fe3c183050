import { describeSigningState, type SigningState } from "@/lib/packages/signing-state";

const TONES: Record<SigningState["kind"], { className: string; icon: string }> = {
  signed: { className: "bg-green-50 text-green-800 ring-green-600/30", icon: "✓" },
  repository: { className: "bg-sky-50 text-sky-800 ring-sky-600/30", icon: "✓" },
  unsigned: { className: "bg-slate-100 text-slate-700 ring-slate-400/30", icon: "–" },
  invalid: { className: "bg-red-50 text-red-800 ring-red-600/40", icon: "✕" },
  compromised: { className: "bg-red-50 text-red-800 ring-red-600/40", icon: "!" },
};

/** "Signed by <CN>", "Repository signed", "Not signed", or a red warning; the sentence is the tooltip. */
export function SigningBadge({ state }: { state: SigningState }) {
  const { label, sentence } = describeSigningState(state);
  const tone = TONES[state.kind];
  return (
    <span
      data-signing={state.kind}
      title={sentence}
      className={`inline-flex w-fit max-w-full items-center gap-1 rounded px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tone.className}`}
    >
      <span aria-hidden="true">{tone.icon}</span>
      <span className="truncate">{label}</span>
    </span>
  );
}
