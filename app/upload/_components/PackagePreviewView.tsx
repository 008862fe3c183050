// The judged upload before it is submitted: what the manifest says, whether the ID will be
// verified, the signature report, and first what (if anything) stops it from being published.
import type { UploadPreview } from "../preview-model";
import type { ReactNode } from "react";
import { withoutRevocationNotices } from "@/app/_components/packages/RevocationNote";
import { IssueList, errorsOf, notIn, warningsOf } from "@/app/_components/IssueList";
import { DetailList, DetailRow as Field, Section } from "./Layout";
import { SignatureReportView } from "./SignatureReportView";

function Dependencies({ groups }: { groups: UploadPreview["dependencyGroups"] }) {
  if (groups.length === 0) return <>None</>;
  return (
    <ul className="space-y-1">
      {groups.map((group) => (
        <li key={group.targetFramework}>
          <span className="font-medium">{group.targetFramework}</span>
          {group.dependencies.length === 0 ? (
            <span className="text-slate-500">: no dependencies</span>
          ) : (
            <ul className="ml-4 list-disc">
              {group.dependencies.map((dependency) => (
                <li key={dependency.id}>
                  {dependency.id} <span className="text-slate-500">({dependency.range})</span>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Warnings other than the signature's, which the signature section lists (revocation notices folded there). */
function warningsBesideSignature(preview: UploadPreview) {
  return withoutRevocationNotices(notIn(warningsOf(preview.issues), preview.signatureReport?.issues ?? [])).issues;
}

/** `actions`: a way to fix an issue, by code (the uploader's "Register this certificate"). */
export function PackagePreviewView({
  preview,
  actions,
}: {
  preview: UploadPreview;
  actions?: Readonly<Record<string, ReactNode>>;
}) {
  const blocking = errorsOf(preview.issues);
  const warnings = warningsBesideSignature(preview);
  return (
    <div className="space-y-6">
      <Section
        id="verdict-heading"
        title={
          blocking.length > 0
            ? `${blocking.length} ${blocking.length === 1 ? "problem stops" : "problems stop"} this upload`
            : "Ready to publish"
        }
      >
        <IssueList
          issues={blocking}
          label="Blocking problems"
          empty="Nothing stops this package from being published."
          actions={actions}
        />
        {warnings.length > 0 ? <IssueList issues={warnings} label="Warnings" /> : null}
      </Section>

      <Section
        id="preview-heading"
        title={
          preview.packageId
            ? `${preview.packageId} ${preview.version ?? ""}`.trim()
            : "Package details could not be read"
        }
        boxed
      >
        <DetailList>
          <Field term="ID" field="id">
            {preview.packageId ?? "Unknown"}
          </Field>
          <Field term="Version" field="version">
            {preview.version ?? "Unknown"}
          </Field>
          <Field term="Title" field="title">
            {preview.title ?? "None"}
          </Field>
          <Field term="Authors" field="authors">
            {preview.authors.length > 0 ? preview.authors.join(", ") : "None"}
          </Field>
          <Field term="Description" field="description">
            <span className="whitespace-pre-line">{preview.description ?? "None"}</span>
          </Field>
          <Field term="License" field="license">
            {preview.license ?? "None given"}
          </Field>
          {preview.projectUrl ? (
            <Field term="Project URL" field="project-url">
              {preview.projectUrl}
            </Field>
          ) : null}
          <Field term="Dependencies" field="dependencies">
            <Dependencies groups={preview.dependencyGroups} />
          </Field>
          <Field term="Verified ID" field="verified">
            {preview.verified
              ? "Yes: the ID lies in a prefix reserved by you, so it will show the Verified check."
              : "No: the ID is not in a prefix reserved by you, so it will not show the Verified check."}
          </Field>
        </DetailList>
      </Section>

      <Section id="signature-heading" title="Signature" boxed>
        <SignatureReportView report={preview.signatureReport} shownElsewhere={blocking} />
      </Section>
    </div>
  );
}
