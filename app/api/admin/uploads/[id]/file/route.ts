// Downloads a refused upload's kept file, streamed from storage (admins only: it was refused).
import { getDb, getStorage } from "@/lib/services";
import { adminRoute } from "@/lib/admin/route";
import { openQuarantinedFile } from "@/lib/admin/uploads";

export const dynamic = "force-dynamic";

export const GET = adminRoute<{ id: string }>(async (_request, _admin, { id }) => {
  const file = await openQuarantinedFile(getDb(), getStorage(), id);
  return new Response(file.body, {
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(file.size),
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "no-store",
    },
  });
});
