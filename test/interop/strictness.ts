// Where Signet is deliberately stricter than the NuGet client (`dotnet nuget verify --all`),
// case by case, with the reason. The differential test (test/interop/differential.test.ts)
// holds every case named here to exactly this row: the client must still say `client`
// (so a row cannot outlive the difference it records) and Signet must say `signet`. Every
// other case must agree with the client: same verdict, and the client's first code first.

export interface StrictnessRow {
  /** The differential case's name (test/interop/differential/cases.ts). */
  case: string;
  /** The client's verdict: "valid", or its first error code. */
  client: string;
  /** Signet's first error code. */
  signet: string;
  reason: string;
}

const SHA1_CMS =
  "A SHA-1 CMS digest is refused (NU3012): SHA-1 collisions are practical (SHAttered 2017, chosen-prefix 2020), so the signed attributes it covers could be swapped for others with the same digest; `dotnet nuget sign` itself only signs with SHA-256/384/512. The client still accepts such signatures.";
const ISSUER_VALIDITY =
  "Every issuing certificate must be valid when the signature is judged (its valid timestamp, or now). The client sets IgnoreNotTimeValid on the chain and judges only the signer's own validity (NU3037), so it accepts a signer issued by a CA certificate that had expired, or was not yet valid, when the signature was made.";
const NO_SIGNATURE_KEY_USAGE =
  "A key usage that allows neither digitalSignature nor contentCommitment marks a key that must not make signatures (RFC 5280 §4.2.1.3); the client does not look at the leaf's key usage.";

export const DELIBERATE_STRICTNESS: readonly StrictnessRow[] = [
  { case: "rsa2048 signer, SHA-1 CMS digest", client: "valid", signet: "NU3012", reason: SHA1_CMS },
  { case: "rsa3072 signer, SHA-1 CMS digest", client: "valid", signet: "NU3012", reason: SHA1_CMS },
  { case: "rsa4096 signer, SHA-1 CMS digest", client: "valid", signet: "NU3012", reason: SHA1_CMS },
  { case: "intermediate expired before the timestamp", client: "valid", signet: "NU3012", reason: ISSUER_VALIDITY },
  { case: "intermediate expired now, no timestamp", client: "valid", signet: "NU3012", reason: ISSUER_VALIDITY },
  { case: "intermediate not yet valid now", client: "valid", signet: "NU3012", reason: ISSUER_VALIDITY },
  {
    case: "intermediate not yet valid at the timestamp, valid now",
    client: "valid",
    signet: "NU3012",
    reason: ISSUER_VALIDITY,
  },
  { case: "signer key usage: keyEncipherment only", client: "valid", signet: "NU3012", reason: NO_SIGNATURE_KEY_USAGE },
  { case: "TSA key usage: keyEncipherment only", client: "valid", signet: "NU3028", reason: NO_SIGNATURE_KEY_USAGE },
  {
    case: "forged signer under an untrusted end entity, with a valid repository countersignature",
    client: "valid",
    signet: "NU3012",
    reason:
      "Under an untrusted root the client (OpenSSL's chain builder) reports only UntrustedRoot, which a valid repository countersignature excuses, and never reaches the cA=false issuer. Signet applies the path rules whether or not the root is trusted: a countersignature vouches for the author's trust anchor, not for a certificate that no CA issued, and the gallery must never show this package as signed by 'Microsoft Corporation'.",
  },
];
