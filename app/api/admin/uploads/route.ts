// Uploads for review: GET with the console's filters (?code=&packageId=&uploader=&from=&to=&status=&page=).
import { getDb } from "@/lib/services";
import { adminJson, adminRoute } from "@/lib/admin/route";
import { listUploadsForReview } from "@/lib/admin/uploads";

export const dynamic = "force-dynamic";

export const GET = adminRoute(async (request) => {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  return adminJson(await listUploadsForReview(getDb(), params));
});
