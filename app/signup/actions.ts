"use server";

import { headers } from "next/headers";
import { registerUser } from "@/lib/auth/accounts";
import type { FieldErrors } from "@/lib/auth/forms";
import { HashingBusyError } from "@/lib/auth/hashing-gate";
import { clientAddress } from "@/lib/http/client-address";
import { getDb, services } from "@/lib/services";

/** Never says whether the email already had an account (lib/auth/accounts.ts registerUser). */
export type SignUpState = { ok: true } | { ok: false; fieldErrors: FieldErrors; formError?: string };

export async function signUpAction(formData: FormData): Promise<SignUpState> {
  const admitted = services.signInThrottle.admitSignUp(clientAddress(await headers()));
  if (!admitted.allowed) {
    const minutes = Math.ceil(admitted.retryAfterSeconds / 60);
    return {
      ok: false,
      fieldErrors: {},
      formError: `Too many accounts were created from your network recently. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    };
  }
  try {
    const result = await registerUser(getDb(), Object.fromEntries(formData), services.hashingGate);
    return result.ok ? { ok: true } : { ok: false, fieldErrors: result.fieldErrors };
  } catch (error) {
    if (error instanceof HashingBusyError)
      return { ok: false, fieldErrors: {}, formError: "The gallery is busy right now. Try again in a moment." };
    throw error;
  }
}
