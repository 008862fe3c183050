// The one way admin API routes are written: the admin check comes first and cannot be left
// out, errors become JSON through lib/http/errors, and bodies are read leniently (an empty
// body is an empty object, so DELETE works with or without a reason).
import { requireApiAdmin, type CurrentUser } from "@/lib/auth/session";
import { withErrorHandling } from "@/lib/http/errors";
import { IssueError } from "@/lib/issues";

export interface AdminRouteContext<Params> {
  params: Promise<Params>;
}

type AdminHandler<Params> = (request: Request, admin: CurrentUser, params: Params) => Promise<Response>;

export function adminRoute<Params = Record<string, never>>(handler: AdminHandler<Params>) {
  return withErrorHandling(async (request: Request, context: AdminRouteContext<Params>) => {
    const admin = await requireApiAdmin(request);
    return handler(request, admin, await context.params);
  });
}

/** The JSON body as an object; an empty body is `{}`. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new IssueError("INVALID_REQUEST", "The request body must be a JSON object.");
  }
}

/** Responses carry what admins see right now; nothing is cached. */
export function adminJson(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}
