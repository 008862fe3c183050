// The upload pipeline's public surface: receive a package, judge it, publish or quarantine it,
// review refused uploads, and list attempts.

export {
  discardReceivedPackage,
  receiveMultipartPackage,
  receivePackageStream,
  type ReceivedPackage,
  type ReceiveOptions,
} from "./receive";
export { submitPackage, type SubmitOptions, type UploadOutcome } from "./submit";
export { cancelPreview, previewPackage, submitPreview, type PreviewOptions, type PreviewResult } from "./previews";
export { removeStalePreviews, tidyUploadsOccasionally } from "./housekeeping";
export { approveAttempt, deleteAttempt, revalidateAttempt } from "./review";
export {
  getUploadAttempt,
  listUploadAttempts,
  type UploadAttemptDetail,
  type UploadAttemptFilter,
  type UploadAttemptPage,
  type UploadAttemptSummary,
} from "./attempts";
export { previewKey, publishedPackageKey, quarantineKey } from "./records";
export type { PublishedVersion, UploadSourceName, UploadStatusName } from "./publish";
export type { UploadJudgement } from "@/lib/validation/judge-upload";
