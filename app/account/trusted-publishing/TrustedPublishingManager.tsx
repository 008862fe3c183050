"use client";
// The Trusted publishing page's policies: each with its state (awaiting first use, or bound to
// the repository's numeric IDs), when it was last used and the exact CI configuration to use;
// a form to add one (refusals shown as the server's sentences) and removal behind a confirmation.

import { useState } from "react";
import { DeleteWithConfirmation } from "@/app/_components/DeleteWithConfirmation";
import { useStepUpFetch } from "@/app/_components/StepUp";
import type { CiPlatform } from "@/lib/config";
import type { Issue } from "@/lib/issues";
import type { TrustedPublishingPolicyView } from "@/lib/trusted-publishing/policies";
import { workflowSnippet } from "@/lib/trusted-publishing/snippets";
import { IssueList } from "@/app/_components/IssueList";
import { failureIssues, readResponseJson } from "@/app/_components/api-errors";

const API = "/api/account/trusted-publishing";

export interface IssuerOption {
  url: string;
  platform: CiPlatform;
}

interface Endpoints {
  audience: string;
  exchangeUrl: string;
  sourceUrl: string;
}

const WORDS: Record<
  CiPlatform,
  { system: string; repository: string; repositoryHint: string; workflow: string; workflowHint: string; ids: string }
> = {
  github: {
    system: "GitHub Actions",
    repository: "Repository",
    repositoryHint: "contoso/lib",
    workflow: "Workflow file",
    workflowHint: ".github/workflows/release.yml",
    ids: "repository ID {id}, owner ID {owner}",
  },
  gitlab: {
    system: "GitLab CI",
    repository: "Project path",
    repositoryHint: "contoso/libraries/lib",
    workflow: "CI configuration file",
    workflowHint: ".gitlab-ci.yml",
    ids: "project ID {id}, namespace ID {owner}",
  },
};

function issuerLabel(issuer: IssuerOption): string {
  return `${WORDS[issuer.platform].system} (${issuer.url})`;
}

function PolicyRow({
  policy,
  endpoints,
  onRemoved,
}: {
  policy: TrustedPublishingPolicyView;
  endpoints: Endpoints;
  onRemoved: (id: string) => void;
}) {
  const platform = policy.platform ?? "github";
  const words = WORDS[platform];

  const bound = policy.repositoryId !== null;
  return (
    <li
      aria-label={`${policy.packagePattern} from ${policy.repository}`}
      className="space-y-2 rounded border border-slate-200 p-4"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-medium break-all">
          {policy.packagePattern} <span className="font-normal text-slate-600">from {policy.repository}</span>
        </h3>
        <span
          data-policy-state={bound ? "bound" : "pending"}
          className={`rounded px-2 py-0.5 text-xs font-medium ${bound ? "bg-emerald-100 text-emerald-800" : "bg-amber-100 text-amber-900"}`}
        >
          {bound ? "Bound" : "Pending first use"}
        </span>
      </div>
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[11rem_1fr]">
        <dt className="text-slate-500">CI system</dt>
        <dd className="break-all">
          {policy.platform
            ? issuerLabel({ url: policy.issuer, platform: policy.platform })
            : `${policy.issuer} (no longer accepted by this gallery)`}
        </dd>
        <dt className="text-slate-500">{words.repository}</dt>
        <dd className="break-all">{policy.repository}</dd>
        <dt className="text-slate-500">{words.workflow}</dt>
        <dd className="break-all font-mono text-xs">{policy.workflow}</dd>
        <dt className="text-slate-500">Environment</dt>
        <dd>{policy.environment ?? "Any"}</dd>
        <dt className="text-slate-500">State</dt>
        <dd data-policy-binding>
          {bound
            ? `Bound to ${words.ids.replace("{id}", policy.repositoryId ?? "").replace("{owner}", policy.repositoryOwnerId ?? "")} since its first use on ${policy.firstUsedAt?.slice(0, 10)}.`
            : `Pending first use: the first job it accepts binds it to that ${words.repository.toLowerCase()}'s numeric IDs.`}
        </dd>
        <dt className="text-slate-500">Last used</dt>
        <dd data-policy-last-used>
          {policy.lastUsedAt ? `${policy.lastUsedAt.slice(0, 16).replace("T", " ")} UTC` : "Never"}
        </dd>
      </dl>
      <details className="text-sm">
        <summary className="cursor-pointer text-accent">
          {platform === "github" ? "Workflow to use" : "CI job to use"}
        </summary>
        <pre data-policy-snippet className="mt-2 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
          {workflowSnippet({
            platform,
            packagePattern: policy.packagePattern,
            workflow: policy.workflow,
            environment: policy.environment,
            ...endpoints,
          })}
        </pre>
      </details>
      <DeleteWithConfirmation
        url={`${API}/${encodeURIComponent(policy.id)}`}
        action="remove"
        onDeleted={() => onRemoved(policy.id)}
      >
        After removal, tokens from this workflow are refused, and keys already exchanged under it that have not pushed
        yet stop working. Versions it published stay as they are.
      </DeleteWithConfirmation>
    </li>
  );
}

