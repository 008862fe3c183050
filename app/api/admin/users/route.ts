// Account search: ?q= matches username, email or display name.
import { getDb } from "@/lib/services";
import { searchUsers } from "@/lib/admin/users";
import { adminJson, adminRoute } from "@/lib/admin/route";

export const dynamic = "force-dynamic";

export const GET = adminRoute(async (request) => {
  const query = new URL(request.url).searchParams.get("q") ?? "";
  return adminJson({ users: await searchUsers(getDb(), query) });
});
