// The signature engine's report as an author needs to read it before publishing: who signed,
// with which certificate (the fingerprint to compare with their registered one), when the
// timestamp says it was signed, whether a repository signed too, and every issue found.
import { RevocationNote, withoutRevocationNotices } from "@/app/_components/packages/RevocationNote";
import { DistinguishedName } from "@/app/_components/packages/DistinguishedName";
import { Fingerprint } from "@/app/_components/packages/Fingerprint";
import { Time } from "@/app/_components/packages/Time";
import type { Issue } from "@/lib/issues";
import type { CertificateSummary, SignatureDetails, SignatureReport } from "@/lib/signing/report";
import { IssueList, notIn } from "@/app/_components/IssueList";
import { DetailList, DetailRow as Row } from "./Layout";

const STATUS_TEXT: Record<SignatureReport["status"], { label: string; style: string }> = {
  valid: { label: "Valid signature", style: "bg-green-100 text-green-800" },
  unsigned: { label: "Not signed", style: "bg-slate-100 text-slate-700" },
  invalid: { label: "Invalid signature", style: "bg-red-100 text-red-800" },
};

function CertificateRows({ certificate, prefix }: { certificate: CertificateSummary; prefix: string }) {
  return (
    <>
      <Row term="Subject" field={`${prefix}-subject`}>
        <DistinguishedName value={certificate.subject} />
      </Row>
      <Row term="Issuer">
        <DistinguishedName value={certificate.issuer} />
      </Row>
      <Row term="SHA-256" field={`${prefix}-fingerprint`}>
        <Fingerprint hex={certificate.sha256Fingerprint} />
      </Row>
      <Row term="Valid">
        <Time value={certificate.notBefore} dateOnly /> to <Time value={certificate.notAfter} dateOnly />
      </Row>
    </>
  );
}

function SignatureSection({
  title,
  signature,
  prefix,
}: {
  title: string;
  signature: SignatureDetails;
  prefix: string;
}) {
  const [timestamp] = signature.timestamps;
  return (
    <section aria-label={title} className="space-y-2">
      <h4 className="font-medium">
        {title}{" "}
        <span
          className={`ml-1 rounded px-1.5 py-0.5 text-xs ${signature.valid ? "bg-green-100 text-green-800" : "bg-red-100 text-red-800"}`}
        >
          {signature.valid ? "valid" : "not valid"}
        </span>
      </h4>
      <DetailList>
        {signature.signer ? (
          <CertificateRows certificate={signature.signer} prefix={prefix} />
        ) : (
          <Row term="Signer">Not readable</Row>
        )}
        <Row term="Chain">
          {signature.chain
            ? signature.chain.trusted
              ? "Trusted"
              : `Not trusted: ${signature.chain.problems.join("; ")}`
            : "Not built"}
        </Row>
        <Row term="Timestamp" field={`${prefix}-timestamp`}>
          {timestamp ? (
            <>
              <Time value={timestamp.time} /> by{" "}
              {timestamp.tsa ? <DistinguishedName value={timestamp.tsa.subject} /> : "an unreadable authority"}
              {timestamp.valid ? "" : " (not valid)"}
            </>
          ) : (
            "None"
          )}
        </Row>
        <Row term="Digest">{signature.digestAlgorithm}</Row>
        {signature.serviceIndexUrl ? <Row term="Repository">{signature.serviceIndexUrl}</Row> : null}
        {signature.packageOwners ? <Row term="Owners named">{signature.packageOwners.join(", ")}</Row> : null}
      </DetailList>
    </section>
  );
}

function integrityText(integrity: boolean | null): string {
  if (integrity === null) return "Not checked";
  return integrity ? "The contents match what was signed" : "The contents changed after signing";
}

/**
 * `shownElsewhere`: issues the page already lists (a preview's blocking problems), which are not
 * repeated here. `checkedAt`: when the report was made, for the revocation note.
 */
export function SignatureReportView({
  report,
  shownElsewhere = [],
  checkedAt = null,
}: {
  report: SignatureReport | null;
  shownElsewhere?: readonly Issue[];
  checkedAt?: Date | string | null;
}) {
  if (!report) {
    return <p className="text-sm text-slate-600">The package could not be read far enough to check its signature.</p>;
  }
  const status = STATUS_TEXT[report.status];
  const { issues, checkedOffline } = withoutRevocationNotices(notIn(report.issues, shownElsewhere));
  return (
    <div className="space-y-4">
      <p className="flex flex-wrap items-center gap-2 text-sm">
        <span data-signature-status={report.status} className={`rounded px-2 py-0.5 font-medium ${status.style}`}>
          {status.label}
        </span>
        {report.status === "unsigned" ? null : (
          <span className="text-slate-600">{integrityText(report.integrity)}</span>
        )}
      </p>
      {report.author ? (
        <SignatureSection
          title={report.author.kind === "author" ? "Author signature" : "Primary signature (unknown kind)"}
          signature={report.author}
          prefix="author"
        />
      ) : null}
      {report.repository ? (
        <SignatureSection title="Repository signature" signature={report.repository} prefix="repository" />
      ) : null}
      <IssueList
        issues={issues}
        label="Signature issues"
        empty={shownElsewhere.length > 0 ? undefined : "The signature check found no issues."}
      />
      {checkedOffline ? <RevocationNote checkedAt={checkedAt} /> : null}
    </div>
  );
}
