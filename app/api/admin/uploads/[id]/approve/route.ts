// Publishes a refused upload despite its issues: POST { reason } (required, kept in the audit log).
import { getDb, getStorage, services } from "@/lib/services";
import { approveAttempt } from "@/lib/uploads";
import { adminJson, adminRoute, readJsonBody } from "@/lib/admin/route";
import { approveUploadSchema, outcomeMessage } from "@/lib/admin/uploads";

export const dynamic = "force-dynamic";

export const POST = adminRoute<{ id: string }>(async (request, admin, { id }) => {
  const { reason } = approveUploadSchema.parse(await readJsonBody(request));
  const outcome = await approveAttempt(getDb(), getStorage(), id, {
    ...services.judging(),
    reviewerId: admin.id,
    reason,
  });
  return adminJson({ outcome, message: outcomeMessage(outcome) });
});
