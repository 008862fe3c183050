// Issues as the rules and the engine word them: code, level and sentence. Used by the upload
// preview and by My uploads, so an author reads the same text in both places.
import type { Issue } from "@/lib/issues";

const LEVEL_STYLES: Record<Issue["level"], { box: string; badge: string; label: string }> = {
  error: { box: "border-red-300 bg-red-50 text-red-900", badge: "bg-red-700 text-white", label: "Error" },
  warning: { box: "border-amber-300 bg-amber-50 text-amber-950", badge: "bg-amber-200 text-amber-950", label: "Warning" },
};

export function IssueList({ issues, label, empty }: { issues: readonly Issue[]; label: string; empty?: string }) {
  if (issues.length === 0) return empty ? <p className="text-sm text-slate-600">{empty}</p> : null;
  return (
    <ul aria-label={label} className="space-y-2">
      {issues.map((issue, index) => {
        const style = LEVEL_STYLES[issue.level];
        return (
          <li key={`${index}:${issue.code}`} data-issue-code={issue.code} data-issue-level={issue.level} className={`rounded border p-3 text-sm ${style.box}`}>
            <span className={`mr-2 rounded px-1.5 py-0.5 text-xs font-medium ${style.badge}`}>{style.label}</span>
            <code className="mr-2 text-xs font-semibold">{issue.code}</code>
            <span>{issue.message}</span>
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
