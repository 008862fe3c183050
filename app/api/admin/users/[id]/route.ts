// Changes one account: PATCH { action: "make-admin" | "remove-admin" | "lock" | "unlock", reason }.
import { getDb } from "@/lib/services";
import { changeUser } from "@/lib/admin/users";
import { adminJson, adminRoute, readJsonBody } from "@/lib/admin/route";

export const dynamic = "force-dynamic";

export const PATCH = adminRoute<{ id: string }>(async (request, admin, { id }) =>
  adminJson(await changeUser(getDb(), admin.id, id, await readJsonBody(request))),
);
