// One prefix reservation: PATCH sets its owners and visibility, DELETE removes it.
import { getDb } from "@/lib/services";
import { deleteReservation, updateReservation } from "@/lib/admin/reservations";
import { adminJson, adminRoute, readJsonBody } from "@/lib/admin/route";

export const dynamic = "force-dynamic";

export const PATCH = adminRoute<{ id: string }>(async (request, admin, { id }) => {
  const { display } = await updateReservation(getDb(), admin.id, id, await readJsonBody(request));
  return adminJson({ message: `'${display}' is saved.` });
});

export const DELETE = adminRoute<{ id: string }>(async (request, admin, { id }) => {
  const { display } = await deleteReservation(getDb(), admin.id, id, await readJsonBody(request));
  return adminJson({ message: `The reservation '${display}' is deleted.` });
});
