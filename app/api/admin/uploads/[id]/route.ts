// One upload: GET shows it in full; DELETE { reason } removes a refused upload's file and keeps
// the record as DELETED.
import { getDb, getStorage } from "@/lib/services";
import { deleteAttempt } from "@/lib/uploads";
import { adminJson, adminRoute, readJsonBody } from "@/lib/admin/route";
import { deleteUploadSchema, getUploadForReview } from "@/lib/admin/uploads";

export const dynamic = "force-dynamic";

export const GET = adminRoute<{ id: string }>(async (_request, _admin, { id }) =>
  adminJson({ upload: await getUploadForReview(getDb(), id) }),
);

export const DELETE = adminRoute<{ id: string }>(async (request, admin, { id }) => {
  const { reason } = deleteUploadSchema.parse(await readJsonBody(request));
  await deleteAttempt(getDb(), getStorage(), id, { reviewerId: admin.id, reason });
  return adminJson({ message: "The upload's file is deleted; the record stays in the list as deleted." });
});
