"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { signUpAction } from "@/app/signup/actions";
import { FormAlert, SubmitButton, TextField } from "@/app/_components/FormFields";
import { useValidatedForm } from "@/app/_components/useValidatedForm";
import { PASSWORD_MIN_LENGTH, signInErrorMessage, signUpSchema } from "@/lib/auth/forms";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const { fieldErrors, setFieldErrors, formError, setFormError, pending, handleSubmit } =
    useValidatedForm(signUpSchema);

  const submit = handleSubmit(async (input, formData) => {
    const result = await signUpAction(formData);
    if (!result.ok) {
      setFieldErrors(result.fieldErrors);
      setFormError(result.formError ?? null);
      return;
    }
    // The server does not say whether the address already had an account, so signing in with
    // what was just typed is how a new account starts its first session.
    const signedIn = await signIn("credentials", { email: input.email, password: input.password, redirect: false });
    if (!signedIn?.ok || signedIn.error) {
      setFormError(
        signedIn?.error === "SIGN_IN_THROTTLED" || signedIn?.error === "SIGN_IN_BUSY"
          ? signInErrorMessage(signedIn.error)
          : "We could not sign you in with this email address and password. If the address already had an account, it is unchanged: sign in with its own password.",
      );
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
        hint={`At least ${PASSWORD_MIN_LENGTH} characters, any you like: a few unrelated words make a strong password that is easy to remember.`}
      />
      <SubmitButton pending={pending} label="Create account" pendingLabel="Creating account..." />
    </form>
  );
}
