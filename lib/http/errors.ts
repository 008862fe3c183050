// The one place where failures become HTTP responses. Route handlers throw IssueError (or let
// zod throw) and wrap themselves in `withErrorHandling`; clients always get
// `{ error: { code, message }, issues? }` with a 4xx, and never a stack trace.
import { randomUUID } from "node:crypto";
import { ZodError } from "zod";
import { IssueError, type Issue } from "@/lib/issues";

export interface ErrorBody {
  error: { code: string; message: string };
  issues?: Issue[];
}

// Codes with a status of their own; everything else an IssueError carries is a 400. Codes
// named by the conventions in `statusForCode` need no entry here.
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CROSS_SITE_REQUEST: 403,
  SECOND_FACTOR_REQUIRED: 403,
  STEP_UP_REQUIRED: 403,
  SIGN_IN_THROTTLED: 429,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
};

export function statusForCode(code: string): number {
  const exact = STATUS_BY_CODE[code];
  if (exact) return exact;
  if (code.endsWith("_NOT_FOUND")) return 404;
  if (code.endsWith("_FORBIDDEN")) return 403;
  if (code.endsWith("_CONFLICT") || code.endsWith("_EXISTS") || code.endsWith("_TAKEN")) return 409;
  if (code.endsWith("_TOO_LARGE")) return 413;
  return 400;
}

export function issuesFromZod(error: ZodError): Issue[] {
  return error.issues.map((issue) => ({
    code: "INVALID_FIELD",
    level: "error",
    message: issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
  }));
}

export function jsonError(status: number, code: string, message: string, issues?: Issue[]): Response {
  const body: ErrorBody = { error: { code, message }, ...(issues ? { issues } : {}) };
  return Response.json(body, { status });
}

export function errorResponse(error: unknown): Response {
  if (error instanceof IssueError) {
    return jsonError(statusForCode(error.code), error.code, error.message);
  }
  if (error instanceof ZodError) {
    return jsonError(400, "INVALID_REQUEST", "The request is not valid; see issues for each field.", issuesFromZod(error));
  }
  // Anything else is our fault: log the detail with a reference a person can quote.
  const reference = randomUUID();
  console.error(`[signet] unexpected error ${reference}`, error);
  return jsonError(500, "INTERNAL_ERROR", `Something went wrong on our side (reference ${reference}).`);
}

/** Wraps a route handler so every thrown error becomes a proper JSON error response. */
export function withErrorHandling<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
): (...args: Args) => Promise<Response> {
  return async (...args: Args) => {
    try {
      return await handler(...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
