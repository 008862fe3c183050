"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { signUpAction } from "@/app/signup/actions";
import { FormAlert, TextField } from "@/app/_components/TextField";
import { fieldErrorsOf, signUpSchema, type FieldErrors } from "@/lib/auth/forms";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    const parsed = signUpSchema.safeParse(Object.fromEntries(formData));
    setFormError(null);
    if (!parsed.success) {
      setFieldErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setFieldErrors({});
    startTransition(async () => {
      const result = await signUpAction(formData);
      if (!result.ok) {
        setFieldErrors(result.fieldErrors);
        return;
      }
      // The account exists now; sign in with what was just typed.
      const signedIn = await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirect: false });
      if (!signedIn?.ok || signedIn.error) {
        setFormError("Your account was created, but signing in failed. Please sign in.");
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Create an account">
      <FormAlert message={formError} />
      <TextField name="email" label="Email" type="email" autoComplete="email" error={fieldErrors.email} />
      <TextField
        name="username"
        label="Username"
        autoComplete="username"
        error={fieldErrors.username}
        hint="3 to 32 letters, digits, '.', '_' or '-'. Shown as the owner of your packages."
      />
      <TextField
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        error={fieldErrors.password}
        hint="At least 8 characters."
      />
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded bg-accent px-4 py-2 font-medium text-white hover:bg-brand disabled:opacity-60"
      >
        {pending ? "Creating account..." : "Create account"}
      </button>
    </form>
  );
}
