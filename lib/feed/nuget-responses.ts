// Answers in the shape NuGet clients read. `dotnet nuget push` prints only the status code and
// the HTTP reason phrase of a failed request, so the gallery's sentence goes into the reason
// phrase (as nuget.org does, reference §2.1) as well as into a JSON body for other callers.
// Warnings of an accepted push travel as X-NuGet-Warning headers, which the client prints.
import { ZodError } from "zod";
import { issuesFromZod, statusForCode, withErrorHandling } from "@/lib/http/errors";
import { error, IssueError, type Issue } from "@/lib/issues";

// Refusals NuGet clients expect with their own status: a key that does not work is 401 (the
// client then says the key is invalid or expired); a key or account that works but may not do
// this is 403. Everything else follows the gallery's shared code conventions (…_EXISTS 409,
// …_TOO_LARGE 413, …_NOT_FOUND 404, else 400).
const NUGET_STATUS_BY_CODE: Readonly<Record<string, number>> = {
  API_KEY_MISSING: 401,
  API_KEY_INVALID: 401,
  API_KEY_REVOKED: 401,
  API_KEY_EXPIRED: 401,
  ACCOUNT_LOCKED: 403,
  API_KEY_SCOPE_DENIED: 403,
  API_KEY_PACKAGE_DENIED: 403,
  PACKAGE_NOT_OWNED: 403,
  PACKAGE_ID_RESERVED: 403,
};

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

export function nugetStatusForCode(code: string): number {
  return NUGET_STATUS_BY_CODE[code] ?? statusForCode(code);
}

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

export interface NuGetErrorBody {
  code: string;
  message: string;
  issues: Issue[];
}

/** The refusal of a NuGet request: status by the first error's code, its sentence as the reason phrase. */
export function nugetRefusal(issues: readonly Issue[]): Response {
  const first = issues.find((issue) => issue.level === "error") ?? error("REQUEST_REFUSED", "The gallery refused the request.");
  const body: NuGetErrorBody = { code: first.code, message: first.message, issues: [...issues] };
  return Response.json(body, { status: nugetStatusForCode(first.code), statusText: asciiHeaderText(first.message) });
}

/** X-NuGet-Warning headers for the warnings among the issues, one per warning. */
export function nugetWarningHeaders(issues: readonly Issue[]): Headers {
  const headers = new Headers();
  for (const issue of issues) {
    if (issue.level === "warning") headers.append("X-NuGet-Warning", asciiHeaderText(`${issue.code}: ${issue.message}`));
  }
  return headers;
}

/** A thrown refusal as NuGet clients read it; anything else is rethrown for the shared handler. */
function nugetRefusalFor(caught: unknown): Response {
  if (caught instanceof IssueError) return nugetRefusal([caught.toIssue()]);
  if (caught instanceof ZodError) return nugetRefusal(issuesFromZod(caught));
  throw caught;
}

/** withErrorHandling for the endpoints NuGet clients call: thrown refusals become nugetRefusal answers. */
export function withNuGetErrorHandling<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
): (...args: Args) => Promise<Response> {
  return withErrorHandling((...args: Args) => handler(...args).catch(nugetRefusalFor));
}
