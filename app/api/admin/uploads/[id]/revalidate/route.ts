// Judges a refused upload again with today's rules, owners, certificates and trust; publishes it
// if it now passes. Either verdict is a successful review, answered with 200 and the outcome.
import { getDb } from "@/lib/db";
import { getStorage } from "@/lib/storage";
import { revalidateAttempt } from "@/lib/uploads";
import { adminJson, adminRoute } from "@/lib/admin/route";
import { outcomeMessage } from "@/lib/admin/uploads";

export const dynamic = "force-dynamic";

export const POST = adminRoute<{ id: string }>(async (_request, admin, { id }) => {
  const outcome = await revalidateAttempt(getDb(), getStorage(), id, { reviewerId: admin.id });
  return adminJson({ outcome, message: outcomeMessage(outcome) });
});
