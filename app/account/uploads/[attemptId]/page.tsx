import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { withoutRevocationNotices } from "@/app/_components/packages/RevocationNote";
import { IssueList, errorsOf, notIn, warningsOf } from "@/app/_components/IssueList";
import { DetailList, DetailRow, Section } from "@/app/upload/_components/Layout";
import { SignatureReportView } from "@/app/upload/_components/SignatureReportView";
import { requireUser } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { getUploadAttempt, type UploadAttemptDetail } from "@/lib/uploads";
import { PREVIEW_LIFETIME_MS } from "@/lib/uploads/housekeeping";
import { formatSize } from "@/lib/validation/rules/wording";
import { OutcomeBadge } from "../_components/OutcomeBadge";
import { RegisterCertificateButton } from "@/app/_components/RegisterCertificateButton";
import { Time } from "@/app/_components/packages/Time";
import { attemptName } from "../_components/attempt-text";
import { PreviewActions } from "./PreviewActions";

export const metadata: Metadata = { title: "Upload" };
export const dynamic = "force-dynamic";

/** The package page of a published attempt; null while it is not published. */
function packagePageOf(attempt: UploadAttemptDetail): string | null {
  const published = attempt.status === "ACCEPTED" || attempt.status === "APPROVED";
  if (!published || attempt.packageId === null || attempt.version === null) return null;
  return `/packages/${encodeURIComponent(attempt.packageId)}/${encodeURIComponent(attempt.version)}`;
}

/** "1,698 bytes", or "12.3 MB (12,897,484 bytes)" where the rounded size hides the exact one. */
function exactSize(bytes: number): string {
  const exact = `${bytes.toLocaleString("en-US")} bytes`;
  const rounded = formatSize(bytes);
  return rounded === exact ? exact : `${rounded} (${exact})`;
}

function Facts({ attempt }: { attempt: UploadAttemptDetail }) {
  return (
    <DetailList>
      <DetailRow term="Uploaded">
        <Time value={attempt.createdAt} />
      </DetailRow>
      <DetailRow term="How">
        {attempt.source === "API" ? "Pushed with an API key" : "Uploaded on the web page"}
      </DetailRow>
      <DetailRow term="Size">{exactSize(attempt.fileSize)}</DetailRow>
      <DetailRow term="SHA-512">
        {attempt.sha512 ? <code className="text-xs break-all">{attempt.sha512}</code> : "Unknown"}
      </DetailRow>
      {attempt.decidedAt ? (
        <DetailRow term="Decided">
          <Time value={attempt.decidedAt} />
        </DetailRow>
      ) : null}
      {attempt.reviewerUsername ? (
        <DetailRow term="Reviewed by">{`${attempt.reviewerUsername}${attempt.reviewReason ? `: ${attempt.reviewReason}` : ""}`}</DetailRow>
      ) : null}
    </DetailList>
  );
}

export default async function UploadAttemptPage({ params }: { params: Promise<{ attemptId: string }> }) {
  const { attemptId } = await params;
  const user = await requireUser(`/account/uploads/${encodeURIComponent(attemptId)}`);
  const attempt = await getUploadAttempt(getDb(), attemptId);
  // Another person's upload is answered like a missing one.
  if (!attempt || attempt.uploaderId !== user.id) notFound();
  const name = attemptName(attempt);
  const reasons = errorsOf(attempt.issues);
  const packagePage = packagePageOf(attempt);
  const unregisteredSigner = reasons.some((issue) => issue.code === "SIGNER_NOT_REGISTERED")
    ? (attempt.signatureReport?.author?.signer?.sha256Fingerprint ?? null)
    : null;
  const actions = unregisteredSigner
    ? {
        SIGNER_NOT_REGISTERED: (
          <RegisterCertificateButton fingerprint={unregisteredSigner} then="Upload the package again to publish it." />
        ),
      }
    : undefined;
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
      {attempt.status === "PREVIEW" ? (
        <Section id="waiting-heading" title="Waiting to be submitted" boxed>
          <p className="text-sm text-slate-600">
            This upload was previewed but not submitted. Unless it is submitted, it is removed at{" "}
            <Time value={new Date(attempt.createdAt.getTime() + PREVIEW_LIFETIME_MS)} />.
          </p>
          <PreviewActions attemptId={attempt.id} blocked={reasons.length > 0} />
        </Section>
      ) : null}
      <Section id="facts-heading" title="The upload" boxed>
        <Facts attempt={attempt} />
      </Section>
      <Section id="issues-heading" title="Issues">
        <IssueList issues={reasons} label="Reasons" empty="No errors." actions={actions} />
        <IssueList
          issues={
            withoutRevocationNotices(notIn(warningsOf(attempt.issues), attempt.signatureReport?.issues ?? [])).issues
          }
          label="Warnings"
        />
      </Section>
      <Section id="signature-heading" title="Signature" boxed>
        <SignatureReportView
          report={attempt.signatureReport}
          shownElsewhere={reasons}
          checkedAt={attempt.decidedAt ?? attempt.createdAt}
        />
      </Section>
    </div>
  );
}
