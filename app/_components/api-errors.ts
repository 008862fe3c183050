// The browser's side of the one JSON error body every API route answers (lib/http/errors.ts):
// a failed call's sentence or its issues, and a sentence naming the status when the answer is
// not that body (a proxy's error page, an empty body after a dropped connection).
import type { ErrorBody } from "@/lib/http/errors";
import type { Issue } from "@/lib/issues";

export function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== "object" || body === null || !("error" in body)) return false;
  const { error } = body as { error: unknown };
  return typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string";
}

/** The answer's body as JSON, or null when it is not JSON. */
export async function readResponseJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** Every issue an error body lists; its one error as an issue when it lists none. */
export function issuesOf(body: ErrorBody): Issue[] {
  return body.issues ?? [{ code: body.error.code, level: "error", message: body.error.message }];
}

/** The issues a failed answer lists; one naming the status when the answer is not an error body. */
export function failureIssues(status: number, body: unknown): Issue[] {
  return isErrorBody(body)
    ? issuesOf(body)
    : [{ code: "INTERNAL_ERROR", level: "error", message: failureMessage(status, body) }];
}

/** Every sentence of a failed answer, in one line. */
export function failureSummary(status: number, body: unknown): string {
  return failureIssues(status, body)
    .map((issue) => issue.message)
    .join(" ");
}

/** What a failed answer says: the error body's sentence, or `fallback`. */
export function failureMessage(
  status: number,
  body: unknown,
  fallback = `The server answered ${status} without an explanation; try again.`,
): string {
  return isErrorBody(body) ? body.error.message : fallback;
}

/** Reads a failed answer and returns its sentence (or `fallback`). */
export async function errorMessageOf(response: Response, fallback?: string): Promise<string> {
  return failureMessage(response.status, await readResponseJson(response), fallback);
}
