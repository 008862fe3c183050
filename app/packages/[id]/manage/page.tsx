// A package's manage page, linked from the package page for its owners and admins: who owns it
// (invite a co-owner, remove an owner, leave), the signing setting, and each version's listing
// and deprecation. Owner changes ask for a second factor (the routes answer STEP_UP_REQUIRED and
// the form asks); every form shows the route's answer and the page then shows the new state.
import type { Metadata } from "next";
import Link from "next/link";
import { forbidden, notFound } from "next/navigation";
import type { ReactNode } from "react";
import { ActionForm } from "@/app/_components/ActionForm";
import { packageHref } from "@/app/_components/packages/links";
import { Time } from "@/app/_components/packages/Time";
import { requireUser, type CurrentUser } from "@/lib/web/session";
import { readRequiredSignerSetting } from "@/lib/certificates/required-signer";
import { getDb } from "@/lib/services";
import { IssueError } from "@/lib/issues";
import {
  DEPRECATION_REASON_LABELS,
  DEPRECATION_REASONS,
  describeDeprecation,
  readManagedVersions,
  type ManagedVersion,
} from "@/lib/packages/deprecation";
import { readOwnership, type PackageOwnership } from "@/lib/owners/owners";
import { RequiredSignerForm } from "./RequiredSignerForm";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Manage ${id}` };
}
export const dynamic = "force-dynamic";

async function loadOrRefuse<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (caught) {
    if (caught instanceof IssueError && caught.code === "PACKAGE_NOT_FOUND") notFound();
    if (caught instanceof IssueError && caught.code === "PACKAGE_FORBIDDEN") forbidden();
    throw caught;
  }
}

function Card({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="min-w-0 space-y-3 rounded border border-slate-200 p-5">
      <h2 id={id} className="text-lg font-medium">
        {title}
      </h2>
      {children}
    </section>
  );
}

function Owners({ ownership, user }: { ownership: PackageOwnership; user: CurrentUser }) {
  const base = `/api/packages/${encodeURIComponent(ownership.packageId)}`;
  const several = ownership.owners.length > 1;
  return (
    <Card id="owners-heading" title="Owners">
      <ul aria-label="Owners" className="space-y-3">
        {ownership.owners.map((owner) => {
          const self = owner.userId === user.id;
          return (
            <li
              key={owner.userId}
              data-owner={owner.username}
              className="flex flex-wrap items-center justify-between gap-3"
            >
              <span>
                <span className="font-medium">{owner.username}</span>
                {self ? " (you)" : null}{" "}
                <span className="text-sm text-slate-600">
                  owner since <Time value={owner.since} />
                </span>
              </span>
              {several ? (
                <ActionForm
                  endpoint={`${base}/owners/${encodeURIComponent(owner.username)}`}
                  method="DELETE"
                  submitLabel={self ? "Leave this package" : `Remove ${owner.username}`}
                  danger
                  afterSuccess={
                    self
                      ? {
                          href: `/packages/${encodeURIComponent(ownership.packageId)}`,
                          label: "Go to the package's page",
                        }
                      : undefined
                  }
                  confirmText={
                    self
                      ? `Leave ${ownership.packageId}? You will no longer be able to push or manage it.`
                      : `Remove ${owner.username} from the owners of ${ownership.packageId}?`
                  }
                />
              ) : null}
            </li>
          );
        })}
      </ul>
      {several ? null : (
        <p className="text-sm text-slate-600">A package always keeps one owner: invite another before you leave.</p>
      )}
      {ownership.invitations.length > 0 ? (
        <div className="space-y-2">
          <h3 className="font-medium">Waiting for an answer</h3>
          <ul aria-label="Invitations" className="space-y-2">
            {ownership.invitations.map((invitation) => (
              <li
                key={invitation.id}
                data-invitation={invitation.username}
                className="flex flex-wrap items-center justify-between gap-3 text-sm"
              >
                <span>
                  {invitation.username}, invited by {invitation.invitedBy} <Time value={invitation.createdAt} />
                </span>
                <ActionForm
                  endpoint={`${base}/invitations/${encodeURIComponent(invitation.id)}`}
                  method="DELETE"
                  submitLabel={`Withdraw the invitation to ${invitation.username}`}
                />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ActionForm
        endpoint={`${base}/owners`}
        method="POST"
        submitLabel="Invite"
        fields={[
          {
            kind: "text",
            name: "username",
            label: "Invite a co-owner by username",
            required: true,
            hint: "They become an owner when they accept, on their account page.",
          },
        ]}
      />
    </Card>
  );
}

function VersionRow({ packageId, version }: { packageId: string; version: ManagedVersion }) {
  const base = `/api/packages/${encodeURIComponent(packageId)}`;
  return (
    <li data-version={version.version} className="space-y-2 border-b border-slate-100 pb-3 last:border-b-0">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <span>
          <span className="font-medium">{version.version}</span>{" "}
          <span className="text-sm text-slate-600">{version.listed ? "listed" : "unlisted"}</span>
        </span>
        <ActionForm
          endpoint={`${base}/versions/${encodeURIComponent(version.version)}/listing`}
          method="PUT"
          fixed={{ listed: !version.listed }}
          submitLabel={version.listed ? `Unlist ${version.version}` : `List ${version.version} again`}
        />
      </div>
      {version.deprecation ? (
        <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
          <span className="text-amber-950">{describeDeprecation(version.deprecation)}</span>
          <ActionForm
            endpoint={`${base}/deprecation`}
            method="DELETE"
            fixed={{ versions: [version.version] }}
            submitLabel={`Undo the deprecation of ${version.version}`}
          />
        </div>
      ) : null}
    </li>
  );
}

function Versions({ packageId, versions }: { packageId: string; versions: ManagedVersion[] }) {
  return (
    <Card id="versions-heading" title="Versions">
      <p className="text-sm text-slate-600">
        An unlisted version stays downloadable for projects that name it, but search and &ldquo;latest&rdquo; no longer
        offer it.
      </p>
      <ul aria-label="Versions" className="space-y-3">
        {versions.map((version) => (
          <VersionRow key={version.version} packageId={packageId} version={version} />
        ))}
      </ul>
      <h3 id="deprecate-heading" className="font-medium">
        Deprecate versions
      </h3>
      <p className="text-sm text-slate-600">
        As on nuget.org: clients that read the feed (Visual Studio, <code>dotnet list package --deprecated</code>) warn
        people who use a deprecated version, with your reasons, message and alternate.
      </p>
      <div role="group" aria-labelledby="deprecate-heading">
        <ActionForm
          endpoint={`/api/packages/${encodeURIComponent(packageId)}/deprecation`}
          method="PUT"
          submitLabel="Deprecate"
          fields={[
            {
              kind: "choices",
              name: "versions",
              label: "Versions",
              options: versions.map((version) => ({ value: version.version, label: version.version })),
            },
            {
              kind: "choices",
              name: "reasons",
              label: "Reasons",
              options: DEPRECATION_REASONS.map((reason) => ({
                value: reason,
                label: DEPRECATION_REASON_LABELS[reason],
              })),
            },
            { kind: "textarea", name: "message", label: "Message (optional)" },
            { kind: "text", name: "alternatePackageId", label: "Alternate package ID (optional)" },
            {
              kind: "text",
              name: "alternateRange",
              label: "Alternate versions (optional)",
              placeholder: "* for any version",
              hint: "A version or range, e.g. [2.0.0, ); empty for any version.",
            },
          ]}
        />
      </div>
    </Card>
  );
}

export default async function ManagePackagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/packages/${encodeURIComponent(id)}/manage`);
  const db = getDb();
  const [setting, ownership] = await Promise.all([
    loadOrRefuse(readRequiredSignerSetting(db, id, user)),
    loadOrRefuse(readOwnership(db, id, user)),
  ]);
  const versions = await readManagedVersions(db, ownership.packageId);
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <p className="text-sm">
          <Link href={packageHref(setting.packageId)}>← {setting.packageId}</Link>
        </p>
        <h1 className="text-2xl font-semibold break-all">Manage {setting.packageId}</h1>
      </div>
      <Owners ownership={ownership} user={user} />
      <Card id="signing-heading" title="Required signer">
        {setting.owners.length > 1 ? (
          <RequiredSignerForm setting={setting} />
        ) : (
          <p className="text-sm text-slate-700">
            {setting.policySentence} Choosing a required signer becomes possible once the package has more than one
            owner: invite a co-owner above.
          </p>
        )}
      </Card>
      <Versions packageId={setting.packageId} versions={versions} />
    </div>
  );
}
