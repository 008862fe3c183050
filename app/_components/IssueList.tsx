// Issues as the rules and the engine word them: code, level and sentence. Used by the upload
// preview, My uploads, the admin's upload page and the account forms (certificates, signer
// identities, trusted publishing), so a person reads the same text in every place. `actions`
// puts a way to fix an issue (a button) under the issue with that code; `alert` announces a
// list that answers what the person just did.
import type { ReactNode } from "react";
import type { Issue } from "@/lib/issues";

const LEVEL_STYLES: Record<Issue["level"], { box: string; badge: string; label: string }> = {
  error: { box: "border-red-300 bg-red-50 text-red-900", badge: "bg-red-700 text-white", label: "Error" },
  warning: {
    box: "border-amber-300 bg-amber-50 text-amber-950",
    badge: "bg-amber-200 text-amber-950",
    label: "Warning",
  },
};

export function IssueList({
  issues,
  label,
  empty,
  actions = {},
  alert = false,
}: {
  issues: readonly Issue[];
  label: string;
  empty?: string;
  actions?: Readonly<Record<string, ReactNode>>;
  alert?: boolean;
}) {
  if (issues.length === 0) return empty ? <p className="text-sm text-slate-600">{empty}</p> : null;
  return (
    <ul role={alert ? "alert" : undefined} aria-label={label} className="space-y-2">
      {issues.map((issue, index) => {
        const style = LEVEL_STYLES[issue.level];
        return (
          <li
            key={`${index}:${issue.code}`}
            data-issue-code={issue.code}
            data-issue-level={issue.level}
            className={`rounded border p-3 text-sm break-words ${style.box}`}
          >
            <span className={`mr-2 rounded px-1.5 py-0.5 text-xs font-medium ${style.badge}`}>{style.label}</span>
            <code className="mr-2 text-xs font-semibold">{issue.code}</code>
            <span>{issue.message}</span>
            {actions[issue.code] ?? null}
          </li>
        );
      })}
    </ul>
  );
}

export function errorsOf(issues: readonly Issue[]): Issue[] {
  return issues.filter((issue) => issue.level === "error");
}

export function warningsOf(issues: readonly Issue[]): Issue[] {
  return issues.filter((issue) => issue.level === "warning");
}

/** The issues not already shown in `shown` (same code and sentence). */
export function notIn(issues: readonly Issue[], shown: readonly Issue[]): Issue[] {
  const keys = new Set(shown.map((issue) => `${issue.code}\n${issue.message}`));
  return issues.filter((issue) => !keys.has(`${issue.code}\n${issue.message}`));
}
