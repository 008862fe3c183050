// The one issue vocabulary of the product. The signature engine, the upload rules, the
// API responses and the pages all speak it, so a code such as NU3008 or
// PACKAGE_ID_RESERVED travels unchanged from where it is found to where a person reads it.

export type IssueLevel = "error" | "warning";

export interface Issue {
  /** Stable code: NuGet's NU3xxx where NuGet has one, otherwise an UPPER_SNAKE name. */
  code: string;
  level: IssueLevel;
  /** One human sentence saying what is wrong (and, where it helps, what to do). */
  message: string;
}

export function error(code: string, message: string): Issue {
  return { code, level: "error", message };
}

export function warning(code: string, message: string): Issue {
  return { code, level: "warning", message };
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.level === "error");
}

/** A failure that stops an operation; carries the same code and sentence as an Issue. */
export class IssueError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = "IssueError";
    this.code = code;
  }

  toIssue(): Issue {
    return error(this.code, this.message);
  }
}
