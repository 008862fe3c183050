// Publishes a previewed upload. The pipeline judges it again (owners, certificates and
// reservations may have changed since the preview); a refusal answers with the status its
// first error calls for, in the shared error shape with every issue.
import { requireApiUser } from "@/lib/web/session";
import { getDb, getStorage, services } from "@/lib/services";
import { issuesRefusal, withErrorHandling } from "@/lib/http/errors";
import { error } from "@/lib/issues";
import { submitPreview, type UploadOutcome } from "@/lib/uploads";

export const dynamic = "force-dynamic";

function outcomeResponse(outcome: UploadOutcome): Response {
  if (outcome.status === "accepted") return Response.json(outcome, { status: 201 });
  return issuesRefusal(outcome.issues, error("UPLOAD_REFUSED", "The package was refused."));
}

export const POST = withErrorHandling(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUser(request);
  const { id } = await context.params;
  return outcomeResponse(
    await submitPreview(getDb(), getStorage(), id, { ...services.judging(), uploaderId: user.id }),
  );
});
