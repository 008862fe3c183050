// Cancelling a preview from the upload page: its row and pending file go. Someone else's
// upload is answered like a missing one, so ids cannot be probed.
import { requireApiUser } from "@/lib/web/session";
import { getDb, getStorage } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { cancelPreview } from "@/lib/uploads";

export const dynamic = "force-dynamic";

export const DELETE = withErrorHandling(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUser(request);
  const { id } = await context.params;
  await cancelPreview(getDb(), getStorage(), id, { uploaderId: user.id });
  return new Response(null, { status: 204 });
});
