// /packages/<id>/<version>/graph?framework=net8.0 — the dependency graph trust view: who a
// consumer trusts across everything this version brings in, what NuGet does with the graph
// under each policy, and the nuget.config that makes require mode pass for exactly this graph.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requestGalleryFeed } from "@/app/_components/feed-source";
import { CodeSnippet } from "@/app/_components/packages/CodeSnippet";
import { SigningBadge } from "@/app/_components/packages/SigningBadge";
import { graphHref, packageHref } from "@/app/_components/packages/links";
import { OutcomeBadge, VerdictTable } from "@/app/_components/policy/VerdictTable";
import { getDb } from "@/lib/services";
import type { MissingCode } from "@/lib/graph/resolve";
import { IssueError } from "@/lib/issues";
import { loadGraphView, type GraphFlag, type GraphNodeView, type GraphView } from "@/lib/packages/dependency-graph";
import type { ExclusionReason } from "@/lib/policy/trust-selection";

export const dynamic = "force-dynamic";

type Params = {
  params: Promise<{ id: string; version: string }>;
  searchParams: Promise<{ framework?: string | string[] }>;
};

const FLAG_TEXT: Record<GraphFlag, string> = {
  unsigned: "No author signature",
  invalid: "Signature not accepted",
  compromised: "Signed by a compromised certificate",
  "unregistered-signer": "Signer not registered by an owner",
  "signer-changed": "Signer differs from the previous version's",
  "signature-dropped": "Dropped the previous version's signature",
};

const MISSING_REASON: Record<MissingCode, string> = {
  // The generated nuget.config maps only the gallery's packages, so restore with it names the mapping.
  NU1101:
    "no package with this ID here; restore with the nuget.config below fails with NU1100 until you add a source that has it and map it there.",
  NU1102: "no version in that range here; restore fails with NU1102.",
  NU1103: "only prereleases in that range here, and the range does not ask for one; restore fails with NU1103.",
};

const EXCLUSION_TEXT: Record<ExclusionReason, string> = {
  compromised: "its certificate was marked compromised",
  unregistered: "no current owner registered its certificate",
  invalid: "its author signature does not verify",
};

function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { id, version } = await params;
  return { title: `Dependency graph of ${decodeURIComponent(id)} ${decodeURIComponent(version)}` };
}

function FrameworkChooser({ view }: { view: GraphView }) {
  return (
    <form method="get" className="flex flex-wrap items-center gap-2 text-sm">
      <label htmlFor="framework">Target framework</label>
      <select
        id="framework"
        name="framework"
        defaultValue={view.framework}
        className="rounded border border-slate-300 px-2 py-1"
      >
        {view.frameworks.map((framework) => (
          <option key={framework} value={framework}>
            {framework}
          </option>
        ))}
      </select>
      <button type="submit" className="rounded border border-slate-300 bg-white px-2 py-1 hover:border-accent">
        Show
      </button>
    </form>
  );
}

function NodeRow({ node }: { node: GraphNodeView }) {
  const secure = node.verdicts.find((verdict) => verdict.mode === "secure");
  return (
    <tr data-package={node.id} data-flags={node.flags.join(" ")} className="align-top">
      <td className="py-2 pr-3 break-all">
        <Link href={packageHref(node.id, node.version)}>{node.id}</Link>{" "}
        <span className="text-slate-600">{node.version}</span>
        {node.verified ? (
          <span className="ml-1 text-xs text-accent" title="The ID is in a reservation an owner holds">
            ✓ verified ID
          </span>
        ) : null}
        <div className="text-xs text-slate-500">
          {node.requestedBy
            .map((requirement) => `${requirement.parent ?? "your project"} (${requirement.range})`)
            .join("; ")}
        </div>
      </td>
      <td className="py-2 pr-3">{node.depth}</td>
      <td className="py-2 pr-3">
        <SigningBadge state={node.signing} />
      </td>
      <td className="py-2 pr-3 text-xs break-words">
        {node.repositorySignature ? node.repositorySignature.signerName : <span className="text-slate-500">none</span>}
      </td>
      <td className="py-2 pr-3 text-xs">
        {node.flags.length === 0 ? null : (
          <ul className="space-y-1">
            {node.flags.map((flag) => (
              <li key={flag} data-flag={flag} className="font-medium text-red-800">
                {FLAG_TEXT[flag]}
              </li>
            ))}
          </ul>
        )}
        {node.continuity.notice ? <p className="mt-1 text-slate-700">{node.continuity.notice.sentence}</p> : null}
      </td>
      <td className="py-2" title={secure?.sentence}>
        {secure ? (
          <div className="flex flex-col gap-1">
            <OutcomeBadge outcome={secure.outcome} />
            {secure.code ? <code className="text-xs text-slate-600">{secure.code}</code> : null}
          </div>
        ) : null}
      </td>
    </tr>
  );
}

