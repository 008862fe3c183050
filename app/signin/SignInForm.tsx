"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { FormAlert, SubmitButton, TextField } from "@/app/_components/FormFields";
import { useValidatedForm } from "@/app/_components/useValidatedForm";
import { secondFactorCodeSchema, signInErrorMessage, signInSchema, type SignInInput } from "@/lib/auth/forms";

interface SignInFormProps {
  callbackUrl: string;
  initialError: string | null;
  githubEnabled: boolean;
}

type PasskeyOptions = Parameters<typeof startAuthentication>[0]["optionsJSON"];

/**
 * Email and password first; accounts with two-factor authentication are then asked for a code
 * from their app (or a recovery code) or a passkey, and the whole sign-in is sent again with it.
 */
export function SignInForm({ callbackUrl, initialError, githubEnabled }: SignInFormProps) {
  const router = useRouter();
  const { fieldErrors, formError, setFormError, pending, handleSubmit } = useValidatedForm(signInSchema, initialError);
  const [credentials, setCredentials] = useState<SignInInput | null>(null);

  async function attempt(input: SignInInput): Promise<void> {
    const result = await signIn("credentials", { ...input, redirect: false });
    if (result?.ok && !result.error) {
      router.replace(callbackUrl);
      router.refresh();
      return;
    }
    const code = result?.error ?? "CredentialsSignin";
    if (code === "SECOND_FACTOR_REQUIRED") {
      setCredentials({ email: input.email, password: input.password });
      setFormError(null);
      return;
    }
    setFormError(signInErrorMessage(code));
  }

  const submit = handleSubmit(attempt);

  if (credentials) {
    return (
      <SecondFactorStep
        credentials={credentials}
        attempt={attempt}
        error={formError}
        setError={setFormError}
        onBack={() => setCredentials(null)}
      />
    );
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submit} noValidate className="space-y-4" aria-label="Sign in">
        <FormAlert message={formError} />
        <TextField name="email" label="Email" type="email" autoComplete="email" error={fieldErrors.email} />
        <TextField
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          error={fieldErrors.password}
        />
        <SubmitButton pending={pending} label="Sign in" pendingLabel="Signing in..." />
      </form>
      {githubEnabled ? (
        <button
          type="button"
          onClick={() => signIn("github", { callbackUrl })}
          className="w-full rounded border border-slate-300 px-4 py-2 font-medium hover:bg-slate-50"
        >
          Sign in with GitHub
        </button>
      ) : null}
    </div>
  );
}

interface SecondFactorStepProps {
  credentials: SignInInput;
  attempt: (input: SignInInput) => Promise<void>;
  error: string | null;
  setError: (message: string | null) => void;
  onBack: () => void;
}

function SecondFactorStep({ credentials, attempt, error, setError, onBack }: SecondFactorStepProps) {
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();

  function submitCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = secondFactorCodeSchema.safeParse(Object.fromEntries(new FormData(event.currentTarget)));
    setError(null);
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message);
      return;
    }
    setFieldError(undefined);
    startTransition(() => attempt({ ...credentials, otp: parsed.data.otp }));
  }

  function signInWithPasskey() {
    setError(null);
    startTransition(async () => {
      try {
        const response = await fetch("/api/passkey-sign-in-options", { method: "POST" });
        const { challengeId, options } = (await response.json()) as { challengeId: string; options: PasskeyOptions };
        const assertion = await startAuthentication({ optionsJSON: options });
        await attempt({ ...credentials, webauthn: JSON.stringify({ challengeId, response: assertion }) });
      } catch {
        setError("The passkey was not used. Try again, or enter a code instead.");
      }
    });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submitCode} noValidate className="space-y-4" aria-label="Two-factor authentication">
        <p className="text-sm text-slate-600">
          Your account has two-factor authentication. Enter the 6-digit code from your authenticator app, or one of your
          recovery codes.
        </p>
        <FormAlert message={error} />
        <TextField name="otp" label="Authentication code" autoComplete="one-time-code" error={fieldError} />
        <SubmitButton pending={pending} label="Verify" pendingLabel="Verifying..." />
      </form>
      <button
        type="button"
        onClick={signInWithPasskey}
        disabled={pending}
        className="w-full rounded border border-slate-300 px-4 py-2 font-medium hover:bg-slate-50"
      >
        Use a passkey
      </button>
      <button type="button" onClick={onBack} className="text-sm text-slate-600 underline">
        Use another account
      </button>
    </div>
  );
}
