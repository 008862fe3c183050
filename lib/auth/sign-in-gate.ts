// Runs in front of next-auth's credentials callback, so a throttled sign-in is answered 429 and a
// shed one 503, with Retry-After (next-auth itself can only answer 401), costing no password hash. The
// same checks run again inside the credentials provider (lib/auth/accounts.ts), which is what
// decides; this only answers early and properly.
import type { ConcurrencyGate } from "@/lib/auth/hashing-gate";
import { accountKey, type SignInThrottle } from "@/lib/auth/throttle";
import { clientAddress } from "@/lib/http/client-address";
import type { ErrorBody } from "@/lib/http/errors";
import { statusOf } from "@/lib/issues";

/** The email typed in a sign-in form (URL-encoded, as next-auth's client sends it). */
function typedEmail(request: Request, form: string): string {
  const type = request.headers.get("content-type") ?? "";
  return type.startsWith("application/x-www-form-urlencoded") ? accountKey(new URLSearchParams(form).get("email")) : "";
}

/** The answer for a sign-in that must wait, or null to let next-auth handle it. */
export function refuseThrottledSignIn(
  request: Request,
  form: string,
  { throttle, hashing }: { throttle: SignInThrottle; hashing: ConcurrencyGate },
): Response | null {
  const address = clientAddress(request.headers);
  const decision = throttle.checkSignIn(address, typedEmail(request, form));
  const code = !decision.allowed ? "SIGN_IN_THROTTLED" : hashing.saturated ? "SIGN_IN_BUSY" : null;
  if (!code) return null;
  const retryAfterSeconds = decision.allowed ? 1 : decision.retryAfterSeconds;
  const message =
    code === "SIGN_IN_BUSY"
      ? "The gallery is busy checking other sign-ins. Try again in a moment."
      : `Too many sign-in attempts for this account or from your network. Try again in ${retryAfterSeconds} seconds.`;
  // The shared error body, plus the `url` next-auth's signIn() reads the error code from.
  const url = new URL(`/signin?error=${code}`, request.url).toString();
  const body: ErrorBody & { url: string } = { url, error: { code, message } };
  return Response.json(body, {
    status: statusOf(code),
    headers: { "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store" },
  });
}
