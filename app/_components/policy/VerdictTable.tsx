// What NuGet does under each consumer policy: one row per mode with the outcome, NuGet's code
// and the sentence saying why. Used for a version and for a whole dependency graph.
import { POLICY_MODES, type ModeVerdict, type Outcome } from "@/lib/policy/verdicts";

const OUTCOMES: Record<Outcome, { label: string; className: string }> = {
  accept: { label: "Accepted", className: "bg-green-50 text-green-800 ring-green-600/30" },
  warn: { label: "Accepted with warnings", className: "bg-amber-50 text-amber-900 ring-amber-600/30" },
  refuse: { label: "Refused", className: "bg-red-50 text-red-800 ring-red-600/40" },
};

export function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  const { label, className } = OUTCOMES[outcome];
  return (
    <span
      className={`inline-flex w-fit items-center rounded px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${className}`}
    >
      {label}
    </span>
  );
}

export function VerdictTable({ verdicts, caption }: { verdicts: readonly ModeVerdict[]; caption: string }) {
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="text-xs text-slate-500">
        <tr>
          <th scope="col" className="py-1 pr-3 font-medium">
            Policy
          </th>
          <th scope="col" className="py-1 pr-3 font-medium">
            NuGet
          </th>
          <th scope="col" className="py-1 font-medium">
            Why
          </th>
        </tr>
      </thead>
      <tbody>
        {POLICY_MODES.map(({ mode, title, nugetTerms }) => {
          const verdict = verdicts.find((entry) => entry.mode === mode);
          if (!verdict) return null;
          return (
            <tr
              key={mode}
              data-mode={mode}
              data-outcome={verdict.outcome}
              data-code={verdict.code ?? ""}
              className="border-t border-slate-200 align-top"
            >
              <th scope="row" className="py-2 pr-3 font-medium">
                <span title={nugetTerms}>{title}</span>
              </th>
              <td className="py-2 pr-3">
                <div className="flex flex-col gap-1">
                  <OutcomeBadge outcome={verdict.outcome} />
                  {verdict.code ? <code className="text-xs text-slate-600">{verdict.code}</code> : null}
                </div>
              </td>
              <td className="py-2 break-words">{verdict.sentence}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
