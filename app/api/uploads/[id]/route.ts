// Cancelling a preview from the upload page. Nothing was decided about it, so unlike a refused
// upload nothing is kept for review: the row and its pending file go, as stale previews do.
import { requireApiUser } from "@/lib/auth/session";
import { getDb, type Db } from "@/lib/db";
import { withErrorHandling } from "@/lib/http/errors";
import { IssueError } from "@/lib/issues";
import { getStorage, type PackageStorage } from "@/lib/storage";
import { getUploadAttempt } from "@/lib/uploads";

export const dynamic = "force-dynamic";

function notFound(): IssueError {
  return new IssueError("UPLOAD_NOT_FOUND", "There is no such upload waiting to be submitted.");
}

async function cancelPreview(db: Db, storage: PackageStorage, attemptId: string, uploaderId: string): Promise<void> {
  const attempt = await getUploadAttempt(db, attemptId);
  // Someone else's upload is answered like a missing one, so ids cannot be probed.
  if (!attempt || attempt.uploaderId !== uploaderId) throw notFound();
  const { count } = await db.uploadAttempt.deleteMany({ where: { id: attemptId, status: "PREVIEW" } });
  if (count === 0) throw new IssueError("UPLOAD_ATTEMPT_CONFLICT", "This upload was already submitted, so it can no longer be cancelled.");
  if (attempt.storageKey) await storage.delete(attempt.storageKey);
}

export const DELETE = withErrorHandling(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUser();
  const { id } = await context.params;
  await cancelPreview(getDb(), getStorage(), id, user.id);
  return new Response(null, { status: 204 });
});
