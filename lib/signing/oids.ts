// Object identifiers the NuGet signature format uses (NuGet.Client Oids.cs).

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
  ecPublicKey: "1.2.840.10045.2.1",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  sha384WithRsa: "1.2.840.113549.1.1.12",
  sha512WithRsa: "1.2.840.113549.1.1.13",

  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  nameConstraints: "2.5.29.30",
  certificatePolicies: "2.5.29.32",
  policyMappings: "2.5.29.33",
  authorityKeyIdentifier: "2.5.29.35",
  policyConstraints: "2.5.29.36",
  extendedKeyUsage: "2.5.29.37",
  inhibitAnyPolicy: "2.5.29.54",
  emailAddress: "1.2.840.113549.1.9.1",
  crlDistributionPoints: "2.5.29.31",
  authorityInfoAccess: "1.3.6.1.5.5.7.1.1",
  ocsp: "1.3.6.1.5.5.7.48.1",
  codeSigningUsage: "1.3.6.1.5.5.7.3.3",
  timeStampingUsage: "1.3.6.1.5.5.7.3.8",
  lifetimeSigningUsage: "1.3.6.1.4.1.311.10.3.13",

  etsiBaselinePolicy: "0.4.0.2023.1.1",
} as const;

export type HashAlgorithmName = "SHA-256" | "SHA-384" | "SHA-512";

/** A digest a CMS signature may be made with, and the RSA and ECDSA signature algorithms that use it. */
export interface DigestAlgorithm {
  name: HashAlgorithmName | "SHA-1";
  oid: string;
  /** node:crypto's name for it. */
  nodeName: "sha1" | "sha256" | "sha384" | "sha512";
  /** The sha*WithRSAEncryption signature algorithm using it. */
  rsaSignatureOid: string;
  /** The ecdsa-with-SHA* signature algorithm using it. */
  ecdsaSignatureOid: string;
}

export interface HashAlgorithm extends DigestAlgorithm {
  name: HashAlgorithmName;
  nodeName: "sha256" | "sha384" | "sha512";
}

/** The SHA-2 family: the only hashes NuGet accepts for package hashes and timestamps (and Signet for signatures). */
export const HASH_ALGORITHMS: readonly HashAlgorithm[] = [
  {
    name: "SHA-256",
    oid: "2.16.840.1.101.3.4.2.1",
    nodeName: "sha256",
    rsaSignatureOid: OID.sha256WithRsa,
    ecdsaSignatureOid: "1.2.840.10045.4.3.2",
  },
  {
    name: "SHA-384",
    oid: "2.16.840.1.101.3.4.2.2",
    nodeName: "sha384",
    rsaSignatureOid: OID.sha384WithRsa,
    ecdsaSignatureOid: "1.2.840.10045.4.3.3",
  },
  {
    name: "SHA-512",
    oid: "2.16.840.1.101.3.4.2.3",
    nodeName: "sha512",
    rsaSignatureOid: OID.sha512WithRsa,
    ecdsaSignatureOid: "1.2.840.10045.4.3.4",
  },
];

/**
 * Every digest a CMS signature can be checked with. SHA-1 is here because the NuGet client
 * still verifies signatures made with it; whether it is acceptable is decided apart from the
 * cryptographic check (a timestamp token's SHA-1 digest is NU3024, a package signature's is
 * refused by Signet deliberately).
 */
const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = [
  {
    name: "SHA-1",
    oid: "1.3.14.3.2.26",
    nodeName: "sha1",
    rsaSignatureOid: "1.2.840.113549.1.1.5",
    ecdsaSignatureOid: "1.2.840.10045.4.1",
  },
  ...HASH_ALGORITHMS,
];

export function hashAlgorithmByOid(oid: string): HashAlgorithm | undefined {
  return HASH_ALGORITHMS.find((algorithm) => algorithm.oid === oid);
}

export function digestAlgorithmByOid(oid: string): DigestAlgorithm | undefined {
  return DIGEST_ALGORITHMS.find((algorithm) => algorithm.oid === oid);
}

export function hashAlgorithmByRsaSignatureOid(oid: string): HashAlgorithm | undefined {
  return HASH_ALGORITHMS.find((algorithm) => algorithm.rsaSignatureOid === oid);
}
