"use client";

// Every change made from a form in the admin console and on a package's manage page goes through
// this form: it sends the fields as JSON to an API route (asking for a second factor first when
// the route wants one), shows the route's answer (its message, or its error and issues)
// next to the button, and refreshes the page's server-rendered data after a success. Pages keep
// each form at the same place in their tree whatever the data says, so the answer stays in
// view after the refresh even when the form's props change (Lock becomes Unlock, say).
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition, type FormEvent } from "react";
import { BUTTON, INPUT } from "@/app/admin/_components/AdminShell";
import { useStepUpFetch } from "@/app/_components/StepUp";
import { failureMessage, isErrorBody, readResponseJson } from "@/app/_components/api-errors";

export type ActionField =
  | {
      kind: "text" | "textarea" | "date";
      name: string;
      label: string;
      required?: boolean;
      defaultValue?: string;
      placeholder?: string;
      hint?: string;
    }
  | { kind: "checkbox"; name: string; label: string; defaultChecked?: boolean; hint?: string }
  /** Usernames separated by commas or spaces; sent as an array. */
  | { kind: "usernames"; name: string; label: string; defaultValue?: string; placeholder?: string; hint?: string }
  /** Checkboxes in a fieldset; the checked values are sent as an array. */
  | {
      kind: "choices";
      name: string;
      label: string;
      options: { value: string; label: string; defaultChecked?: boolean }[];
      hint?: string;
    };

export interface ActionFormProps {
  endpoint: string;
  method: "POST" | "PUT" | "PATCH" | "DELETE";
  submitLabel: string;
  fields?: ActionField[];
  /** Sent as they are, alongside the fields (e.g. { action: "lock" }). */
  fixed?: Record<string, unknown>;
  /** Asked with window.confirm before sending, for changes that are hard to undo. */
  confirmText?: string;
  danger?: boolean;
  /** Shown but not usable (the action no longer applies). */
  disabled?: boolean;
  /**
   * For a change after which this page has nothing left to show its viewer (leaving a package:
   * its manage page then refuses them): the answer stays, with a link here, and the page is not
   * refreshed, which would replace the answer with the refusal.
   */
  afterSuccess?: { href: string; label: string };
}

type Outcome = { ok: true; message: string } | { ok: false; message: string; details: string[] };

function valueOf(field: ActionField, form: FormData): unknown {
  if (field.kind === "choices") return form.getAll(field.name).filter((value) => typeof value === "string");
  const raw = form.get(field.name);
  if (field.kind === "checkbox") return raw === "on";
  const text = typeof raw === "string" ? raw : "";
  if (field.kind === "usernames") return text.split(/[\s,]+/).filter(Boolean);
  return text;
}

async function outcomeOf(response: Response): Promise<Outcome> {
  const body = await readResponseJson(response);
  if (response.ok) return { ok: true, message: (body as { message?: string } | null)?.message ?? "Done." };
  return {
    ok: false,
    message: failureMessage(response.status, body),
    details: isErrorBody(body) ? (body.issues ?? []).map((issue) => issue.message) : [],
  };
}

export function ActionForm({
  endpoint,
  method,
  submitLabel,
  fields = [],
  fixed = {},
  confirmText,
  danger = false,
  disabled = false,
  afterSuccess,
}: ActionFormProps) {
  const router = useRouter();
  const formId = useId();
  const [pending, startTransition] = useTransition();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const stepUpFetch = useStepUpFetch();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (confirmText && !window.confirm(confirmText)) return;
    const form = new FormData(event.currentTarget);
    const body = { ...fixed, ...Object.fromEntries(fields.map((field) => [field.name, valueOf(field, form)])) };
    startTransition(async () => {
      try {
        const response = await stepUpFetch(endpoint, {
          method,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        const result = await outcomeOf(response);
        setOutcome(result);
        if (result.ok && !afterSuccess) router.refresh();
      } catch {
        setOutcome({ ok: false, message: "The server could not be reached; try again.", details: [] });
      }
    });
  }

  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
      {fields.map((field) => {
        const id = `${formId}-${field.name}`;
        const hint = field.hint ? <span className="block text-xs text-slate-500">{field.hint}</span> : null;
        if (field.kind === "choices") {
          return (
            <fieldset key={field.name} className="space-y-1 text-sm">
              <legend className="font-medium text-slate-800">{field.label}</legend>
              {field.options.map((option) => (
                <label key={option.value} className="flex items-center gap-2">
                  <input
                    name={field.name}
                    type="checkbox"
                    value={option.value}
                    defaultChecked={option.defaultChecked}
                  />
                  {option.label}
                </label>
              ))}
              {hint}
            </fieldset>
          );
        }
        if (field.kind === "checkbox") {
          return (
            <label key={field.name} htmlFor={id} className="flex items-center gap-2 text-sm">
              <input id={id} name={field.name} type="checkbox" defaultChecked={field.defaultChecked} />
              {field.label}
              {hint}
            </label>
          );
        }
        const required = field.kind !== "usernames" && field.required;
        const common = {
          id,
          name: field.name,
          defaultValue: field.defaultValue,
          placeholder: field.placeholder,
          required,
          className: `${INPUT} w-full`,
        };
        return (
          <label
            key={field.name}
            htmlFor={id}
            className={`block space-y-1 text-sm ${field.kind === "textarea" ? "min-w-64 flex-1" : ""}`}
          >
            <span className="block font-medium text-slate-800">{field.label}</span>
            {field.kind === "textarea" ? (
              <textarea {...common} rows={2} />
            ) : (
              <input {...common} type={field.kind === "date" ? "date" : "text"} />
            )}
            {hint}
          </label>
        );
      })}
      <button
        type="submit"
        disabled={pending || disabled || (afterSuccess !== undefined && outcome?.ok === true)}
        className={danger ? `${BUTTON} bg-red-700 hover:bg-red-800` : BUTTON}
      >
        {pending ? "Working…" : submitLabel}
      </button>
      {outcome ? (
        <div
          role={outcome.ok ? "status" : "alert"}
          className={`w-full rounded border px-3 py-2 text-sm ${outcome.ok ? "border-green-300 bg-green-50 text-green-900" : "border-red-300 bg-red-50 text-red-800"}`}
        >
          <p>{outcome.message}</p>
          {outcome.ok && afterSuccess ? (
            <p className="mt-1">
              <Link href={afterSuccess.href} className="font-medium underline">
                {afterSuccess.label}
              </Link>
            </p>
          ) : null}
          {!outcome.ok && outcome.details.length > 0 ? (
            <ul className="mt-1 list-disc pl-5">
              {outcome.details.map((detail) => (
                <li key={detail}>{detail}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
