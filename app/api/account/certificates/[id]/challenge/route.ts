// A new one-time proof-of-possession challenge for one of the user's certificate registrations.
import { requireApiUser } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { withErrorHandling } from "@/lib/http/errors";
import { issueChallenge } from "@/lib/identity/possession";

export const dynamic = "force-dynamic";

export const POST = withErrorHandling(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireApiUser(request);
  const { id } = await context.params;
  const challenge = await issueChallenge(getDb(), user.id, { registrationId: id });
  return Response.json({ challenge }, { status: 201, headers: { "Cache-Control": "no-store" } });
});
