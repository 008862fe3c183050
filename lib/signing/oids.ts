// Object identifiers the NuGet signature format uses (NuGet.Client Oids.cs; reference §2–§5).

export const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  tstInfo: "1.2.840.113549.1.9.16.1.4",

  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  countersignature: "1.2.840.113549.1.9.6",
  timestampToken: "1.2.840.113549.1.9.16.2.14",
  signingCertificate: "1.2.840.113549.1.9.16.2.12",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  commitmentTypeIndication: "1.2.840.113549.1.9.16.2.16",
  proofOfOrigin: "1.2.840.113549.1.9.16.6.1",
  proofOfReceipt: "1.2.840.113549.1.9.16.6.2",
  nugetV3ServiceIndexUrl: "1.3.6.1.4.1.311.84.2.1.1.1",
  nugetPackageOwners: "1.3.6.1.4.1.311.84.2.1.1.2",

  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  sha384WithRsa: "1.2.840.113549.1.1.12",
  sha512WithRsa: "1.2.840.113549.1.1.13",

  extendedKeyUsage: "2.5.29.37",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
  crlDistributionPoints: "2.5.29.31",
  authorityInfoAccess: "1.3.6.1.5.5.7.1.1",
  ocsp: "1.3.6.1.5.5.7.48.1",
  codeSigningUsage: "1.3.6.1.5.5.7.3.3",
  timeStampingUsage: "1.3.6.1.5.5.7.3.8",
  lifetimeSigningUsage: "1.3.6.1.4.1.311.10.3.13",
  anyExtendedKeyUsage: "2.5.29.37.0",

  etsiBaselinePolicy: "0.4.0.2023.1.1",
} as const;

export type HashAlgorithmName = "SHA-256" | "SHA-384" | "SHA-512";

export interface HashAlgorithm {
  name: HashAlgorithmName;
  oid: string;
  /** node:crypto's name for it. */
  nodeName: "sha256" | "sha384" | "sha512";
  /** The sha*WithRSAEncryption signature algorithm using it. */
  rsaSignatureOid: string;
}

/** The SHA-2 family: the only hashes NuGet accepts for package hashes, signatures and timestamps. */
export const HASH_ALGORITHMS: readonly HashAlgorithm[] = [
  { name: "SHA-256", oid: "2.16.840.1.101.3.4.2.1", nodeName: "sha256", rsaSignatureOid: OID.sha256WithRsa },
  { name: "SHA-384", oid: "2.16.840.1.101.3.4.2.2", nodeName: "sha384", rsaSignatureOid: OID.sha384WithRsa },
  { name: "SHA-512", oid: "2.16.840.1.101.3.4.2.3", nodeName: "sha512", rsaSignatureOid: OID.sha512WithRsa },
];

export function hashAlgorithmByOid(oid: string): HashAlgorithm | undefined {
  return HASH_ALGORITHMS.find((algorithm) => algorithm.oid === oid);
}

export function hashAlgorithmByRsaSignatureOid(oid: string): HashAlgorithm | undefined {
  return HASH_ALGORITHMS.find((algorithm) => algorithm.rsaSignatureOid === oid);
}