function GraphTables({ view }: { view: GraphView }) {
  return (
    <div className="space-y-4">
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Packages restore brings in for {view.framework}</caption>
          <thead className="border-b border-slate-200 text-xs text-slate-500">
            <tr>
              <th scope="col" className="py-2 pr-3 font-medium">
                Package (asked for by)
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                Depth
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                Author signature
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                Repository signature
              </th>
              <th scope="col" className="py-2 pr-3 font-medium">
                Notices
              </th>
              <th scope="col" className="py-2 font-medium">
                Secure
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {view.nodes.map((node) => (
              <NodeRow key={node.id} node={node} />
            ))}
          </tbody>
        </table>
      </div>
      {view.missing.length > 0 ? (
        <div className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900" data-missing>
          <p className="font-semibold">Not on this gallery</p>
          <ul className="list-disc pl-5">
            {view.missing.map((entry) => (
              <li key={entry.id} data-missing-package={entry.id}>
                {entry.id} ({entry.range}), asked for by{" "}
                {entry.requestedBy.map((requirement) => requirement.parent ?? "your project").join(", ")}:{" "}
                {MISSING_REASON[entry.code]}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {view.issues.length > 0 ? (
        <ul className="space-y-1 text-sm" aria-label="What restore reports about the graph">
          {view.issues.map((issue) => (
            <li
              key={`${issue.code}${issue.message}`}
              className={issue.level === "error" ? "text-red-800" : "text-amber-900"}
            >
              <code>{issue.code}</code> {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function ConfigSection({ view }: { view: GraphView }) {
  return (
    <section aria-labelledby="config-heading" className="space-y-3">
      <h2 id="config-heading" className="text-lg font-semibold">
        nuget.config for Secure mode
      </h2>
      <p className="text-sm text-slate-700">
        It takes these packages from this gallery only, requires signed packages and trusts exactly the signers below:
        with it,
        <code className="mx-1">dotnet restore</code>does what the Secure row above says.
      </p>
      {view.trust.excluded.length > 0 ? (
        <ul className="list-disc pl-5 text-sm text-red-900" aria-label="Signers left out">
          {view.trust.excluded.map((entry) => (
            <li key={`${entry.packageId}${entry.version}`}>
              {entry.packageId} {entry.version}: its signer is left out because {EXCLUSION_TEXT[entry.reason]}.
            </li>
          ))}
        </ul>
      ) : null}
      <CodeSnippet code={view.nugetConfigs.secure} label="Copy the nuget.config" id="nuget-config" />
      <a
        href={`${graphHref(view.packageId, view.version)}/nuget.config?framework=${encodeURIComponent(view.framework)}`}
        download="nuget.config"
        className="inline-block rounded bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-brand hover:no-underline"
      >
        Download nuget.config
      </a>
    </section>
  );
}

export default async function GraphPage({ params, searchParams }: Params) {
  const { id, version } = await params;
  const framework = firstOf((await searchParams).framework);
  let view: GraphView | null;
  try {
    view = await loadGraphView(getDb(), await requestGalleryFeed(), id, version, framework);
  } catch (failure) {
    if (!(failure instanceof IssueError)) throw failure;
    return (
      <div className="space-y-3">
        <h1 className="text-2xl font-semibold">Dependency graph</h1>
        <p role="alert" className="text-red-800">
          {failure.message}
        </p>
      </div>
    );
  }
  if (!view) notFound();
  return (
    <article className="space-y-8">
      <header className="space-y-3">
        <p className="text-sm">
          <Link href={packageHref(view.packageId, view.version)}>
            ← {view.packageId} {view.version}
          </Link>
        </p>
        <h1 className="text-2xl font-semibold break-all">
          Dependency graph of {view.packageId} {view.version}
        </h1>
        <p className="max-w-3xl text-sm text-slate-700">
          What a project referencing exactly this version restores for {view.framework}, resolved the way NuGet does
          over the packages this gallery offers: {view.nodes.length} {view.nodes.length === 1 ? "package" : "packages"}
          {view.missing.length > 0 ? `, ${view.missing.length} missing` : ""}.
        </p>
        <FrameworkChooser view={view} />
      </header>
      <section aria-labelledby="graph-verdict-heading" className="space-y-3">
        <h2 id="graph-verdict-heading" className="text-lg font-semibold">
          What NuGet does with this graph
        </h2>
        <VerdictTable
          verdicts={view.verdicts}
          caption={`What NuGet does with the dependency graph of ${view.packageId} ${view.version}`}
        />
      </section>
      <section aria-labelledby="packages-heading" className="space-y-3">
        <h2 id="packages-heading" className="text-lg font-semibold">
          Packages
        </h2>
        <GraphTables view={view} />
      </section>
      <ConfigSection view={view} />
    </article>
  );
}
