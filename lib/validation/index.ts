// Every upload rule in one place: the pure rules, and the pipeline that applies them in order.

export { judgeUpload, type UploadJudgement, type UploadToJudge } from "./judge-upload";
export {
  apiKeyAllows,
  packageGlobMatches,
  type ApiKeyAction,
  type ApiKeyGrant,
  type ApiKeyScope,
} from "./rules/api-key";
export { checkAuthorCountersignatures } from "./rules/author-countersignature";
export { checkAuthorTimestamp } from "./rules/author-timestamp";
export { checkEmbeddedFiles } from "./rules/embedded-files";
export { checkMetadataFields, isWebUrl } from "./rules/metadata-fields";
export { checkPackageId, checkPackageIdentity, type PackageIdentity } from "./rules/package-identity";
export { checkPackageOwnership } from "./rules/package-ownership";
export { checkPackageSize } from "./rules/package-size";
export {
  displayReservationPattern,
  isVerifiedPackage,
  judgePrefixReservation,
  matchReservations,
  type PrefixReservationRule,
} from "./rules/prefix-reservation";
export {
  describeSigningPolicy,
  judgeSigningRequirements,
  type SigningAccount,
  type SigningPolicy,
} from "./rules/signing-requirements";
