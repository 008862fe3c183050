"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { FormAlert, TextField } from "@/app/_components/TextField";
import { fieldErrorsOf, signInErrorMessage, signInSchema, type FieldErrors } from "@/lib/auth/forms";

interface SignInFormProps {
  callbackUrl: string;
  initialError: string | null;
  githubEnabled: boolean;
}

export function SignInForm({ callbackUrl, initialError, githubEnabled }: SignInFormProps) {
  const router = useRouter();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState(initialError);
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = signInSchema.safeParse(Object.fromEntries(new FormData(event.currentTarget)));
    setFormError(null);
    if (!parsed.success) {
      setFieldErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setFieldErrors({});
    startTransition(async () => {
      const result = await signIn("credentials", { ...parsed.data, redirect: false });
      if (!result?.ok || result.error) {
        setFormError(signInErrorMessage(result?.error ?? "CredentialsSignin"));
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    });
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submit} noValidate className="space-y-4" aria-label="Sign in">
        <FormAlert message={formError} />
        <TextField name="email" label="Email" type="email" autoComplete="email" error={fieldErrors.email} />
        <TextField name="password" label="Password" type="password" autoComplete="current-password" error={fieldErrors.password} />
        <button
          type="submit"
          disabled={pending}
          className="w-full rounded bg-accent px-4 py-2 font-medium text-white hover:bg-brand disabled:opacity-60"
        >
          {pending ? "Signing in..." : "Sign in"}
        </button>
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
