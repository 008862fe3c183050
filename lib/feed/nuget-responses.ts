// Answers in the shape NuGet clients read. `dotnet nuget push` prints only the status code and
// the HTTP reason phrase of a failed request, so the gallery's sentence goes into the reason
// phrase (as nuget.org does) as well as into the shared JSON error body for other callers.
// Statuses come from the issue catalogue, the same as for every other route.
// Warnings of an accepted push travel as X-NuGet-Warning headers, which the client prints.
import { asciiHeaderText, issuesRefusal, withErrorHandling } from "@/lib/http/errors";
import { error, type Issue } from "@/lib/issues";

/** The refusal of a NuGet request: status by the first error's code, its sentence as the reason phrase. */
export function nugetRefusal(issues: readonly Issue[]): Response {
  return issuesRefusal(issues, error("REQUEST_REFUSED", "The gallery refused the request."), { reasonPhrase: true });
}

/** X-NuGet-Warning headers for the warnings among the issues, one per warning. */
export function nugetWarningHeaders(issues: readonly Issue[]): Headers {
  const headers = new Headers();
  for (const issue of issues) {
    if (issue.level === "warning") headers.append("X-NuGet-Warning", asciiHeaderText(`${issue.code}: ${issue.message}`));
  }
  return headers;
}

/** withErrorHandling for the endpoints NuGet clients call: every refusal's sentence is also its reason phrase. */
export function withNuGetErrorHandling<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
): (...args: Args) => Promise<Response> {
  return withErrorHandling(handler, { reasonPhrase: true });
}
