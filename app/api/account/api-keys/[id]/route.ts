// Revokes one of the signed-in user's API keys; the key stops working at once.
import { revokeApiKey } from "@/lib/api-keys/registry";
import { requireApiUser } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const DELETE = withErrorHandling(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUser(request);
  const { id } = await context.params;
  return Response.json({ apiKey: await revokeApiKey(getDb(), user.id, id) });
});
