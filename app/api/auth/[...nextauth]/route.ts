import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/web/auth-options";
import { refuseThrottledSignIn } from "@/lib/auth/sign-in-gate";
import { readBodyText } from "@/lib/http/body";
import { errorResponse } from "@/lib/http/errors";
import { services } from "@/lib/services";

type AuthContext = { params: Promise<{ nextauth: string[] }> };

// next-auth serves /api/auth/* (csrf, session, callback, signout...). The options are built on
// the first request rather than at import, because they read the session secret from ./data.
function GET(request: NextRequest, context: AuthContext): Promise<Response> {
  return NextAuth(request, context, authOptions());
}

// next-auth would buffer a form of any size (a 200 MB credentials POST raised memory by
// 600 MB), so the form is read here within the gallery's body limit and handed on. Password
// sign-ins pass the throttle first (lib/auth/sign-in-gate.ts).
async function POST(request: NextRequest, context: AuthContext): Promise<Response> {
  let form: string;
  try {
    form = await readBodyText(request);
  } catch (error) {
    return errorResponse(error);
  }
  if ((await context.params).nextauth.join("/") === "callback/credentials") {
    const refusal = refuseThrottledSignIn(request, form, {
      throttle: services.signInThrottle,
      hashing: services.hashingGate,
    });
    if (refusal) return refusal;
  }
  const limited = new NextRequest(request.url, { method: "POST", headers: request.headers, body: form });
  return NextAuth(limited, context, authOptions());
}

export { GET, POST };
