"use client";
// One click from a refusal for SIGNER_NOT_REGISTERED to a registered certificate: the signer's
// fingerprint (read from the refused package's own signature) is registered on the person's
// account, asking for a second factor first when the session needs one (StepUp).
import Link from "next/link";
import { useState } from "react";
import { useStepUpFetch } from "@/app/_components/StepUp";
import { errorMessageOf } from "@/app/_components/api-errors";

type State = { kind: "idle" | "busy" | "done" } | { kind: "failed"; message: string };

export function RegisterCertificateButton({ fingerprint, then }: { fingerprint: string; then: string }) {
  const stepUpFetch = useStepUpFetch();
  const [state, setState] = useState<State>({ kind: "idle" });

  async function register() {
    setState({ kind: "busy" });
    try {
      const response = await stepUpFetch("/api/account/certificates", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ fingerprint }),
      });
      if (response.ok) return setState({ kind: "done" });
      setState({
        kind: "failed",
        message: await errorMessageOf(response, "The certificate could not be registered; try again."),
      });
    } catch {
      setState({ kind: "failed", message: "The request failed; check your connection and try again." });
    }
  }

  if (state.kind === "done") {
    return (
      <p role="status" className="mt-2 text-sm">
        Registered on your account. {then} (<Link href="/account/certificates">your certificates</Link>)
      </p>
    );
  }
  return (
    <span className="mt-2 flex flex-wrap items-center gap-2">
      <button
        type="button"
        onClick={() => void register()}
        disabled={state.kind === "busy"}
        className="rounded bg-brand px-3 py-1 text-sm text-white hover:bg-brand-dark disabled:opacity-50"
      >
        Register this certificate
      </button>
      {state.kind === "failed" ? (
        <span role="alert" className="text-sm">
          {state.message}
        </span>
      ) : null}
    </span>
  );
}
