export { respondToTimestampRequest, type TimestampAuthority, type TimestampSigner } from "./authority";
export { startTimestampServer, type RunningTimestampServer, type TimestampServerOptions } from "./server";
export { signingCertificateV2Attribute } from "./ess";
