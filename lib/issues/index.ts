// The one issue vocabulary of the product. The signature engine, the upload rules, the
// API responses and the pages all speak it, so a code such as NU3008 or
// PACKAGE_ID_RESERVED travels unchanged from where it is found to where a person reads it.
// Every code is written once, in ./catalogue.ts, with its level, HTTP status and title.
import { ISSUE_CATALOGUE, type ErrorStatus } from "@/lib/issues/catalogue";

export type IssueLevel = "error" | "warning";

type Catalogue = typeof ISSUE_CATALOGUE;

/** A code written in the catalogue; any other string does not compile. */
export type IssueCode = keyof Catalogue;

/** Codes the gallery may raise as errors (and so refuse with). */
export type ErrorCode = { [Code in IssueCode]: Catalogue[Code]["level"] extends "warning" ? never : Code }[IssueCode];

/** Codes the gallery may raise as warnings. */
export type WarningCode = { [Code in IssueCode]: Catalogue[Code]["level"] extends "error" ? never : Code }[IssueCode];

export interface Issue {
  /** Stable code: NuGet's NU3xxx where NuGet has one, otherwise an UPPER_SNAKE name. */
  code: IssueCode;
  level: IssueLevel;
  /** One human sentence saying what is wrong (and, where it helps, what to do). */
  message: string;
}

/** An issue made by `error`: its code is one the catalogue lets the gallery refuse with. */
export interface ErrorIssue extends Issue {
  code: ErrorCode;
  level: "error";
}

export function error(code: ErrorCode, message: string): ErrorIssue {
  return { code, level: "error", message };
}

export function warning(code: WarningCode, message: string): Issue {
  return { code, level: "warning", message };
}

/**
 * The same finding reported as a warning, with a sentence saying why it does not refuse: NuGet's
 * own codes are errors or warnings depending on policy (a repository countersignature can vouch
 * for an author signature's problem, a further timestamp is only reported).
 */
export function downgraded(issue: Issue, message: string): Issue {
  return { code: issue.code, level: "warning", message };
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.level === "error");
}

/** An error whose code the catalogue lets the gallery refuse with (what `error` makes). */
export function isErrorIssue(issue: Issue): issue is ErrorIssue {
  return issue.level === "error" && ISSUE_CATALOGUE[issue.code].level !== "warning";
}

export function isIssueCode(code: string): code is IssueCode {
  return Object.hasOwn(ISSUE_CATALOGUE, code);
}

/** The HTTP status of a refusal with this code. */
export function statusOf(code: ErrorCode): ErrorStatus {
  const definition: { status?: ErrorStatus } = ISSUE_CATALOGUE[code];
  return definition.status ?? 500;
}

/** Whether a refusal with this code is the client's doing (4xx) rather than the gallery's (5xx). */
export function isClientFault(code: ErrorCode): boolean {
  return statusOf(code) < 500;
}

export function titleOf(code: IssueCode): string {
  return ISSUE_CATALOGUE[code].title;
}

/** A failure that stops an operation; carries the same code and sentence as an Issue. */
export class IssueError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "IssueError";
    this.code = code;
  }

  toIssue(): ErrorIssue {
    return error(this.code, this.message);
  }
}

// How directly the person who uploaded a package can remove each kind of refusal, most direct
// first: a version number to bump, or a step in their own account (a certificate to register,
// a key or an ownership to sort out); then the package's own manifest and files; then its
// signature, which needs re-signing with other tools. Anything else (size, damage) comes last.
const ACTIONABILITY: readonly (readonly [RegExp, number])[] = [
  [/^PACKAGE_VERSION_EXISTS$/, 0],
  [/^(SIGNER_NOT_REGISTERED|PACKAGE_NOT_SIGNED|PACKAGE_NOT_OWNED|PACKAGE_ID_RESERVED|API_KEY_\w+|ACCOUNT_LOCKED)$/, 1],
  [/^(NUSPEC_\w+|PACKAGE_ID_\w+|VERSION_\w+|DEPENDENCY_\w+|EMBEDDED_FILE_\w+|README_\w+)$/, 2],
  [/^(NU3\d{3}|AUTHOR_TIMESTAMP_\w+|CERTIFICATE_\w+)$/, 3],
];

function actionabilityRank(code: string): number {
  return ACTIONABILITY.find(([pattern]) => pattern.test(code))?.[1] ?? ACTIONABILITY.length;
}

/** The issues, most actionable first (stable within a rank), without repeats of the same code and sentence. */
export function byActionability<Found extends Issue>(issues: readonly Found[]): Found[] {
  const seen = new Set<string>();
  const unique = issues.filter((issue) => {
    const key = `${issue.level}\n${issue.code}\n${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique
    .map((issue, index) => ({ issue, index, rank: actionabilityRank(issue.code) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ issue }) => issue);
}