function PolicyForm({
  issuers,
  onAdded,
}: {
  issuers: readonly IssuerOption[];
  onAdded: (policy: TrustedPublishingPolicyView) => void;
}) {
  const [issuer, setIssuer] = useState(issuers[0]?.url ?? "");
  const [packagePattern, setPackagePattern] = useState("");
  const [repository, setRepository] = useState("");
  const [workflow, setWorkflow] = useState("");
  const [environment, setEnvironment] = useState("");
  const [issues, setIssues] = useState<Issue[]>([]);
  const stepUpFetch = useStepUpFetch();
  const words = WORDS[issuers.find((option) => option.url === issuer)?.platform ?? "github"];

  async function add(event: React.FormEvent) {
    event.preventDefault();
    setIssues([]);
    const response = await stepUpFetch(API, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ packagePattern, issuer, repository, workflow, environment }),
    });
    const json = await readResponseJson(response);
    if (response.ok) {
      onAdded((json as { policy: TrustedPublishingPolicyView }).policy);
      setPackagePattern("");
      setRepository("");
      setWorkflow("");
      setEnvironment("");
    } else setIssues(failureIssues(response.status, json));
  }

  const input = "mt-1 block w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs";
  return (
    <form
      onSubmit={add}
      noValidate
      aria-label="Add a trusted-publishing policy"
      className="space-y-3 rounded border border-slate-200 p-4 text-sm"
    >
      <h3 className="font-medium">Add a policy</h3>
      <label className="block">
        Package ID or prefix
        <input
          value={packagePattern}
          onChange={(event) => setPackagePattern(event.target.value)}
          placeholder="Contoso.Lib or Contoso.*"
          className={input}
        />
        <span className="mt-1 block text-xs text-slate-500">
          A package you own, or a prefix ending in * inside a prefix reservation of yours.
        </span>
      </label>
      <label className="block">
        CI system
        <select
          value={issuer}
          onChange={(event) => setIssuer(event.target.value)}
          className="mt-1 block w-full rounded border border-slate-300 px-2 py-1 text-sm"
        >
          {issuers.map((option) => (
            <option key={option.url} value={option.url}>
              {issuerLabel(option)}
            </option>
          ))}
        </select>
      </label>
      <label className="block">
        {words.repository}
        <input
          value={repository}
          onChange={(event) => setRepository(event.target.value)}
          placeholder={words.repositoryHint}
          className={input}
        />
      </label>
      <label className="block">
        {words.workflow}
        <input
          value={workflow}
          onChange={(event) => setWorkflow(event.target.value)}
          placeholder={words.workflowHint}
          className={input}
        />
      </label>
      <label className="block">
        Environment (optional)
        <input
          value={environment}
          onChange={(event) => setEnvironment(event.target.value)}
          placeholder="release"
          className={input}
        />
        <span className="mt-1 block text-xs text-slate-500">
          When set, only jobs running in this deployment environment are accepted.
        </span>
      </label>
      <IssueList issues={issues} label="Policy problems" alert />
      <button type="submit" className="rounded bg-brand px-3 py-1 text-white hover:bg-brand-dark">
        Add policy
      </button>
    </form>
  );
}

export function TrustedPublishingManager({
  initialPolicies,
  issuers,
  ...endpoints
}: { initialPolicies: TrustedPublishingPolicyView[]; issuers: IssuerOption[] } & Endpoints) {
  const [policies, setPolicies] = useState(initialPolicies);
  return (
    <section aria-labelledby="policies-heading" className="space-y-3">
      <h2 id="policies-heading" className="text-lg font-medium">
        Policies: {policies.length}
      </h2>
      {policies.length === 0 ? (
        <p className="text-sm text-slate-600">
          No trusted-publishing policies. Add one to let a CI workflow publish a package of yours.
        </p>
      ) : (
        <ul aria-label="Trusted-publishing policies" className="space-y-3">
          {policies.map((policy) => (
            <PolicyRow
              key={policy.id}
              policy={policy}
              endpoints={endpoints}
              onRemoved={(id) => setPolicies((current) => current.filter((entry) => entry.id !== id))}
            />
          ))}
        </ul>
      )}
      {issuers.length > 0 ? (
        <PolicyForm issuers={issuers} onAdded={(policy) => setPolicies((current) => [...current, policy])} />
      ) : (
        <p className="text-sm text-slate-600">This gallery accepts no OIDC issuers, so no policy can be added.</p>
      )}
    </section>
  );
}
