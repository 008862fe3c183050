// The signed-in user's API keys. POST creates one and answers with its secret, the only time
// the secret ever leaves the server.
import { ApiKeyCreation } from "@/lib/api-keys/request";
import { createApiKey, listApiKeys } from "@/lib/api-keys/registry";
import { requireApiUser, requireApiUserWithSecondFactor } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async (request: Request) => {
  const user = await requireApiUser(request);
  return Response.json({ apiKeys: await listApiKeys(getDb(), user.id) }, { headers: { "Cache-Control": "no-store" } });
});

export const POST = withErrorHandling(async (request: Request) => {
  const user = await requireApiUserWithSecondFactor(request);
  const creation = ApiKeyCreation.parse(
    await readJsonBody(
      request,
      'The request body must be JSON: { "name", "scopes": ["push" | "push-version" | "unlist"], "packageGlob", "expiresInDays" }.',
    ),
  );
  return Response.json(await createApiKey(getDb(), user.id, creation), {
    status: 201,
    headers: { "Cache-Control": "no-store" },
  });
});
