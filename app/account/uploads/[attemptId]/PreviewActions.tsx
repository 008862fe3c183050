"use client";
// A preview left on My uploads can still be finished: submitted (judged again, like on the
// upload page) when nothing blocks it, or cancelled. The page then shows the new state.

import { useRouter } from "next/navigation";
import { useState } from "react";
import { IssueList } from "@/app/_components/IssueList";
import { cancelPreview, submitPreview, UploadRequestError } from "@/app/upload/upload-client";
import type { Issue } from "@/lib/issues";

export function PreviewActions({ attemptId, blocked }: { attemptId: string; blocked: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Issue[]>([]);

  async function act(action: () => Promise<unknown>, then: () => void) {
    setBusy(true);
    try {
      await action();
      then();
    } catch (failure) {
      setProblems(
        failure instanceof UploadRequestError
          ? failure.issues
          : [{ code: "REQUEST_FAILED", level: "error", message: "The request failed; try again." }],
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-3">
        <button
          type="button"
          disabled={blocked || busy}
          onClick={() =>
            void act(
              () => submitPreview(attemptId),
              () => router.refresh(),
            )
          }
          className="rounded bg-brand px-4 py-2 text-white hover:bg-brand-dark disabled:cursor-not-allowed disabled:opacity-50"
        >
          Submit
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            void act(
              () => cancelPreview(attemptId),
              () => router.push("/account/uploads"),
            )
          }
          className="rounded border border-slate-300 px-4 py-2"
        >
          Cancel upload
        </button>
      </div>
      <IssueList issues={problems} label="Problems" />
    </div>
  );
}
