// The signature engine's public surface. Pure TypeScript over pkijs/asn1js: no framework,
// database or file-system configuration; trust roots come in as DER bytes (see lib/trust).

export {
  verifyPackage,
  verifyPackageSignatures,
  type TrustStore,
  type UnsignedPackageHashes,
  type VerifiedPackage,
  type VerifyOptions,
} from "./verify";
export { parseCertificate, describeCertificate, checkSigningCertificateRules } from "./certificates";
export type { RevocationOptions } from "./revocation";
export type * from "./report";
