// The project's RFC 3161 time-stamping authority: answer TimeStampReq bytes with TimeStampResp
// bytes, or serve that over HTTP.
export { respondToTimestampRequest, type TimestampAuthority, type TimestampSigner } from "./authority";
export { startTimestampServer, type RunningTimestampServer, type TimestampServerOptions } from "./server";
export { fromPem, toPem } from "./pem";
export { SIGNING_CERTIFICATE_V2_OID, signingCertificateV2Attribute } from "./ess";
export { assertTimestampingCertificate, timestampingCertificateProblem } from "./certificate";
export { httpTimestamper } from "./client";
