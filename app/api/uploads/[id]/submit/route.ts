// Publishes a previewed upload. The pipeline judges it again (owners, certificates and
// reservations may have changed since the preview); a refusal answers with the status its
// first error calls for, in the shared error shape with every issue.
import { requireApiUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { issuesRefusal, withErrorHandling } from "@/lib/http/errors";
import { error } from "@/lib/issues";
import { getStorage } from "@/lib/storage";
import { submitPreview, type UploadOutcome } from "@/lib/uploads";

export const dynamic = "force-dynamic";

function outcomeResponse(outcome: UploadOutcome): Response {
  if (outcome.status === "accepted") return Response.json(outcome, { status: 201 });
  return issuesRefusal(outcome.issues, error("UPLOAD_REFUSED", "The package was refused."));
}

export const POST = withErrorHandling(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUser(request);
  const { id } = await context.params;
  return outcomeResponse(await submitPreview(getDb(), getStorage(), id, { uploaderId: user.id }));
});
