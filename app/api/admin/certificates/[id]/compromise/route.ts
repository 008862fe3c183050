// The compromise mark: PUT { compromisedAt, reason } sets it, DELETE { reason? } clears it.
// Either way the versions the certificate signed are then revalidated in the background.
import { getDb, services } from "@/lib/services";
import { clearCertificateCompromised, markCertificateCompromised } from "@/lib/admin/certificates";
import { adminJson, adminRoute, readJsonBody } from "@/lib/admin/route";

export const dynamic = "force-dynamic";

async function queueRevalidation(certificateId: string): Promise<void> {
  await services.getJobQueue().send("revalidate-signatures", { certificateId }, { singletonKey: certificateId });
}

export const PUT = adminRoute<{ id: string }>(async (request, admin, { id }) => {
  const outcome = await markCertificateCompromised(getDb(), admin.id, id, await readJsonBody(request));
  await queueRevalidation(id);
  return adminJson(outcome);
});

export const DELETE = adminRoute<{ id: string }>(async (request, admin, { id }) => {
  const outcome = await clearCertificateCompromised(getDb(), admin.id, id, await readJsonBody(request));
  await queueRevalidation(id);
  return adminJson(outcome);
});
