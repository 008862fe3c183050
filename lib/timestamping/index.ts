// RFC 3161 time stamping: asking an authority over HTTP (client.ts), and the project's own
// authority answering TimeStampReq bytes with TimeStampResp bytes, which stamps the gallery's
// repository signatures in process when no SIGNET_TIMESTAMP_URL is configured. Serving it over
// HTTP is for `npm run tsa` and the tests only: scripts/timestamp-server.ts.
export { respondToTimestampRequest, type TimestampAuthority, type TimestampSigner } from "./authority";
export { fromPem, toPem } from "./pem";
export { SIGNING_CERTIFICATE_V2_OID, signingCertificateV2Attribute } from "./ess";
export { assertTimestampingCertificate, timestampingCertificateProblem } from "./certificate";
export { httpTimestamper } from "./client";
