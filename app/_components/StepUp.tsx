"use client";

// Asking again for a second factor (lib/auth/second-factor.ts): sensitive API calls answer 403
// STEP_UP_REQUIRED when this session last proved one more than 15 minutes ago. Components make
// those calls with useStepUpFetch(); on that answer a dialog asks for a code or a passkey,
// proves it to /api/account/step-up, and then the call is made again, once.
import { startAuthentication } from "@simplewebauthn/browser";
import { createContext, useCallback, useContext, useRef, useState, type FormEvent, type ReactNode } from "react";
import { errorMessageOf } from "@/app/_components/api-errors";

type StepUpFetch = (input: string, init?: RequestInit) => Promise<Response>;

const StepUpContext = createContext<StepUpFetch | null>(null);

async function needsStepUp(response: Response): Promise<boolean> {
  if (response.status !== 403) return false;
  try {
    return ((await response.clone().json()) as { error?: { code?: string } }).error?.code === "STEP_UP_REQUIRED";
  } catch {
    return false;
  }
}

async function postJson(url: string, body?: unknown): Promise<Response> {
  return fetch(
    url,
    body === undefined
      ? { method: "POST" }
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
  );
}

export function StepUpProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const settle = useRef<((proved: boolean) => void) | null>(null);

  const ask = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        settle.current = resolve;
        setError(null);
        setOpen(true);
      }),
    [],
  );

  const finish = (proved: boolean) => {
    setOpen(false);
    settle.current?.(proved);
    settle.current = null;
  };

  const stepUpFetch = useCallback<StepUpFetch>(
    async (input, init) => {
      const response = await fetch(input, init);
      if (!(await needsStepUp(response))) return response;
      return (await ask()) ? fetch(input, init) : response;
    },
    [ask],
  );

  async function prove(body: unknown) {
    setBusy(true);
    const response = await postJson("/api/account/step-up", body);
    setBusy(false);
    if (response.ok) finish(true);
    else setError(await errorMessageOf(response));
  }

  function submitCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "").trim();
    if (!code) return setError("Enter the 6-digit code from your app, or a recovery code.");
    void prove({ code });
  }

  async function proveWithPasskey() {
    setError(null);
    try {
      const options = await postJson("/api/account/step-up/options");
      if (!options.ok) return setError(await errorMessageOf(options));
      const { challengeId, options: optionsJSON } = (await options.json()) as {
        challengeId: string;
        options: Parameters<typeof startAuthentication>[0]["optionsJSON"];
      };
      const response = await startAuthentication({ optionsJSON });
      await prove({ passkey: { challengeId, response } });
    } catch {
      setError("The passkey was not used. Try again, or enter a code instead.");
    }
  }

  return (
    <StepUpContext.Provider value={stepUpFetch}>
      {children}
      {open ? (
        <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 p-4">
          <div
            role="dialog"
            aria-modal="true"
            aria-labelledby="step-up-title"
            className="w-full max-w-sm space-y-4 rounded bg-white p-5 shadow-lg"
          >
            <h2 id="step-up-title" className="text-lg font-semibold">
              Confirm it is you
            </h2>
            <p className="text-sm text-slate-600">
              This change needs your second factor again (it is asked 15 minutes after the last time).
            </p>
            <form onSubmit={submitCode} noValidate className="space-y-3" aria-label="Confirm with a code">
              <label htmlFor="step-up-code" className="block text-sm font-medium">
                Authentication code
              </label>
              <input
                id="step-up-code"
                name="code"
                autoComplete="one-time-code"
                inputMode="text"
                autoFocus
                className="w-full rounded border border-slate-300 px-3 py-2"
              />
              {error ? (
                <p role="alert" className="text-sm text-red-700">
                  {error}
                </p>
              ) : null}
              <div className="flex flex-wrap gap-2">
                <button
                  type="submit"
                  disabled={busy}
                  className="rounded bg-accent px-4 py-2 font-medium text-white hover:bg-brand disabled:opacity-60"
                >
                  Confirm
                </button>
                <button
                  type="button"
                  onClick={() => void proveWithPasskey()}
                  disabled={busy}
                  className="rounded border border-slate-300 px-4 py-2 hover:bg-slate-50"
                >
                  Use a passkey
                </button>
                <button
                  type="button"
                  onClick={() => finish(false)}
                  className="rounded px-4 py-2 text-slate-600 hover:bg-slate-50"
                >
                  Cancel
                </button>
              </div>
            </form>
          </div>
        </div>
      ) : null}
    </StepUpContext.Provider>
  );
}

/** fetch, with the second-factor prompt and one retry when the server asks for it. */
export function useStepUpFetch(): StepUpFetch {
  return useContext(StepUpContext) ?? fetch;
}
