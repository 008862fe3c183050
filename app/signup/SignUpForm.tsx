"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { signUpAction } from "@/app/signup/actions";
import { FormAlert, SubmitButton, TextField } from "@/app/_components/FormFields";
import { useValidatedForm } from "@/app/_components/useValidatedForm";
import { signUpSchema } from "@/lib/auth/forms";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const { fieldErrors, setFieldErrors, formError, setFormError, pending, handleSubmit } = useValidatedForm(signUpSchema);

  const submit = handleSubmit(async (input, formData) => {
    const result = await signUpAction(formData);
    if (!result.ok) {
      setFieldErrors(result.fieldErrors);
      return;
    }
    // The account exists now; sign in with what was just typed.
    const signedIn = await signIn("credentials", { email: input.email, password: input.password, redirect: false });
    if (!signedIn?.ok || signedIn.error) {
      setFormError("Your account was created, but signing in failed. Please sign in.");
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  });

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
      <SubmitButton pending={pending} label="Create account" pendingLabel="Creating account..." />
    </form>
  );
}
