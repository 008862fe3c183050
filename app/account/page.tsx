import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm } from "@/app/_components/ActionForm";
import { Time } from "@/app/_components/packages/Time";
import { getDb } from "@/lib/services";
import { listOwnedContinuityNotices, type OwnedContinuityNotice } from "@/lib/packages/signer-continuity";
import { queueExpiryWarnings } from "@/lib/identity/expiry";
import { listOutbox } from "@/lib/outbox/outbox";
import { packageHref } from "@/app/_components/packages/links";
import { receivedInvitations } from "@/lib/owners/owners";
import { requireUser } from "@/lib/web/session";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

const SECTIONS = [
  {
    href: "/account/certificates",
    title: "Certificates",
    text: "Register the code-signing certificates your packages are signed with.",
  },
  {
    href: "/account/api-keys",
    title: "API keys",
    text: (
      <>
        Create keys for <code className="text-xs">dotnet nuget push</code>.
      </>
    ),
  },
  {
    href: "/account/trusted-publishing",
    title: "Trusted publishing",
    text: "Let a GitHub Actions or GitLab CI workflow publish your packages without a stored key.",
  },
  { href: "/account/uploads", title: "My uploads", text: "Every package you uploaded, with the verdict on each." },
  {
    href: "/account/security",
    title: "Security",
    text: "Two-factor authentication, passkeys, recovery codes and your password.",
  },
];

/** Versions of the account's packages whose signer changed: what an owner should recognise, or act on. */
function SignerChanges({ notices }: { notices: OwnedContinuityNotice[] }) {
  return (
    <section aria-labelledby="signer-changes-heading" className="rounded border border-slate-200 p-5">
      <h2 id="signer-changes-heading" className="mb-1 text-lg font-medium">
        Signer changes in your packages
      </h2>
      {notices.length === 0 ? (
        <p className="text-sm text-slate-600">
          Every version of your packages is signed like the version published before it.
        </p>
      ) : (
        <>
          <p className="mb-3 text-sm text-slate-600">
            Consumers see these notices on the versions&apos; pages. If you did not publish a version with a new signer,
            or without the signature, tell an administrator.
          </p>
          <ul className="divide-y divide-slate-100 text-sm">
            {notices.map((entry) => (
              <li key={`${entry.packageId}/${entry.version}`} data-continuity={entry.continuity} className="py-2">
                <Link href={packageHref(entry.packageId, entry.version)} className="font-medium">
                  {entry.packageId} {entry.version}
                </Link>{" "}
                <span className="text-slate-500">
                  (<Time value={entry.publishedAt} dateOnly />)
                </span>
                <p className={entry.notice.level === "warning" ? "text-amber-900" : "text-slate-700"}>
                  {entry.notice.sentence}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export default async function AccountPage() {
  const user = await requireUser("/account");
  const signerChanges = await listOwnedContinuityNotices(getDb(), user.id);
  await queueExpiryWarnings(getDb(), new Date(), user.id);
  const messages = await listOutbox(getDb(), user.id);
  const invitations = await receivedInvitations(getDb(), user.id);
  const details = [
    ["Username", user.username],
    ["Display name", user.displayName ?? user.username],
    ["Email", user.email],
    ["Role", user.role === "ADMIN" ? "Administrator" : "Member"],
  ] as const;
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Account</h1>
      <section aria-labelledby="profile-heading" className="rounded border border-slate-200 p-5">
        <h2 id="profile-heading" className="mb-3 text-lg font-medium">
          Profile
        </h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-[10rem_1fr]">
          {details.map(([term, value]) => (
            <div key={term} className="contents">
              <dt className="text-sm text-slate-500">{term}</dt>
              <dd className="break-all">{value}</dd>
            </div>
          ))}
          <dt className="text-sm text-slate-500">Member since</dt>
          <dd>
            <Time value={user.createdAt} />
          </dd>
        </dl>
      </section>
      {invitations.length > 0 ? (
        <section
          aria-labelledby="invitations-heading"
          className="space-y-3 rounded border border-amber-300 bg-amber-50 p-5"
        >
          <h2 id="invitations-heading" className="text-lg font-medium">
            Invitations to co-own packages
          </h2>
          <ul aria-label="Invitations" className="space-y-3">
            {invitations.map((invitation) => (
              <li key={invitation.id} data-invitation={invitation.packageId} className="space-y-2">
                <p className="text-sm">
                  {invitation.invitedBy} invited you <Time value={invitation.createdAt} /> to co-own{" "}
                  <Link href={packageHref(invitation.packageId)}>{invitation.packageId}</Link>: you could then push its
                  versions and manage it.
                </p>
                <div className="flex flex-wrap gap-3">
                  <ActionForm
                    endpoint={`/api/account/owner-invitations/${encodeURIComponent(invitation.id)}`}
                    method="POST"
                    fixed={{ accept: true }}
                    submitLabel={`Accept ${invitation.packageId}`}
                  />
                  <ActionForm
                    endpoint={`/api/account/owner-invitations/${encodeURIComponent(invitation.id)}`}
                    method="POST"
                    fixed={{ accept: false }}
                    submitLabel={`Decline ${invitation.packageId}`}
                  />
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <SignerChanges notices={signerChanges} />
      <section aria-label="Account sections" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {SECTIONS.map((section) => (
          <Link
            key={section.href}
            href={section.href}
            className="block rounded border border-slate-200 p-4 hover:border-accent hover:no-underline"
          >
            <h2 className="font-medium text-accent">{section.title}</h2>
            <p className="mt-1 text-sm text-slate-600">{section.text}</p>
          </Link>
        ))}
      </section>
      <section aria-labelledby="notifications-heading" className="space-y-3">
        <h2 id="notifications-heading" className="text-lg font-medium">
          Notifications
        </h2>
        <p className="text-sm text-slate-600">
          What the gallery tells you by email (when mail is configured): new signers on your packages, certificates
          about to expire or marked compromised, and more.
        </p>
        {messages.length === 0 ? (
          <p className="text-sm text-slate-600">Nothing yet.</p>
        ) : (
          <ul aria-label="Notifications" className="space-y-2">
            {messages.map((message) => (
              <li key={message.id} data-kind={message.kind} className="rounded border border-slate-200 p-3 text-sm">
                <div className="flex flex-wrap justify-between gap-2">
                  <span className="font-medium">{message.subject}</span>
                  <span className="text-xs text-slate-500">
                    <Time value={message.createdAt} /> ·{" "}
                    {message.sentAt
                      ? "emailed"
                      : message.sendError
                        ? `not emailed: ${message.sendError}`
                        : "not emailed"}
                  </span>
                </div>
                <p className="mt-1 break-words text-slate-700">{message.body}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
