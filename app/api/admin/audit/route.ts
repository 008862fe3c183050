// The audit log, newest first; ?action= narrows it to one action.
import { getDb } from "@/lib/services";
import { listAuditEntries } from "@/lib/audit";
import { adminJson, adminRoute } from "@/lib/admin/route";

export const dynamic = "force-dynamic";

export const GET = adminRoute(async (request) => {
  const action = new URL(request.url).searchParams.get("action") || undefined;
  return adminJson({ entries: await listAuditEntries(getDb(), { action }) });
});
