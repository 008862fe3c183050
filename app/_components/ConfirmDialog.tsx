// An inline "are you sure?" panel for actions that cannot be undone (revoking a key, removing a
// certificate): what will happen, a confirm button and a way back, and the server's refusal if any.
import type { ReactNode } from "react";

export interface ConfirmDialogProps {
  /** The dialog's accessible name, e.g. "Confirm revocation". */
  label: string;
  /** What confirming will do, in a sentence or two. */
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  error?: string | null;
}

export function ConfirmDialog({
  label,
  children,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
  error,
}: ConfirmDialogProps) {
  return (
    <div
      role="alertdialog"
      aria-label={label}
      className="space-y-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm"
    >
      <p>{children}</p>
      <div className="flex gap-2">
        <button type="button" onClick={onConfirm} className="rounded bg-red-700 px-3 py-1 text-white hover:bg-red-800">
          {confirmLabel}
        </button>
        <button type="button" onClick={onCancel} className="rounded border border-slate-300 px-3 py-1">
          {cancelLabel}
        </button>
      </div>
      {error ? <p role="alert">{error}</p> : null}
    </div>
  );
}
