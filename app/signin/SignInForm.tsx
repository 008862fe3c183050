"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { FormAlert, SubmitButton, TextField } from "@/app/_components/FormFields";
import { useValidatedForm } from "@/app/_components/useValidatedForm";
import { signInErrorMessage, signInSchema } from "@/lib/auth/forms";

interface SignInFormProps {
  callbackUrl: string;
  initialError: string | null;
  githubEnabled: boolean;
}

export function SignInForm({ callbackUrl, initialError, githubEnabled }: SignInFormProps) {
  const router = useRouter();
  const { fieldErrors, formError, setFormError, pending, handleSubmit } = useValidatedForm(signInSchema, initialError);

  const submit = handleSubmit(async (credentials) => {
    const result = await signIn("credentials", { ...credentials, redirect: false });
    if (!result?.ok || result.error) {
      setFormError(signInErrorMessage(result?.error ?? "CredentialsSignin"));
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  });

  return (
    <div className="space-y-4">
      <form onSubmit={submit} noValidate className="space-y-4" aria-label="Sign in">
        <FormAlert message={formError} />
        <TextField name="email" label="Email" type="email" autoComplete="email" error={fieldErrors.email} />
        <TextField name="password" label="Password" type="password" autoComplete="current-password" error={fieldErrors.password} />
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
