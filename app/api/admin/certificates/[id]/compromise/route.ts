// The compromise mark: PUT { compromisedAt, reason } sets it, DELETE { reason? } clears it.
import { getDb } from "@/lib/db";
import { clearCertificateCompromised, markCertificateCompromised } from "@/lib/admin/certificates";
import { adminJson, adminRoute, readJsonBody } from "@/lib/admin/route";

export const dynamic = "force-dynamic";

export const PUT = adminRoute<{ id: string }>(async (request, admin, { id }) =>
  adminJson(await markCertificateCompromised(getDb(), admin.id, id, await readJsonBody(request))),
);

export const DELETE = adminRoute<{ id: string }>(async (request, admin, { id }) =>
  adminJson(await clearCertificateCompromised(getDb(), admin.id, id, await readJsonBody(request))),
);
