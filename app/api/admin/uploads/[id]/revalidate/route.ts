// Judges a refused upload again with today's rules, owners, certificates and trust; publishes it
// if it now passes. Either verdict is a successful review, answered with 200 and the outcome.
import { getDb, getStorage, services } from "@/lib/services";
import { revalidateAttempt } from "@/lib/uploads";
import { adminJson, adminRoute } from "@/lib/admin/route";
import { outcomeMessage } from "@/lib/admin/uploads";

export const dynamic = "force-dynamic";

export const POST = adminRoute<{ id: string }>(async (_request, admin, { id }) => {
  const outcome = await revalidateAttempt(getDb(), getStorage(), id, { ...services.judging(), reviewerId: admin.id });
  return adminJson({ outcome, message: outcomeMessage(outcome) });
});
