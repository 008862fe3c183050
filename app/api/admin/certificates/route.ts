// Certificate search: ?q= takes a SHA-256 fingerprint in any format, or part of a subject.
import { getDb } from "@/lib/services";
import { searchCertificates } from "@/lib/admin/certificates";
import { adminJson, adminRoute } from "@/lib/admin/route";

export const dynamic = "force-dynamic";

export const GET = adminRoute(async (request) => {
  const query = new URL(request.url).searchParams.get("q") ?? "";
  return adminJson({ certificates: await searchCertificates(getDb(), query) });
});
