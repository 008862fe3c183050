// Deprecating versions (PUT) or taking the deprecation off (DELETE with { versions }), for a
// signed-in owner of the package (or an admin).
import { z } from "zod";
import { requireApiUser } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";
import { deprecateVersions, DeprecationRequest, undeprecateVersions } from "@/lib/packages/deprecation";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const PUT = withErrorHandling(async (request: Request, context: Context) => {
  const user = await requireApiUser(request);
  const { id } = await context.params;
  const body = DeprecationRequest.parse(
    await readJsonBody(
      request,
      'The request body must be JSON: { "versions": [...], "reasons": ["Legacy" | "CriticalBugs" | "Other"], "message"?, "alternatePackageId"?, "alternateRange"? }.',
    ),
  );
  return Response.json(await deprecateVersions(getDb(), id, user, body));
});

const Undeprecate = z.strictObject({ versions: z.array(z.string().min(1).max(200)).min(1).max(1000) });

export const DELETE = withErrorHandling(async (request: Request, context: Context) => {
  const user = await requireApiUser(request);
  const { id } = await context.params;
  const { versions } = Undeprecate.parse(
    await readJsonBody(request, 'The request body must be JSON: { "versions": [...] }.'),
  );
  return Response.json(await undeprecateVersions(getDb(), id, user, versions));
});
