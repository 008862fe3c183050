import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { IssueList, errorsOf, warningsOf } from "@/app/upload/_components/IssueList";
import { SignatureReportView } from "@/app/upload/_components/SignatureReportView";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { getUploadAttempt, type UploadAttemptDetail } from "@/lib/uploads";
import { formatSize } from "@/lib/validation/rules/wording";
import { OutcomeBadge } from "../_components/OutcomeBadge";
import { uploadedAt } from "../_components/times";

export const metadata: Metadata = { title: "Upload" };
export const dynamic = "force-dynamic";

/** The package page of a published attempt; null while it is not published. */
function packagePageOf(attempt: UploadAttemptDetail): string | null {
  const published = attempt.status === "ACCEPTED" || attempt.status === "APPROVED";
  if (!published || attempt.packageId === null || attempt.version === null) return null;
  return `/packages/${encodeURIComponent(attempt.packageId)}/${encodeURIComponent(attempt.version)}`;
}

function Facts({ attempt }: { attempt: UploadAttemptDetail }) {
  const rows: [string, React.ReactNode][] = [
    ["Uploaded", uploadedAt(attempt.createdAt)],
    ["How", attempt.source === "API" ? "Pushed with an API key" : "Uploaded on the web page"],
    ["Size", `${formatSize(attempt.fileSize)} (${attempt.fileSize.toLocaleString("en-US")} bytes)`],
    ["SHA-512", attempt.sha512 ? <code className="text-xs">{attempt.sha512}</code> : "Unknown"],
  ];
  if (attempt.decidedAt) rows.push(["Decided", uploadedAt(attempt.decidedAt)]);
  if (attempt.reviewerUsername) rows.push(["Reviewed by", `${attempt.reviewerUsername}${attempt.reviewReason ? `: ${attempt.reviewReason}` : ""}`]);
  return (
    <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-slate-500">{term}</dt>
          <dd className="break-all">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export default async function UploadAttemptPage({ params }: { params: Promise<{ attemptId: string }> }) {
  const { attemptId } = await params;
  const user = await requireUser(`/account/uploads/${encodeURIComponent(attemptId)}`);
  const attempt = await getUploadAttempt(getDb(), attemptId);
  // Another person's upload is answered like a missing one.
  if (!attempt || attempt.uploaderId !== user.id) notFound();
  const name = attempt.packageId ? `${attempt.packageId} ${attempt.version ?? ""}`.trim() : "Unreadable package";
  const reasons = errorsOf(attempt.issues);
  const packagePage = packagePageOf(attempt);
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link href="/account/uploads">← My uploads</Link>
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold break-all">{name}</h1>
        <OutcomeBadge status={attempt.status} />
      </div>
      {packagePage ? (
        <p>
          <Link href={packagePage}>View the package page</Link>
        </p>
      ) : null}
      <section aria-labelledby="facts-heading" className="space-y-3 rounded border border-slate-200 p-5">
        <h2 id="facts-heading" className="text-lg font-medium">
          The upload
        </h2>
        <Facts attempt={attempt} />
      </section>
      <section aria-labelledby="issues-heading" className="space-y-3">
        <h2 id="issues-heading" className="text-lg font-medium">
          Issues
        </h2>
        <IssueList issues={reasons} label="Reasons" empty="No errors." />
        <IssueList issues={warningsOf(attempt.issues)} label="Warnings" />
      </section>
      <section aria-labelledby="signature-heading" className="space-y-3 rounded border border-slate-200 p-5">
        <h2 id="signature-heading" className="text-lg font-medium">
          Signature
        </h2>
        <SignatureReportView report={attempt.signatureReport} />
      </section>
    </div>
  );
}
