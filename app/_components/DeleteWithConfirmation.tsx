"use client";
// The one way an account page deletes something it lists (a certificate, a signer identity, a
// trusted-publishing policy, an API key): a red button, then a ConfirmDialog saying what will
// happen, then DELETE through the step-up fetch (routes that need a recent second factor ask for
// it), and the server's refusal shown in the dialog if it refuses.
import { useState, type ReactNode } from "react";
import { ConfirmDialog } from "@/app/_components/ConfirmDialog";
import { failureSummary, readResponseJson } from "@/app/_components/api-errors";
import { useStepUpFetch } from "@/app/_components/StepUp";

const WORDS = {
  remove: { button: "Remove", label: "Confirm removal", confirm: "Yes, remove it" },
  revoke: { button: "Revoke", label: "Confirm revocation", confirm: "Yes, revoke it" },
} as const;

export interface DeleteWithConfirmationProps {
  /** The resource's URL; DELETE is sent to it. */
  url: string;
  action: keyof typeof WORDS;
  /** What deleting will do, in a sentence or two. */
  children: ReactNode;
  /** Called with the response body once the server has deleted it. */
  onDeleted: (body: unknown) => void;
}

export function DeleteWithConfirmation({ url, action, children, onDeleted }: DeleteWithConfirmationProps) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stepUpFetch = useStepUpFetch();
  const words = WORDS[action];

  async function confirm() {
    const response = await stepUpFetch(url, { method: "DELETE" });
    const body = await readResponseJson(response);
    if (!response.ok) {
      setError(failureSummary(response.status, body));
      return;
    }
    setConfirming(false);
    onDeleted(body);
  }

  return confirming ? (
    <ConfirmDialog
      label={words.label}
      confirmLabel={words.confirm}
      cancelLabel="Keep it"
      onConfirm={confirm}
      onCancel={() => setConfirming(false)}
      error={error}
    >
      {children}
    </ConfirmDialog>
  ) : (
    <button type="button" onClick={() => setConfirming(true)} className="text-sm text-red-700 hover:underline">
      {words.button}
    </button>
  );
}
