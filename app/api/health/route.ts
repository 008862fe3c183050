import { withErrorHandling } from "@/lib/http/errors";
import { checkHealth } from "@/lib/http/health";
import { getDb, getStorage } from "@/lib/services";

export const dynamic = "force-dynamic";

export const GET = withErrorHandling(async () => {
  const report = await checkHealth(getDb, getStorage);
  return Response.json(report, {
    status: report.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
});
