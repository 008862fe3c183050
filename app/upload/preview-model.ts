// What the upload page shows of a judged upload: the manifest fields an author checks before
// publishing, the signature report and every issue. Built on the server from the judgement, so
// the browser receives plain strings (ranges already worded) and nothing it does not show.
import { byActionability, type Issue } from "@/lib/issues";
import type { NuspecLicense } from "@/lib/nuspec/metadata";
import { dependencyGroupViews, storedDependencyGroups, type DependencyGroupView } from "@/lib/packages/dependencies";
import type { SignatureReport } from "@/lib/signing/report";
import type { UploadJudgement } from "@/lib/validation/judge-upload";

export interface UploadPreview {
  attemptId: string;
  packageId: string | null;
  version: string | null;
  title: string | null;
  authors: string[];
  description: string | null;
  license: string | null;
  projectUrl: string | null;
  dependencyGroups: DependencyGroupView[];
  /** Whether the ID will carry the Verified check (it lies in a prefix reserved by the uploader). */
  verified: boolean;
  signatureReport: SignatureReport | null;
  /** Every issue once, most actionable first. */
  issues: Issue[];
  /** Refused by the rules: already recorded as a refused upload, its file kept for an administrator. */
  refused: boolean;
  /** The author signer's SHA-256 fingerprint, offered for registration when no owner registered it. */
  unregisteredSignerFingerprint: string | null;
}

function describeLicense(license: NuspecLicense | undefined, licenseUrl: string | undefined): string | null {
  if (license?.type === "expression") return `${license.expression} (license expression)`;
  if (license?.type === "file") return `License file in the package: ${license.path}`;
  return licenseUrl ? `${licenseUrl} (license URL)` : null;
}

export function toUploadPreview(attemptId: string, judgement: UploadJudgement, refused: boolean): UploadPreview {
  const metadata = judgement.metadata;
  const signer = judgement.signatureReport?.author?.signer ?? null;
  const signerNotRegistered = judgement.issues.some((issue) => issue.code === "SIGNER_NOT_REGISTERED");
  return {
    attemptId,
    packageId: judgement.packageId,
    version: judgement.version,
    title: metadata?.title ?? null,
    authors: metadata?.authors ?? [],
    description: metadata?.description ?? null,
    license: metadata ? describeLicense(metadata.license, metadata.licenseUrl) : null,
    projectUrl: metadata?.projectUrl ?? null,
    dependencyGroups: metadata ? dependencyGroupViews(storedDependencyGroups(metadata)) : [],
    verified: judgement.verified,
    signatureReport: judgement.signatureReport,
    issues: byActionability(judgement.issues),
    refused,
    unregisteredSignerFingerprint: signerNotRegistered && signer ? signer.sha256Fingerprint : null,
  };
}
