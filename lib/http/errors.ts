// The one place where failures become HTTP responses. Route handlers throw IssueError (or let
// zod throw) and wrap themselves in `withErrorHandling`; every API error body has one shape,
// `{ error: { code, message }, issues? }`, the status comes from the code's entry in the issue
// catalogue (lib/issues/catalogue.ts), and a client never sees a stack trace.
import { randomUUID } from "node:crypto";
import { ZodError } from "zod";
import { isDatabaseBusy } from "@/lib/db/errors";
import {
  isClientFault,
  isErrorIssue,
  IssueError,
  statusOf,
  type ErrorCode,
  type ErrorIssue,
  type Issue,
  type IssueCode,
} from "@/lib/issues";

export interface ErrorBody {
  error: { code: IssueCode; message: string };
  /** Every issue found, errors and warnings, when there is more to say than the first error. */
  issues?: Issue[];
}

export interface ErrorResponseOptions {
  issues?: readonly Issue[];
  headers?: HeadersInit;
  /**
   * NuGet clients print only the status line of a failed request, so the sentence goes there too
   * (true), or the given text when there is more to say than the one sentence.
   */
  reasonPhrase?: boolean | string;
}

// nuget.org collapses the phrase to one line and cuts it at 512 characters.
const MAX_REASON_PHRASE_LENGTH = 512;

const ASCII_LOOKALIKES: Readonly<Record<string, string>> = {
  "\u2018": "'",
  "\u2019": "'",
  "\u201C": '"',
  "\u201D": '"',
  "\u2013": "-",
  "\u2014": "-",
  "\u2026": "...",
  "\u2192": "->",
};

/**
 * A sentence made safe for an HTTP reason phrase or header value: one line of printable ASCII
 * (Node refuses anything else there), typographic punctuation spelled in ASCII, accents
 * dropped, other characters shown as "?".
 */
export function asciiHeaderText(text: string, maxLength = MAX_REASON_PHRASE_LENGTH): string {
  const ascii = text
    .normalize("NFKD")
    .replace(/\p{Mn}/gu, "")
    .replace(/[^\x20-\x7E]/gu, (character) => (/\s/u.test(character) ? " " : (ASCII_LOOKALIKES[character] ?? "?")))
    .replace(/ {2,}/g, " ")
    .trim();
  return ascii.length > maxLength ? `${ascii.slice(0, maxLength - 3)}...` : ascii;
}

export function issuesFromZod(error: ZodError): Issue[] {
  return error.issues.map((issue) => ({
    code: "INVALID_FIELD",
    level: "error",
    message: issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
  }));
}

/** A refusal with this code and sentence; the status is the code's. */
export function jsonError(code: ErrorCode, message: string, options: ErrorResponseOptions = {}): Response {
  const body: ErrorBody = { error: { code, message }, ...(options.issues ? { issues: [...options.issues] } : {}) };
  return Response.json(body, {
    status: statusOf(code),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.reasonPhrase
      ? { statusText: typeof options.reasonPhrase === "string" ? options.reasonPhrase : asciiHeaderText(message) }
      : {}),
  });
}

/** The refusal of an operation that found these issues: the first error decides, every issue travels along. */
export function issuesRefusal(
  issues: readonly Issue[],
  fallback: ErrorIssue,
  options: Omit<ErrorResponseOptions, "issues"> = {},
): Response {
  const first = issues.find(isErrorIssue) ?? fallback;
  return jsonError(first.code, first.message, { ...options, issues });
}

function logServerFault(caught: unknown): string {
  const reference = randomUUID();
  console.error(`[signet] server fault ${reference}`, caught);
  return reference;
}

export function errorResponse(caught: unknown, options: Omit<ErrorResponseOptions, "issues"> = {}): Response {
  if (caught instanceof IssueError) {
    if (isClientFault(caught.code)) return jsonError(caught.code, caught.message, options);
    // The gallery's own fault (or a service it depends on): keep the detail in the log.
    return jsonError(caught.code, `${caught.message} (reference ${logServerFault(caught)})`, options);
  }
  if (caught instanceof ZodError) {
    const issues = issuesFromZod(caught);
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more; see issues)` : "";
    const first = issues[0]?.message.replace(/\.$/, "") ?? "see issues";
    return jsonError("INVALID_REQUEST", `The request is not valid: ${first}${more}.`, { ...options, issues });
  }
  if (isDatabaseBusy(caught)) {
    // Nothing was written, and the same request may well succeed in a moment: say so, not "fault".
    return jsonError(
      "DATABASE_BUSY",
      `The gallery's database is busy with other changes; nothing was saved. Try again in a few seconds (reference ${logServerFault(caught)}).`,
      { ...options, headers: { ...Object.fromEntries(new Headers(options.headers)), "Retry-After": "5" } },
    );
  }
  // Anything else is our fault: log the detail with a reference a person can quote.
  return jsonError(
    "INTERNAL_ERROR",
    `Something went wrong on our side (reference ${logServerFault(caught)}).`,
    options,
  );
}

/** Wraps a route handler so every thrown error becomes a proper JSON error response. */
export function withErrorHandling<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
  options: Omit<ErrorResponseOptions, "issues"> = {},
): (...args: Args) => Promise<Response> {
  return async (...args: Args) => {
    try {
      return await handler(...args);
    } catch (caught) {
      return errorResponse(caught, options);
    }
  };
}
