"use client";
// Creating, listing and revoking API keys. The form is checked in the browser with the schema the
// server uses; the new key's secret is shown once, with a copy button and the push command to run.

import { useState, type FormEvent } from "react";
import { ApiKeyCreation, EXPIRY_DAY_CHOICES, SCOPE_LABELS, API_KEY_SCOPES } from "@/lib/api-keys/request";
import type { ApiKeyState, ApiKeySummary, CreatedApiKey } from "@/lib/api-keys/registry";
import { fieldErrorsOf, type FieldErrors } from "@/lib/auth/forms";
import { DeleteWithConfirmation } from "@/app/_components/DeleteWithConfirmation";
import { useStepUpFetch } from "@/app/_components/StepUp";
import { failureSummary, readResponseJson } from "@/app/_components/api-errors";
import { Time } from "@/app/_components/packages/Time";

const API = "/api/account/api-keys";

const STATE_LABELS: Record<ApiKeyState, string> = { active: "Active", expired: "Expired", revoked: "Revoked" };
const STATE_STYLES: Record<ApiKeyState, string> = {
  active: "bg-green-100 text-green-800",
  expired: "bg-amber-100 text-amber-900",
  revoked: "bg-red-100 text-red-800",
};

function FieldError({ name, errors }: { name: string; errors: FieldErrors }) {
  const message = errors[name];
  if (!message) return null;
  return (
    <p id={`api-key-${name}-error`} className="text-sm text-red-700" data-field-error={name}>
      {message}
    </p>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (created: CreatedApiKey) => void }) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const stepUpFetch = useStepUpFetch();

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const parsed = ApiKeyCreation.safeParse({
      name: data.get("name"),
      scopes: data.getAll("scopes"),
      packageGlob: data.get("packageGlob"),
      expiresInDays: Number(data.get("expiresInDays")),
    });
    setFormError(null);
    if (!parsed.success) {
      setErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setErrors({});
    setBusy(true);
    const response = await stepUpFetch(API, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(parsed.data),
    });
    setBusy(false);
    const body = await readResponseJson(response);
    if (!response.ok) {
      setFormError(failureSummary(response.status, body));
      return;
    }
    form.reset();
    onCreated(body as CreatedApiKey);
  }

  return (
    <form
      onSubmit={create}
      noValidate
      aria-labelledby="create-heading"
      className="space-y-4 rounded border border-slate-200 p-5"
    >
      <h2 id="create-heading" className="text-lg font-medium">
        Create a key
      </h2>
      <div className="space-y-1">
        <label htmlFor="api-key-name" className="block text-sm font-medium">
          Name
        </label>
        <input
          id="api-key-name"
          name="name"
          placeholder="e.g. Release pipeline"
          className="w-full rounded border border-slate-300 px-3 py-2"
          aria-describedby="api-key-name-error"
        />
        <FieldError name="name" errors={errors} />
      </div>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium">Scopes</legend>
        {API_KEY_SCOPES.map((scope) => (
          <label key={scope} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === "push"} />
            {SCOPE_LABELS[scope]}
          </label>
        ))}
        <FieldError name="scopes" errors={errors} />
      </fieldset>
      <div className="space-y-1">
        <label htmlFor="api-key-glob" className="block text-sm font-medium">
          Package IDs (glob pattern)
        </label>
        <input
          id="api-key-glob"
          name="packageGlob"
          defaultValue="*"
          className="w-full rounded border border-slate-300 px-3 py-2 font-mono text-sm"
          aria-describedby="api-key-glob-hint"
        />
        <p id="api-key-glob-hint" className="text-xs text-slate-500">
          &quot;*&quot; is the only wildcard and the case is ignored: <code>Contoso.*</code> covers Contoso.Core and any
          Contoso. package you create later.
        </p>
        <FieldError name="packageGlob" errors={errors} />
      </div>
      <div className="space-y-1">
        <label htmlFor="api-key-expiry" className="block text-sm font-medium">
          Expires in
        </label>
        <select
          id="api-key-expiry"
          name="expiresInDays"
          defaultValue="90"
          className="rounded border border-slate-300 px-3 py-2"
        >
          {EXPIRY_DAY_CHOICES.map((days) => (
            <option key={days} value={days}>
              {days === 1 ? "1 day" : `${days} days`}
            </option>
          ))}
        </select>
        <FieldError name="expiresInDays" errors={errors} />
      </div>
      {formError ? (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          {formError}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={busy}
        className="rounded bg-brand px-4 py-2 text-white hover:bg-brand-dark disabled:opacity-50"
      >
        {busy ? "Creating…" : "Create key"}
      </button>
    </form>
  );
}

