// The one way admin API routes are written: the admin check comes first and cannot be left
// out, errors become JSON through lib/http/errors, and bodies are read leniently (an empty
// body is an empty object, so DELETE works with or without a reason).
import { requireApiAdmin, type CurrentUser } from "@/lib/web/session";
import { withErrorHandling } from "@/lib/http/errors";
import { readJsonBody as readLimitedJson } from "@/lib/http/body";

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

/** The JSON body (at most 64 KiB); an empty body is `{}`. */
export function readJsonBody(request: Request): Promise<unknown> {
  return readLimitedJson(request, "The request body must be a JSON object.", { emptyAs: {} });
}

/** Responses carry what admins see right now; nothing is cached. */
export function adminJson(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}
