"use client";

import { useState, useTransition, type FormEvent } from "react";
import type { ZodType } from "zod";
import { fieldErrorsOf, type FieldErrors } from "@/lib/auth/forms";

/**
 * Form state shared by the account forms: fields are checked in the browser with the same zod
 * schema the server uses, messages appear next to each field, and only valid input is sent on.
 */
export function useValidatedForm<T>(schema: ZodType<T>, initialError: string | null = null) {
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState(initialError);
  const [pending, startTransition] = useTransition();

  function handleSubmit(onValid: (data: T, formData: FormData) => Promise<void>) {
    return (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const formData = new FormData(event.currentTarget);
      const parsed = schema.safeParse(Object.fromEntries(formData));
      setFormError(null);
      if (!parsed.success) {
        setFieldErrors(fieldErrorsOf(parsed.error));
        return;
      }
      setFieldErrors({});
      startTransition(() => onValid(parsed.data, formData));
    };
  }

  return { fieldErrors, setFieldErrors, formError, setFormError, pending, handleSubmit };
}
