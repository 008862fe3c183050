// Verification keeps going after a failed check so the report lists every problem, not just
// the first. These helpers turn a check's IssueError into an issue in the list; any other
// exception is a bug in the engine and propagates.

import { IssueError, type Issue } from "@/lib/issues";

/** Runs a check, recording its IssueError (if any) in `issues`. */
export async function collectIssue(issues: Issue[], check: () => unknown): Promise<void> {
  try {
    await check();
  } catch (cause) {
    if (!(cause instanceof IssueError)) throw cause;
    issues.push(cause.toIssue());
  }
}

/** Reads a value, recording its IssueError (if any) in `issues` and returning `fallback` then. */
export function attemptRead<T>(issues: Issue[], read: () => T, fallback: T): T {
  try {
    return read();
  } catch (cause) {
    if (!(cause instanceof IssueError)) throw cause;
    issues.push(cause.toIssue());
    return fallback;
  }
}
