// The package page: one verdict about the signature, whether the contents are intact, whether
// the ID is reserved and where the version came from (source, signer, countersigning repository)
// at the top; every detail one click below; then how to install it (first on a phone, before the
// readme) and what the package is.
import Link from "next/link";
import { FeedSourceInstructions } from "@/app/_components/FeedSourceInstructions";
import { addPackageCommand, packageReferenceElement, type FeedSource } from "@/lib/nuget-client/client-config";
import type { PackagePage } from "@/lib/packages/package-page";
import { isTrustedSigning } from "@/lib/packages/signing-state";
import type { SignatureVerdict } from "@/lib/packages/signature-verdict";
import type { ProvenanceView } from "@/lib/trusted-publishing/provenance";
import { DEPRECATION_REASON_LABELS } from "@/lib/packages/deprecation";
import { formatSize } from "@/lib/validation/rules/wording";
import { CodeSnippet } from "./CodeSnippet";
import { DependencyGroups } from "./DependencyGroups";
import { Time } from "./Time";
import { Readme } from "./Readme";
import { SignerPanel } from "./SignerPanel";
import { OwnerLinks } from "./OwnerLinks";
import { SigningBadge } from "./SigningBadge";
import { VerifiedBadge } from "./VerifiedBadge";
import { graphHref, logEntryHref, packageHref } from "./links";
import { ContinuityNotice } from "@/app/_components/policy/ContinuityNotice";
import { VerdictTable } from "@/app/_components/policy/VerdictTable";
import { VersionsTable } from "./VersionsTable";
import { DownloadCounts } from "./DownloadCounts";

