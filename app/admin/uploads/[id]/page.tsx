import type { Metadata } from "next";
import Link from "next/link";
import { IssueList } from "@/app/_components/IssueList";
import { SignatureReportView } from "@/app/upload/_components/SignatureReportView";
import { getUploadForReview } from "@/lib/admin/uploads";
import { requireAdmin } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import type { UploadAttemptDetail } from "@/lib/uploads";
import { ActionForm } from "@/app/_components/ActionForm";
import { loadOrNotFound } from "../../_components/load-or-not-found";
import { AdminShell, UtcTime } from "../../_components/AdminShell";

export const metadata: Metadata = { title: "Upload | Admin" };

const STATUS_WORDS: Record<UploadAttemptDetail["status"], string> = {
  PREVIEW: "preview, not submitted",
  ACCEPTED: "accepted and published",
  REJECTED: "refused",
  APPROVED: "approved and published",
  DELETED: "file deleted",
};
export const dynamic = "force-dynamic";

/** What became of an upload that can no longer be reviewed, from the stored record: who decided, when and why. */
function Decision({ upload }: { upload: UploadAttemptDetail }) {
  const name = upload.packageId ? `${upload.packageId} ${upload.version ?? ""}`.trim() : "this upload";
  const by = upload.reviewerUsername ? (
    <>
      {" "}
      by {upload.reviewerUsername} <UtcTime value={upload.decidedAt} />
    </>
  ) : null;
  const reason = upload.reviewReason ? <>: &ldquo;{upload.reviewReason}&rdquo;</> : null;
  const sentence = {
    ACCEPTED: upload.reviewerUsername ? (
      <>
        Published as {name} after revalidation{by}.
      </>
    ) : (
      <>Published as {name} when it was uploaded.</>
    ),
    APPROVED: (
      <>
        Approved and published as {name}
        {by}
        {reason}.
      </>
    ),
    DELETED: (
      <>
        File deleted{by}
        {reason}. The record stays for the audit trail.
      </>
    ),
    REJECTED: <>Refused, and its file was not kept, so there is nothing to review.</>,
    PREVIEW: <>A preview its uploader has not submitted yet; there is nothing to review.</>,
  }[upload.status];
  return (
    <p
      role="status"
      aria-label="Decision"
      data-decision={upload.status}
      className="rounded border border-slate-200 bg-slate-50 p-3 text-sm"
    >
      {sentence}
    </p>
  );
}

/** The review forms while the upload is refused and still has its file; afterwards only the decision. */
function ReviewActions({ upload }: { upload: UploadAttemptDetail }) {
  const reviewable = upload.status === "REJECTED" && upload.storageKey !== null;
  if (!reviewable) return <Decision upload={upload} />;
  const base = `/api/admin/uploads/${upload.id}`;
  return (
    <div className="grid gap-4 md:grid-cols-3">
      <section aria-label="Revalidate" className="space-y-2 rounded border border-slate-200 p-3">
        <h3 className="font-medium">Revalidate</h3>
        <p className="text-sm text-slate-600">
          Judge it again with today&apos;s rules, owners, certificates and trust. It is published if it now passes.
        </p>
        <ActionForm endpoint={`${base}/revalidate`} method="POST" submitLabel="Revalidate" />
      </section>
      <section aria-label="Approve despite the issues" className="space-y-2 rounded border border-slate-200 p-3">
        <h3 className="font-medium">Approve despite the issues</h3>
        <ActionForm
          endpoint={`${base}/approve`}
          method="POST"
          submitLabel="Approve and publish"
          fields={[{ kind: "textarea", name: "reason", label: "Reason (required)" }]}
        />
      </section>
      <section aria-label="Delete" className="space-y-2 rounded border border-slate-200 p-3">
        <h3 className="font-medium">Delete</h3>
        <ActionForm
          endpoint={base}
          method="DELETE"
          submitLabel="Delete the file"
          danger
          confirmText="Delete this upload's file? The record stays for the audit trail."
          fields={[{ kind: "textarea", name: "reason", label: "Reason (required)" }]}
        />
      </section>
    </div>
  );
}

export default async function UploadDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdmin(`/admin/uploads/${encodeURIComponent(id)}`);
  const upload = await loadOrNotFound(getUploadForReview(getDb(), id), "UPLOAD_NOT_FOUND");
  const facts = [
    ["Status", STATUS_WORDS[upload.status]],
    ["Uploader", upload.uploaderUsername],
    ["Source", upload.source === "API" ? "Push (API key)" : "Web upload"],
    ["Size", `${upload.fileSize.toLocaleString("en-US")} bytes`],
    ["SHA-512", upload.sha512 ?? "—"],
  ] as const;
  return (
    <AdminShell
      section="/admin/uploads"
      title={upload.packageId ? `${upload.packageId} ${upload.version ?? ""}` : "Unreadable package"}
    >
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
        {facts.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-slate-500">{term}</dt>
            <dd className="break-all" data-field={term.toLowerCase()}>
              {value}
            </dd>
          </div>
        ))}
        <dt className="text-slate-500">Uploaded</dt>
        <dd>
          <UtcTime value={upload.createdAt} />
        </dd>
        {upload.reviewerUsername ? (
          <>
            <dt className="text-slate-500">Reviewed</dt>
            <dd>
              by {upload.reviewerUsername} <UtcTime value={upload.decidedAt} />
              {upload.reviewReason ? `: ${upload.reviewReason}` : null}
            </dd>
          </>
        ) : null}
      </dl>
      {upload.storageKey ? (
        <p>
          <a href={`/api/admin/uploads/${upload.id}/file`} download>
            Download the quarantined file
          </a>
        </p>
      ) : null}
      <section aria-labelledby="review-heading" className="space-y-3">
        <h2 id="review-heading" className="text-lg font-medium">
          Review
        </h2>
        <ReviewActions upload={upload} />
      </section>
      <section aria-labelledby="issues-heading" className="space-y-3">
        <h2 id="issues-heading" className="text-lg font-medium">
          Issues
        </h2>
        <IssueList issues={upload.issues} label="Issues" empty="No issues were found." />
      </section>
      <section aria-labelledby="signature-heading" className="space-y-3">
        <h2 id="signature-heading" className="text-lg font-medium">
          Signature report
        </h2>
        <SignatureReportView report={upload.signatureReport} />
      </section>
      <section aria-labelledby="nuspec-heading" className="space-y-3">
        <h2 id="nuspec-heading" className="text-lg font-medium">
          Manifest (.nuspec)
        </h2>
        {upload.nuspecXml ? (
          <pre className="max-h-96 overflow-auto rounded bg-slate-50 p-3 text-xs">{upload.nuspecXml}</pre>
        ) : (
          <p className="text-sm text-slate-600">The package has no readable manifest.</p>
        )}
      </section>
      {upload.packageVersionId && upload.packageId && upload.version ? (
        <p>
          <Link href={`/packages/${encodeURIComponent(upload.packageId)}/${encodeURIComponent(upload.version)}`}>
            View the published package
          </Link>
        </p>
      ) : null}
    </AdminShell>
  );
}