function NewSecret({
  created,
  serviceIndexUrl,
  onDismiss,
}: {
  created: CreatedApiKey;
  serviceIndexUrl: string;
  onDismiss: () => void;
}) {
  const [copied, setCopied] = useState(false);
  // NuGet refuses plain-HTTP sources (a local or test gallery) unless told otherwise.
  const insecure = serviceIndexUrl.startsWith("http:") ? " --allow-insecure-connections" : "";
  const command = `dotnet nuget push <package>.nupkg -s ${serviceIndexUrl} -k ${created.secret}${insecure}`;

  async function copy() {
    await navigator.clipboard.writeText(created.secret);
    setCopied(true);
  }

  return (
    <section
      role="status"
      aria-label="New API key"
      className="space-y-3 rounded border border-green-300 bg-green-50 p-5"
    >
      <h2 className="text-lg font-medium">Key &quot;{created.apiKey.name}&quot; created</h2>
      <p className="text-sm">
        Copy it now: this is the only time the gallery shows it. If you lose it, revoke it and create another.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code data-secret className="break-all rounded bg-white px-2 py-1 text-sm">
          {created.secret}
        </code>
        <button
          type="button"
          onClick={copy}
          className="rounded border border-slate-300 bg-white px-2 py-1 text-sm hover:border-accent"
        >
          {copied ? "Copied" : "Copy key"}
        </button>
      </div>
      <p className="text-sm">Push a package with it:</p>
      <pre data-push-command className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
        {command}
      </pre>
      <button type="button" onClick={onDismiss} className="text-sm text-accent hover:underline">
        I have copied the key
      </button>
    </section>
  );
}

function KeyRow({ apiKey, onRevoked }: { apiKey: ApiKeySummary; onRevoked: (revoked: ApiKeySummary) => void }) {
  return (
    <li aria-label={apiKey.name} className="space-y-2 rounded border border-slate-200 p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-medium break-all">{apiKey.name}</h3>
        <span
          data-state={apiKey.state}
          className={`rounded px-2 py-0.5 text-xs font-medium ${STATE_STYLES[apiKey.state]}`}
        >
          {STATE_LABELS[apiKey.state]}
        </span>
      </div>
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[9rem_1fr]">
        <dt className="text-slate-500">Key</dt>
        <dd>
          <code className="text-xs">{apiKey.keyPrefix}…</code>
        </dd>
        <dt className="text-slate-500">Scopes</dt>
        <dd data-scopes>{apiKey.scopes.map((scope) => SCOPE_LABELS[scope]).join("; ")}</dd>
        <dt className="text-slate-500">Package IDs</dt>
        <dd>
          <code data-glob className="text-xs">
            {apiKey.packageGlob}
          </code>
        </dd>
        <dt className="text-slate-500">{apiKey.state === "expired" ? "Expired" : "Expires"}</dt>
        <dd>
          <Time value={apiKey.expiresAt} />
        </dd>
        <dt className="text-slate-500">Last used</dt>
        <dd>{apiKey.lastUsedAt ? <Time value={apiKey.lastUsedAt} /> : "Never"}</dd>
        {apiKey.revokedAt ? (
          <>
            <dt className="text-slate-500">Revoked</dt>
            <dd>
              <Time value={apiKey.revokedAt} />
            </dd>
          </>
        ) : null}
      </dl>
      {apiKey.state !== "revoked" ? (
        <DeleteWithConfirmation
          url={`${API}/${encodeURIComponent(apiKey.id)}`}
          action="revoke"
          onDeleted={(body) => onRevoked((body as { apiKey: ApiKeySummary }).apiKey)}
        >
          Anything still using this key (a build pipeline, a script) will be refused from now on. This cannot be undone.
        </DeleteWithConfirmation>
      ) : null}
    </li>
  );
}

export function ApiKeyManager({
  initialKeys,
  serviceIndexUrl,
}: {
  initialKeys: ApiKeySummary[];
  serviceIndexUrl: string;
}) {
  const [keys, setKeys] = useState(initialKeys);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const count = `${keys.length} ${keys.length === 1 ? "key" : "keys"}`;
  return (
    <div className="space-y-6">
      {created ? (
        <NewSecret created={created} serviceIndexUrl={serviceIndexUrl} onDismiss={() => setCreated(null)} />
      ) : null}
      <CreateKeyForm
        onCreated={(fresh) => {
          setCreated(fresh);
          setKeys((current) => [fresh.apiKey, ...current]);
        }}
      />
      <section aria-labelledby="keys-heading" className="space-y-3">
        <h2 id="keys-heading" className="text-lg font-medium">
          Your keys: {count}
        </h2>
        {keys.length === 0 ? (
          <p className="text-sm text-slate-600">No keys yet.</p>
        ) : (
          <ul aria-label="API keys" className="space-y-3">
            {keys.map((apiKey) => (
              <KeyRow
                key={apiKey.id}
                apiKey={apiKey}
                onRevoked={(revoked) =>
                  setKeys((current) => current.map((entry) => (entry.id === revoked.id ? revoked : entry)))
                }
              />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
