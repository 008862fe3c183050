"use client";

import { useActionState } from "react";
import type { RequiredSignerSetting } from "@/lib/certificates/required-signer";
import { saveRequiredSigner, type RequiredSignerState } from "./actions";

export function RequiredSignerForm({ setting }: { setting: RequiredSignerSetting }) {
  const [state, formAction, pending] = useActionState(saveRequiredSigner.bind(null, setting.packageId), {
    saved: false,
    error: null,
  } as RequiredSignerState);
  const sentence = state.saved ? state.policySentence : setting.policySentence;
  const current = state.saved ? state.requiredSignerId : setting.requiredSignerId;
  return (
    <form action={formAction} aria-label="Required signer" className="space-y-3">
      <label htmlFor="required-signer" className="block text-sm font-medium">
        Packages may be signed with
      </label>
      <select
        id="required-signer"
        name="requiredSigner"
        defaultValue={current ?? ""}
        className="rounded border border-slate-300 px-3 py-2"
      >
        <option value="">Any owner&apos;s registered certificate</option>
        {setting.owners.map((owner) => (
          <option key={owner.userId} value={owner.userId}>
            Only certificates registered to {owner.username}
          </option>
        ))}
      </select>
      <div>
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-brand px-4 py-2 text-white hover:bg-brand-dark disabled:opacity-50"
        >
          Save
        </button>
      </div>
      <p role="status" className="text-sm text-slate-700">
        {state.saved ? "Saved. " : ""}
        {sentence}
      </p>
      {!state.saved && state.error ? (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