function Section({ title, id, children }: { title: string; id: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

const VERDICT_BOX: Record<SignatureVerdict["tone"], string> = {
  good: "",
  neutral: "",
  caution: "border-amber-300 bg-amber-50 text-amber-950",
  danger: "border-red-300 bg-red-50 text-red-900",
};

/** The warning under the header for any verdict that is not good news, and an admin's exception, publicly. */
function VerdictWarning({ page }: { page: PackagePage }) {
  const { verdict, approvedException } = page;
  const warn = verdict.tone === "caution" || verdict.tone === "danger";
  if (!warn && !approvedException) return null;
  return (
    <div
      data-warning="signature"
      data-verdict={verdict.kind}
      className={`space-y-1 rounded border p-4 text-sm ${warn ? VERDICT_BOX[verdict.tone] : "border-slate-300 bg-slate-50"}`}
    >
      {verdict.tone === "danger" ? <p className="font-semibold">Do not trust this version.</p> : null}
      {verdict.tone === "caution" ? <p className="font-semibold">{verdict.label}</p> : null}
      {warn ? <p>{verdict.sentence}</p> : null}
      {page.compromisedReason && verdict.kind === "compromised" ? <p>Reason given: {page.compromisedReason}</p> : null}
      {approvedException ? (
        <p data-approved-exception>
          Published as an exception: the gallery&apos;s rules refused it, and{" "}
          {approvedException.reviewer ?? "an administrator"} approved it
          {approvedException.decidedAt ? (
            <>
              {" "}
              <Time value={approvedException.decidedAt} />
            </>
          ) : null}
          {approvedException.reason ? <>, giving the reason: &ldquo;{approvedException.reason}&rdquo;</> : null}.
        </p>
      ) : null}
    </div>
  );
}

/** The owners' deprecation of this version, as nuget.org shows it: reasons, message, alternate. */
function DeprecationNotice({ page }: { page: PackagePage }) {
  const { deprecation } = page;
  if (!deprecation) return null;
  const alternate = deprecation.alternatePackage;
  return (
    <div data-deprecation className="space-y-1 rounded border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
      <p className="font-semibold">This version is deprecated</p>
      <p>{deprecation.reasons.map((reason) => DEPRECATION_REASON_LABELS[reason]).join("; ")}.</p>
      {deprecation.message ? <p className="break-words whitespace-pre-line">{deprecation.message}</p> : null}
      {alternate ? (
        <p>
          Suggested instead: <Link href={packageHref(alternate.id)}>{alternate.id}</Link>
          {alternate.range ? ` (versions ${alternate.range})` : " (any version)"}.
        </p>
      ) : null}
    </div>
  );
}

/** Where this version came from, in one line: source repository and commit, signer, countersigning repository. */
function Origin({ page }: { page: PackagePage }) {
  const { sourceUrl, commit, signer, countersignedBy } = page.origin;
  if (!sourceUrl && !signer && !countersignedBy) return null;
  return (
    <dl aria-label="Provenance at a glance" className="flex flex-wrap gap-x-5 gap-y-1 text-sm">
      {sourceUrl ? (
        <div className="flex min-w-0 gap-1">
          <dt className="text-slate-500">Source</dt>
          <dd className="min-w-0 break-all">
            <a href={sourceUrl} rel="nofollow noopener noreferrer">
              {sourceUrl}
            </a>
            {commit ? (
              <>
                {" at "}
                <code title={commit} className="text-xs">
                  {commit.slice(0, 12)}
                </code>
              </>
            ) : null}
          </dd>
        </div>
      ) : null}
      {signer ? (
        <div className="flex min-w-0 gap-1">
          <dt className="text-slate-500">Signed by</dt>
          <dd className="min-w-0 break-words">{signer}</dd>
        </div>
      ) : null}
      {countersignedBy ? (
        <div className="flex min-w-0 gap-1">
          <dt className="text-slate-500">Countersigned by</dt>
          <dd className="min-w-0 break-all">{countersignedBy}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function Facts({ page }: { page: PackagePage }) {
  const { metadata } = page;
  return (
    <dl className="grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1 text-sm">
      <dt className="text-slate-500">Authors</dt>
      <dd className="break-words">{metadata.authors}</dd>
      <dt className="text-slate-500">Owners</dt>
      <dd className="break-words">
        <OwnerLinks owners={page.owners} />
      </dd>
      <dt className="text-slate-500">License</dt>
      <dd className="break-words">
        {metadata.licenseExpression ??
          (metadata.licenseUrl ? (
            <a href={metadata.licenseUrl} rel="nofollow noopener noreferrer">
              License terms
            </a>
          ) : (
            "Not stated"
          ))}
        {metadata.requireLicenseAcceptance ? " (acceptance required)" : null}
      </dd>
      {metadata.projectUrl ? (
        <>
          <dt className="text-slate-500">Project</dt>
          <dd className="break-all">
            <a href={metadata.projectUrl} rel="nofollow noopener noreferrer">
              {metadata.projectUrl}
            </a>
          </dd>
        </>
      ) : null}
      {metadata.tags.length > 0 ? (
        <>
          <dt className="text-slate-500">Tags</dt>
          <dd className="flex flex-wrap gap-1">
            {metadata.tags.map((tag) => (
              <Link
                key={tag}
                href={`/packages?q=${encodeURIComponent(tag)}`}
                className="rounded bg-slate-100 px-1.5 text-xs"
              >
                {tag}
              </Link>
            ))}
          </dd>
        </>
      ) : null}
      <dt className="text-slate-500">Published</dt>
      <dd>
        <Time value={page.publishedAt} />
      </dd>
      <dt className="text-slate-500">Size</dt>
      <dd>{formatSize(page.packageSize)}</dd>
      <dt className="text-slate-500">SHA-512</dt>
      <dd className="break-all font-mono text-xs" data-sha512="served">
        {page.sha512}
      </dd>
      {page.uploadedSha512 !== page.sha512 ? (
        <>
          <dt className="text-slate-500">SHA-512 as uploaded</dt>
          <dd
            className="break-all font-mono text-xs"
            data-sha512="uploaded"
            title="Before the gallery added its repository signature"
          >
            {page.uploadedSha512}
          </dd>
        </>
      ) : null}
      <dt className="text-slate-500">Transparency</dt>
      <dd>
        {page.logIndex === null ? (
          "Not in the publication log yet"
        ) : (
          <a href={logEntryHref(page.logIndex)}>Logged as entry {page.logIndex} of the gallery&apos;s log</a>
        )}
      </dd>
      {metadata.copyright ? (
        <>
          <dt className="text-slate-500">Copyright</dt>
          <dd className="break-words">{metadata.copyright}</dd>
        </>
      ) : null}
    </dl>
  );
}

function integrityText(page: PackagePage): string {
  const integrity = page.signer?.integrity ?? null;
  if (integrity === null) return "Cannot be checked: nothing was signed";
  return integrity ? "Intact: the contents are exactly what was signed" : "Modified after signing";
}

/** The three questions a consumer asks, answered in one line each, from the one verdict. */
function AtAGlance({ page }: { page: PackagePage }) {
  return (
    // minmax(0, …): a long verdict (an untrusted authority's name) truncates inside the column
    // instead of widening it past a phone's screen.
    <dl aria-label="At a glance" className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[6rem_minmax(0,1fr)]">
      <dt className="text-slate-500">Signature</dt>
      <dd>
        <SigningBadge state={page.signing} verdict={page.verdict} />
      </dd>
      <dt className="text-slate-500">Contents</dt>
      <dd
        data-integrity={page.signer?.integrity ?? "unknown"}
        className={page.signer?.integrity === false ? "font-medium text-red-800" : undefined}
      >
        {integrityText(page)}
      </dd>
      <dt className="text-slate-500">Package ID</dt>
      <dd>
        {page.verification.verified
          ? `Reserved: ${page.verification.sentence} This says who may publish under this ID, not whether this version is safe.`
          : "Not reserved: no owner of this package holds a reservation for this ID."}
      </dd>
    </dl>
  );
}

export function PackageView({ page, source }: { page: PackagePage; source: FeedSource }) {
  const { metadata } = page;
  return (
    <article className="space-y-8">
      <header className="space-y-3">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <h1 className="flex min-w-0 items-center gap-2 text-2xl font-semibold break-all">
            {page.packageId}
            <VerifiedBadge verification={page.verification} />
          </h1>
          <span className="text-lg text-slate-600">{page.version}</span>
        </div>
        {metadata.title && metadata.title !== page.packageId ? (
          <p className="text-slate-700">{metadata.title}</p>
        ) : null}
        <AtAGlance page={page} />
        <Origin page={page} />
        {page.listed ? null : (
          <p className="text-sm text-amber-900">
            This version is unlisted: it is not offered in search or as the latest version.
          </p>
        )}
        {page.isLatest ? null : (
          <p className="text-sm">
            This is not the latest version. <Link href={packageHref(page.packageId)}>See the latest version</Link>.
          </p>
        )}
        <VerdictWarning page={page} />
        <ContinuityNotice continuity={page.continuity} />
        {page.provenance ? <ProvenancePanel provenance={page.provenance} /> : null}
        {page.signerProof ? (
          <p
            data-signer-proof={page.signerProof.by}
            className={`text-sm ${page.signerProof.by === "uploader" ? "text-slate-700" : "text-amber-900"}`}
          >
            {page.signerProof.sentence}
          </p>
        ) : null}
        <DeprecationNotice page={page} />
        {page.signer ? (
          <SignerPanel
            details={page.signer}
            registeredBy={page.certificateRegisteredBy}
            trusted={isTrustedSigning(page.signing)}
            provenSigningTime={page.provenSigningTime}
            checkedAt={page.publishedAt}
          />
        ) : null}
      </header>

      <div className="grid gap-8 md:grid-cols-[minmax(0,1fr)_18rem]">
        <aside className="min-w-0 space-y-6 md:col-start-2 md:row-start-1">
          <Section title="Install" id="install-heading">
            <div className="space-y-2">
              <h3 className="text-sm text-slate-600">.NET CLI</h3>
              <CodeSnippet
                code={addPackageCommand(source, page.packageId, page.version)}
                label="Copy the dotnet add package command"
                id="install-dotnet-cli"
              />
              <h3 className="text-sm text-slate-600">PackageReference</h3>
              <CodeSnippet
                code={packageReferenceElement(page.packageId, page.version)}
                label="Copy the PackageReference element"
                id="install-package-reference"
              />
              <p className="text-xs text-slate-600">
                A PackageReference names no source: map this ID to this gallery (see &quot;Use this gallery&quot;), so
                restore cannot take it from another source.
              </p>
            </div>
            <a
              href={page.downloadUrl}
              className="inline-block rounded bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-brand hover:no-underline"
              download
            >
              Download package ({formatSize(page.packageSize)})
            </a>
          </Section>
          <Section title="Details" id="details-heading">
            <Facts page={page} />
          </Section>
        </aside>
        <div className="min-w-0 space-y-8 md:col-start-1 md:row-start-1">
          <Section title="What NuGet does with this version" id="policy-heading">
            <VerdictTable
              verdicts={page.verdicts}
              caption={`What NuGet does with ${page.packageId} ${page.version} under each consumer policy`}
            />
            <p className="text-sm">
              <Link href={graphHref(page.packageId, page.version)}>
                Dependency graph, trusted signers and nuget.config
              </Link>{" "}
              for everything this version brings in.
            </p>
          </Section>
          <Section title="About" id="about-heading">
            {metadata.summary ? <p className="text-slate-700">{metadata.summary}</p> : null}
            <p className="break-words whitespace-pre-line">{metadata.description}</p>
          </Section>
          {metadata.readme ? (
            <Section title="Readme" id="readme-heading">
              <Readme content={metadata.readme} />
            </Section>
          ) : null}
          {metadata.releaseNotes ? (
            <Section title="Release notes" id="release-notes-heading">
              <p className="text-sm break-words whitespace-pre-line">{metadata.releaseNotes}</p>
            </Section>
          ) : null}
          <Section title="Dependencies" id="dependencies-heading">
            <DependencyGroups groups={page.dependencyGroups} />
          </Section>
          <Section title="Downloads" id="downloads-heading">
            <DownloadCounts packageId={page.packageId} downloads={page.downloads} />
          </Section>
          <Section title="Versions" id="versions-heading">
            <VersionsTable packageId={page.packageId} versions={page.versions} currentVerdict={page.verdict} />
          </Section>
          <Section title="Use this gallery" id="feed-heading">
            <FeedSourceInstructions
              source={source}
              patterns={page.mappingPatterns}
              mappingNote={`Restore then takes ${page.mappingPatterns.join(" and ")} only from this gallery, and everything else from nuget.org.`}
            />
          </Section>
        </div>
      </div>
    </article>
  );
}

/** Where a trusted-publishing version came from: the repository, workflow, commit and run its OIDC token named. */
function ProvenancePanel({ provenance }: { provenance: ProvenanceView }) {
  const gitlab = provenance.platform === "gitlab";
  return (
    <section
      aria-label="Provenance"
      data-provenance
      className="mt-2 rounded border border-emerald-200 bg-emerald-50 p-3 text-sm"
    >
      <h2 className="font-medium text-emerald-900">
        Published by trusted publishing from {gitlab ? "GitLab CI" : "GitHub Actions"}
      </h2>
      <dl className="mt-1 grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[8rem_1fr]">
        <dt className="text-slate-500">{gitlab ? "Project" : "Repository"}</dt>
        <dd className="break-all">
          {provenance.repository} <span className="text-xs text-slate-500">(ID {provenance.repositoryId})</span>
        </dd>
        <dt className="text-slate-500">{gitlab ? "CI configuration" : "Workflow"}</dt>
        <dd className="break-all">
          {provenance.workflowUrl ? (
            <a href={provenance.workflowUrl} className="text-accent underline">
              {provenance.workflow}
            </a>
          ) : (
            provenance.workflow
          )}
        </dd>
        {provenance.sha ? (
          <>
            <dt className="text-slate-500">Commit</dt>
            <dd className="break-all font-mono text-xs">
              {provenance.sha}
              {provenance.ref ? ` (${provenance.ref})` : ""}
            </dd>
          </>
        ) : null}
        {provenance.runId ? (
          <>
            <dt className="text-slate-500">{gitlab ? "Pipeline" : "Run"}</dt>
            <dd>
              {provenance.runUrl ? (
                <a href={provenance.runUrl} className="text-accent underline">
                  {provenance.runId}
                </a>
              ) : (
                provenance.runId
              )}
              {provenance.runAttempt ? `, attempt ${provenance.runAttempt}` : ""}
            </dd>
          </>
        ) : null}
        {provenance.jobId ? (
          <>
            <dt className="text-slate-500">Job</dt>
            <dd>
              {provenance.jobUrl ? (
                <a href={provenance.jobUrl} className="text-accent underline">
                  {provenance.jobId}
                </a>
              ) : (
                provenance.jobId
              )}
            </dd>
          </>
        ) : null}
        {provenance.environment ? (
          <>
            <dt className="text-slate-500">Environment</dt>
            <dd>{provenance.environment}</dd>
          </>
        ) : null}
        <dt className="text-slate-500">Issuer</dt>
        <dd className="break-all">{provenance.issuer}</dd>
      </dl>
    </section>
  );
}
