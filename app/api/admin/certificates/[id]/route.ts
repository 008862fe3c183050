// One certificate: who registered it and the versions signed with it.
import { getDb } from "@/lib/services";
import { getCertificateDetail } from "@/lib/admin/certificates";
import { adminJson, adminRoute } from "@/lib/admin/route";

export const dynamic = "force-dynamic";

export const GET = adminRoute<{ id: string }>(async (_request, _admin, { id }) =>
  adminJson({ certificate: await getCertificateDetail(getDb(), id) }),
);
