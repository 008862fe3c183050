// Answers in the shape NuGet clients read. `dotnet nuget push` prints only the status code and
// the HTTP reason phrase of a failed request (plus any X-NuGet-Warning headers, as "warn :"
// lines), so every blocking reason goes into the reason phrase, most actionable first (nuget.org
// sends only the first; a hidden second reason costs the author another push), as well as into
// the shared JSON error body for other callers. Statuses come from the issue catalogue, the same
// as for every other route. Warnings travel as X-NuGet-Warning headers on any answer.
import { asciiHeaderText, jsonError, withErrorHandling } from "@/lib/http/errors";
import { byActionability, error, isErrorIssue, type ErrorIssue, type Issue } from "@/lib/issues";

// Each reason is cut at nuget.org's 512 characters; all of them together stay far below the
// client's 64 KB limit for a response head.
const MAX_REASONS_PHRASE_LENGTH = 8 * 1024;

/**
 * The reason phrase of a refusal: the one sentence, or "N problems stop this package: 1. [CODE]
 * sentence 2. …" so the person sees every reason in the one line the client prints.
 */
export function refusalReasonPhrase(errors: readonly Issue[]): string {
  if (errors.length === 1) return asciiHeaderText(errors[0]?.message ?? "");
  const numbered = errors.map((issue, index) => `${index + 1}. [${issue.code}] ${asciiHeaderText(issue.message)}`);
  return asciiHeaderText(
    `${errors.length} problems stop this package: ${numbered.join(" ")}`,
    MAX_REASONS_PHRASE_LENGTH,
  );
}

/**
 * The refusal of a NuGet request: every error, most actionable first, in the reason phrase; the
 * status by the first of them (so a version that exists stays 409, which --skip-duplicate reads).
 */
export function nugetRefusal(issues: readonly Issue[]): Response {
  const ordered = byActionability(issues);
  const errors: ErrorIssue[] = ordered.filter(isErrorIssue);
  const reasons = errors.length > 0 ? errors : [error("REQUEST_REFUSED", "The gallery refused the request.")];
  const [first] = reasons as [ErrorIssue, ...ErrorIssue[]];
  return jsonError(first.code, first.message, {
    issues: ordered,
    headers: nugetWarningHeaders(ordered),
    reasonPhrase: refusalReasonPhrase(reasons),
  });
}

/** X-NuGet-Warning headers for the warnings among the issues, one per warning. */
export function nugetWarningHeaders(issues: readonly Issue[]): Headers {
  const headers = new Headers();
  for (const issue of issues) {
    if (issue.level === "warning")
      headers.append("X-NuGet-Warning", asciiHeaderText(`${issue.code}: ${issue.message}`));
  }
  return headers;
}

/** withErrorHandling for the endpoints NuGet clients call: every refusal's sentence is also its reason phrase. */
export function withNuGetErrorHandling<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
): (...args: Args) => Promise<Response> {
  return withErrorHandling(handler, { reasonPhrase: true });
}
