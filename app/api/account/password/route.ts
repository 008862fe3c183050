// POST { currentPassword, newPassword }: changes the signed-in user's password; every other
// session of the account ends.
import { changePassword } from "@/lib/auth/accounts";
import { requireApiUser } from "@/lib/web/session";
import { clientAddress } from "@/lib/http/client-address";
import { getDb, services } from "@/lib/services";
import { readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export const POST = withErrorHandling(async (request: Request) => {
  const user = await requireApiUser(request);
  await changePassword(
    getDb(),
    user,
    await readJsonBody(request, 'The request body must be JSON: { "currentPassword", "newPassword" }.'),
    {
      address: clientAddress(request.headers),
      throttle: services.signInThrottle,
      hashing: services.hashingGate,
    },
  );
  return Response.json({
    message: "Your password is changed. Other browsers signed in to your account have been signed out.",
  });
});
