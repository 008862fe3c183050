"use client";

import { startRegistration } from "@simplewebauthn/browser";
import { useRouter } from "next/navigation";
import { useState, type FormEvent, type ReactNode } from "react";
import { Time } from "@/app/_components/packages/Time";
import { useStepUpFetch } from "@/app/_components/StepUp";
import { errorMessageOf } from "@/app/_components/api-errors";

interface Settings {
  authenticatorApp: boolean;
  recoveryCodesLeft: number;
  passkeys: { id: string; name: string; createdAt: string }[];
}

interface Enrolment {
  secret: string;
  uri: string;
  qrCode: string;
}

type RegistrationOptions = Parameters<typeof startRegistration>[0]["optionsJSON"];

const BUTTON = "rounded bg-accent px-4 py-2 font-medium text-white hover:bg-brand disabled:opacity-60";
const SECONDARY = "rounded border border-slate-300 px-4 py-2 hover:bg-slate-50 disabled:opacity-60";
const INPUT = "rounded border border-slate-300 px-3 py-2";

function jsonInit(method: string, body?: unknown): RequestInit {
  return body === undefined
    ? { method }
    : { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section aria-labelledby={id} className="space-y-3 rounded border border-slate-200 p-5">
      <h2 id={id} className="text-lg font-medium">
        {title}
      </h2>
      {children}
    </section>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <div
      role="status"
      aria-label="Recovery codes"
      className="space-y-2 rounded border border-amber-300 bg-amber-50 p-4"
    >
      <p className="text-sm font-medium">
        Save these recovery codes somewhere safe. Each works once, if you lose your authenticator. They are not shown
        again.
      </p>
      <ul className="grid grid-cols-2 gap-1 font-mono text-sm">
        {codes.map((code) => (
          <li key={code} data-recovery-code>
            {code}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function SecuritySettings({ initial }: { initial: Settings }) {
  const router = useRouter();
  const stepUpFetch = useStepUpFetch();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(work: () => Promise<void>) {
    setError(null);
    setNotice(null);
    setBusy(true);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  }

  const startApp = () =>
    run(async () => {
      const response = await stepUpFetch("/api/account/authenticator-app", jsonInit("POST"));
      if (!response.ok) return setError(await errorMessageOf(response));
      setEnrolment((await response.json()) as Enrolment);
    });

  const confirmApp = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "").trim();
    void run(async () => {
      const response = await stepUpFetch("/api/account/authenticator-app", jsonInit("PUT", { code }));
      if (!response.ok) return setError(await errorMessageOf(response));
      const { recoveryCodes: codes } = (await response.json()) as { recoveryCodes: string[] | null };
      setEnrolment(null);
      setRecoveryCodes(codes);
      setNotice("Your authenticator app is set up. Other browsers signed in to your account have been signed out.");
      router.refresh();
    });
  };

  const remove = (url: string, done: string) =>
    run(async () => {
      const response = await stepUpFetch(url, jsonInit("DELETE"));
      if (!response.ok) return setError(await errorMessageOf(response));
      setRecoveryCodes(null);
      setNotice(done);
      router.refresh();
    });

  const renewCodes = () =>
    run(async () => {
      const response = await stepUpFetch("/api/account/recovery-codes", jsonInit("POST"));
      if (!response.ok) return setError(await errorMessageOf(response));
      setRecoveryCodes(((await response.json()) as { recoveryCodes: string[] }).recoveryCodes);
      router.refresh();
    });

  const addPasskey = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("passkeyName") ?? "").trim();
    void run(async () => {
      const optionsResponse = await stepUpFetch("/api/account/passkeys/options", jsonInit("POST"));
      if (!optionsResponse.ok) return setError(await errorMessageOf(optionsResponse));
      const { challengeId, options } = (await optionsResponse.json()) as {
        challengeId: string;
        options: RegistrationOptions;
      };
      let response;
      try {
        response = await startRegistration({ optionsJSON: options });
      } catch {
        return setError("The browser did not create a passkey. Try again.");
      }
      const saved = await stepUpFetch("/api/account/passkeys", jsonInit("POST", { challengeId, response, name }));
      if (!saved.ok) return setError(await errorMessageOf(saved));
      const { recoveryCodes: codes } = (await saved.json()) as { recoveryCodes: string[] | null };
      form.reset();
      setRecoveryCodes(codes);
      setNotice(`The passkey '${name}' is added. Other browsers signed in to your account have been signed out.`);
      router.refresh();
    });
  };

  const changePassword = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    void run(async () => {
      const response = await fetch(
        "/api/account/password",
        jsonInit("POST", { currentPassword: data.get("currentPassword"), newPassword: data.get("newPassword") }),
      );
      if (!response.ok) return setError(await errorMessageOf(response));
      form.reset();
      setNotice(((await response.json()) as { message: string }).message);
    });
  };

  return (
    <div className="space-y-6">
      {error ? (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p role="status" className="rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900">
          {notice}
        </p>
      ) : null}
      {recoveryCodes ? <RecoveryCodes codes={recoveryCodes} /> : null}

      <Section title="Authenticator app">
        {initial.authenticatorApp ? (
          <div className="flex flex-wrap items-center gap-3">
            <p data-state="authenticator-app">On</p>
            <button
              type="button"
              className={SECONDARY}
              disabled={busy}
              onClick={() => void remove("/api/account/authenticator-app", "The authenticator app is removed.")}
            >
              Remove authenticator app
            </button>
          </div>
        ) : enrolment ? (
          <form onSubmit={confirmApp} className="space-y-3" aria-label="Confirm authenticator app">
            <p className="text-sm">
              Scan this code with your authenticator app, or type the key into it. Then enter the 6-digit code it shows.
            </p>
            {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made on the server */}
            <img src={enrolment.qrCode} alt="QR code for your authenticator app" width={200} height={200} />
            <p className="text-sm">
              Key:{" "}
              <code data-totp-secret className="break-all">
                {enrolment.secret}
              </code>
            </p>
            <label htmlFor="totp-code" className="block text-sm font-medium">
              Code from the app
            </label>
            <input id="totp-code" name="code" autoComplete="one-time-code" inputMode="numeric" className={INPUT} />
            <button type="submit" className={BUTTON} disabled={busy}>
              Turn on
            </button>
          </form>
        ) : (
          <button type="button" className={BUTTON} disabled={busy} onClick={() => void startApp()}>
            Set up authenticator app
          </button>
        )}
      </Section>

      <Section title="Passkeys">
        <p className="text-sm text-slate-600">
          A passkey or security key is the stronger second factor: it only works on this site, so a look-alike page
          cannot use it.
        </p>
        {initial.passkeys.length > 0 ? (
          <ul className="space-y-2">
            {initial.passkeys.map((passkey) => (
              <li
                key={passkey.id}
                aria-label={passkey.name}
                className="flex flex-wrap items-center justify-between gap-2 rounded border border-slate-200 px-3 py-2"
              >
                <span>
                  {passkey.name}{" "}
                  <span className="text-sm text-slate-500">
                    added <Time value={passkey.createdAt} />
                  </span>
                </span>
                <button
                  type="button"
                  className={SECONDARY}
                  disabled={busy}
                  onClick={() =>
                    void remove(
                      `/api/account/passkeys/${encodeURIComponent(passkey.id)}`,
                      `The passkey '${passkey.name}' is removed.`,
                    )
                  }
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <form onSubmit={addPasskey} className="flex flex-wrap items-end gap-3" aria-label="Add a passkey">
          <label className="block space-y-1 text-sm">
            <span className="block font-medium">Passkey name</span>
            <input name="passkeyName" required maxLength={60} placeholder="Laptop" className={INPUT} />
          </label>
          <button type="submit" className={BUTTON} disabled={busy}>
            Add a passkey
          </button>
        </form>
      </Section>

      {initial.authenticatorApp || initial.passkeys.length > 0 ? (
        <Section title="Recovery codes">
          <p className="text-sm" data-recovery-codes-left>
            {initial.recoveryCodesLeft} unused recovery code{initial.recoveryCodesLeft === 1 ? "" : "s"} left.
          </p>
          <button type="button" className={SECONDARY} disabled={busy} onClick={() => void renewCodes()}>
            Generate new recovery codes
          </button>
        </Section>
      ) : null}

      <Section title="Password">
        <form onSubmit={changePassword} className="grid max-w-sm gap-3" aria-label="Change password">
          <label className="block space-y-1 text-sm">
            <span className="block font-medium">Current password</span>
            <input
              name="currentPassword"
              type="password"
              autoComplete="current-password"
              required
              className={`${INPUT} w-full`}
            />
          </label>
          <label className="block space-y-1 text-sm">
            <span className="block font-medium">New password</span>
            <input
              name="newPassword"
              type="password"
              autoComplete="new-password"
              required
              className={`${INPUT} w-full`}
            />
            <span className="block text-xs text-slate-500">
              At least 15 characters; a few unrelated words are strong and easy to remember.
            </span>
          </label>
          <button type="submit" className={BUTTON} disabled={busy}>
            Change password
          </button>
        </form>
      </Section>
    </div>
  );
}
