// Removes one of the signed-in user's trusted-publishing policies (and the unused keys exchanged under it).
import { requireApiUserWithSecondFactor } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { removePolicy } from "@/lib/trusted-publishing/policies";

export const dynamic = "force-dynamic";

export const DELETE = withErrorHandling(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUserWithSecondFactor(request);
  const { id } = await context.params;
  await removePolicy(getDb(), user.id, id);
  return new Response(null, { status: 204 });
});
