"use server";

import { getCurrentUser } from "@/lib/web/session";
import { setRequiredSigner } from "@/lib/certificates/required-signer";
import { getDb } from "@/lib/services";
import { IssueError } from "@/lib/issues";

export type RequiredSignerState =
  { saved: false; error: string | null } | { saved: true; requiredSignerId: string | null; policySentence: string };

/** The select's value: "" for any owner, otherwise the owner's user id. */
export async function saveRequiredSigner(
  packageId: string,
  _previous: RequiredSignerState,
  formData: FormData,
): Promise<RequiredSignerState> {
  const user = await getCurrentUser();
  if (!user) return { saved: false, error: "Your session has ended; sign in again to change this setting." };
  const choice = formData.get("requiredSigner");
  const signerId = typeof choice === "string" && choice !== "" ? choice : null;
  try {
    const setting = await setRequiredSigner(getDb(), packageId, user, signerId);
    return { saved: true, requiredSignerId: setting.requiredSignerId, policySentence: setting.policySentence };
  } catch (caught) {
    if (caught instanceof IssueError) return { saved: false, error: caught.message };
    throw caught;
  }
}
