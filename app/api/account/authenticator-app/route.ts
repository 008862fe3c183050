// The signed-in user's authenticator app. POST starts setting one up (its secret, as text and a
// QR code); PUT { code } confirms it with a code from the app and answers with recovery codes
// the first time a second factor is added; DELETE removes it (after a recent second factor).
import QRCode from "qrcode";
import { z } from "zod";
import { beginTotpEnrolment, confirmTotpEnrolment, removeSecondFactor } from "@/lib/auth/second-factor";
import { requireApiUser, requireApiUserWithSecondFactor } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { readJsonBody } from "@/lib/http/body";
import { withErrorHandling } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

const NO_STORE = { "Cache-Control": "no-store" };

export const POST = withErrorHandling(async (request: Request) => {
  const user = await requireApiUser(request);
  const enrolment = await beginTotpEnrolment(getDb(), user);
  const qrCode = await QRCode.toDataURL(enrolment.uri, { margin: 1, width: 200 });
  return Response.json({ ...enrolment, qrCode }, { status: 201, headers: NO_STORE });
});

const Confirmation = z.strictObject({ code: z.string().max(20) });

export const PUT = withErrorHandling(async (request: Request) => {
  const user = await requireApiUser(request);
  const { code } = Confirmation.parse(
    await readJsonBody(request, 'The request body must be JSON: { "code": "123456" }.'),
  );
  return Response.json(await confirmTotpEnrolment(getDb(), user, code), { headers: NO_STORE });
});

export const DELETE = withErrorHandling(async (request: Request) => {
  const user = await requireApiUserWithSecondFactor(request);
  await removeSecondFactor(getDb(), user, { kind: "authenticator-app" });
  return new Response(null, { status: 204 });
});
