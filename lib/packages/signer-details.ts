// The signer details panel, derived only from the SignatureReport the engine stored at upload:
// nothing here parses certificates, so a page view costs a JSON read, and the result depends on
// the report alone (it can be cached per version). Browser-safe.

import { displayFingerprint } from "@/lib/certificates/fingerprint";
import type { Issue } from "@/lib/issues";
import type {
  CertificateSummary,
  ChainReport,
  SignatureDetails,
  SignatureKind,
  SignatureReport,
  TimestampReport,
} from "@/lib/signing/report";
import { displayName, nameAttribute } from "@/lib/signing/distinguished-name";

export interface CertificateView {
  subject: string;
  commonName: string | null;
  organization: string | null;
  /** CN, else O, else the whole subject: what to call the holder in a sentence. */
  name: string;
  issuer: string;
  issuerName: string;
  serialNumber: string;
  /** 64 lower-case hex digits, as stored. */
  sha256Fingerprint: string;
  /** "AB:CD:…", as `openssl x509 -fingerprint -sha256` prints it. */
  sha256FingerprintDisplay: string;
  notBefore: string;
  notAfter: string;
}

export interface ChainView {
  /** Root first, signer last: the order the picture draws, top to bottom. */
  fromRoot: CertificateView[];
  trusted: boolean;
  problems: string[];
}

export interface TimestampView {
  time: string;
  authority: CertificateView | null;
  valid: boolean;
}

export interface SignatureView {
  kind: SignatureKind;
  /** "Author signature", "Repository signature", "Repository countersignature"... */
  title: string;
  valid: boolean;
  signer: CertificateView | null;
  chain: ChainView | null;
  signingTime: string | null;
  digestAlgorithm: string;
  timestamps: TimestampView[];
  /** Repository signatures: the feed that signed, and the owners it vouched for. */
  serviceIndexUrl: string | null;
  packageOwners: string[] | null;
}

export interface SignerDetails {
  author: SignatureView | null;
  repository: SignatureView | null;
  /** Whether the contents match the signed hash; null when nothing was checked (unsigned). */
  integrity: boolean | null;
  packageHashAlgorithm: string | null;
  issues: Issue[];
  /** A nuget.config <trustedSigners> block requiring this author certificate; null without one. */
  trustedSignersConfig: string | null;
  /** A <trustedSigners> block requiring this repository signature (certificate and owners); null without a valid one. */
  repositoryTrustedSignersConfig: string | null;
}

export function certificateView(summary: CertificateSummary): CertificateView {
  return {
    subject: summary.subject,
    commonName: nameAttribute(summary.subject, "CN"),
    organization: nameAttribute(summary.subject, "O"),
    name: displayName(summary.subject),
    issuer: summary.issuer,
    issuerName: displayName(summary.issuer),
    serialNumber: summary.serialNumber,
    sha256Fingerprint: summary.sha256Fingerprint,
    sha256FingerprintDisplay: displayFingerprint(summary.sha256Fingerprint),
    notBefore: summary.notBefore,
    notAfter: summary.notAfter,
  };
}

function chainView(chain: ChainReport): ChainView {
  return {
    fromRoot: chain.certificates.map(certificateView).reverse(),
    trusted: chain.trusted,
    problems: chain.problems,
  };
}

function timestampView(timestamp: TimestampReport): TimestampView {
  return {
    time: timestamp.time,
    authority: timestamp.tsa ? certificateView(timestamp.tsa) : null,
    valid: timestamp.valid,
  };
}

function signatureTitle(details: SignatureDetails): string {
  if (details.kind === "author") return "Author signature";
  if (details.kind === "repository")
    return details.placement === "countersignature" ? "Repository countersignature" : "Repository signature";
  return "Signature of an unknown type";
}

function signatureView(details: SignatureDetails): SignatureView {
  return {
    kind: details.kind,
    title: signatureTitle(details),
    valid: details.valid,
    signer: details.signer ? certificateView(details.signer) : null,
    chain: details.chain ? chainView(details.chain) : null,
    signingTime: details.signingTime,
    digestAlgorithm: details.digestAlgorithm,
    timestamps: details.timestamps.map(timestampView),
    serviceIndexUrl: details.serviceIndexUrl,
    packageOwners: details.packageOwners,
  };
}

function escapeXmlAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** What a consumer adds to nuget.config so restore accepts this package only with this author certificate. */
export function trustedSignersConfig(signer: CertificateView): string {
  return [
    "<trustedSigners>",
    `  <author name="${escapeXmlAttribute(signer.name)}">`,
    `    <certificate fingerprint="${signer.sha256Fingerprint.toUpperCase()}" hashAlgorithm="SHA256" allowUntrustedRoot="false" />`,
    "  </author>",
    "</trustedSigners>",
  ].join("\n");
}

/**
 * What a consumer adds to nuget.config so restore accepts packages only when this repository
 * signed them (NuGet matches the signature's service index URL and certificate) and vouched for
 * these owners, the owners the signature names.
 */
export function repositoryTrustedSignersConfig(repository: SignatureView): string | null {
  if (!repository.valid || !repository.signer || !repository.serviceIndexUrl) return null;
  const owners = repository.packageOwners ?? [];
  return [
    "<trustedSigners>",
    `  <repository name="${escapeXmlAttribute(new URL(repository.serviceIndexUrl).host)}" serviceIndex="${escapeXmlAttribute(repository.serviceIndexUrl)}">`,
    `    <certificate fingerprint="${repository.signer.sha256Fingerprint.toUpperCase()}" hashAlgorithm="SHA256" allowUntrustedRoot="false" />`,
    ...(owners.length > 0 ? [`    <owners>${owners.map(escapeXmlAttribute).join(";")}</owners>`] : []),
    "  </repository>",
    "</trustedSigners>",
  ].join("\n");
}

export function signerDetails(report: SignatureReport): SignerDetails {
  const author = report.author ? signatureView(report.author) : null;
  const authorSigner = report.author?.kind === "author" ? (author?.signer ?? null) : null;
  const repository = report.repository ? signatureView(report.repository) : null;
  return {
    author,
    repository,
    integrity: report.integrity,
    packageHashAlgorithm: report.packageHashAlgorithm,
    issues: report.issues,
    trustedSignersConfig: authorSigner ? trustedSignersConfig(authorSigner) : null,
    repositoryTrustedSignersConfig:
      repository?.kind === "repository" ? repositoryTrustedSignersConfig(repository) : null,
  };
}
