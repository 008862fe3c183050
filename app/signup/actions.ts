"use server";

import { registerUser } from "@/lib/auth/accounts";
import type { FieldErrors } from "@/lib/auth/forms";
import { getDb } from "@/lib/db";

export type SignUpState = { ok: true } | { ok: false; fieldErrors: FieldErrors };

export async function signUpAction(formData: FormData): Promise<SignUpState> {
  const result = await registerUser(getDb(), Object.fromEntries(formData));
  return result.ok ? { ok: true } : { ok: false, fieldErrors: result.fieldErrors };
}
