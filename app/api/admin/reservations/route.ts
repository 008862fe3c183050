// Prefix reservations: GET lists them with their matching packages, POST reserves one
// ({ pattern: "Contoso.*" | "Contoso.Utils", isPublic, owners: [usernames], reason? }).
import { getDb } from "@/lib/services";
import { createReservation, listReservations } from "@/lib/admin/reservations";
import { adminJson, adminRoute, readJsonBody } from "@/lib/admin/route";

export const dynamic = "force-dynamic";

export const GET = adminRoute(async () => adminJson({ reservations: await listReservations(getDb()) }));

export const POST = adminRoute(async (request, admin) => {
  const created = await createReservation(getDb(), admin.id, await readJsonBody(request));
  return adminJson({ reservation: created, message: `'${created.display}' is reserved.` }, 201);
});
