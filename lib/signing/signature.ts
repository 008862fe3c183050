// Verifying one package signature, the primary one or the repository countersignature, the
// way NuGet's Signature.Verify does (reference §3–§6): signer certificate, signed attributes,
// RSA signature, certificate rules, timestamps, time validity, chain and revocation.

import * as pkijs from "pkijs";
import { error, hasErrors, warning, type Issue } from "@/lib/issues";
import type { SignatureDetails, SignatureKind, TimestampReport } from "./report";
import { attributeValues, readPackageOwners, readServiceIndexUrl, readSignatureKind, readSigningTime } from "./attributes";
import { buildChain, describeChain } from "./chain";
import { checkCertificateBasics, checkSigningCertificateUsage, describeCertificate, SIGNING_CERTIFICATE_CODES } from "./certificates";
import { attemptRead, collectIssue } from "./collect-issues";
import { formatName } from "./names";
import { OID } from "./oids";
import { checkRevocation, type RevocationOptions } from "./revocation";
import { checkSigningCertificateV2, findSignerCertificate, signatureValue, signerDigestAlgorithm, verifySignerInfo } from "./signer-info";
import type { TrustAnchors } from "./trust-anchors";
import { verifyTimestamp, type VerifiedTimestamp } from "./timestamp";

export interface VerificationContext {
  /** Certificates carried by the package signature (chains of every signer). */
  certificates: readonly pkijs.Certificate[];
  codeSigningRoots: TrustAnchors;
  timestampingRoots: TrustAnchors;
  now: Date;
  revocation: RevocationOptions;
}

export type Placement = SignatureDetails["placement"];

/** NuGet's codes differ for the primary signature and the repository countersignature. */
interface PlacementCodes {
  missingCertificate: string;
  attributes: string;
  signature: string;
  chain: string;
}

const CODES: Record<Placement, PlacementCodes> = {
  primary: { missingCertificate: "NU3010", attributes: "NU3011", signature: "NU3012", chain: "NU3012" },
  countersignature: { missingCertificate: "NU3031", attributes: "NU3031", signature: "NU3031", chain: "NU3035" },
};

export interface VerifiedSignature {
  details: SignatureDetails;
  issues: Issue[];
}

function label(kind: SignatureKind, placement: Placement): string {
  if (placement === "countersignature") return "Repository countersignature";
  return kind === "author" ? "Author signature" : kind === "repository" ? "Repository signature" : "Signature";
}

async function verifyTimestamps(signerInfo: pkijs.SignerInfo, context: VerificationContext, issues: Issue[]): Promise<VerifiedTimestamp[]> {
  const verified: VerifiedTimestamp[] = [];
  for (const values of attributeValues(signerInfo.unsignedAttrs, OID.timestampToken)) {
    for (const token of values) {
      await collectIssue(issues, async () => {
        const timestamp = await verifyTimestamp(token, signatureValue(signerInfo), { trustedRoots: context.timestampingRoots, signatureCertificates: context.certificates, now: context.now });
        issues.push(...timestamp.issues);
        if (timestamp.report.valid) issues.push(...(await checkRevocation(timestamp.tsaChain, context.revocation, "NU3028", "timestamp authority")));
        verified.push(timestamp);
      });
    }
  }
  return verified;
}

/**
 * The signer must be valid at the time the first valid timestamp vouches for (or now, without
 * one): NotBefore < LowerLimit and UpperLimit < NotAfter, strictly (NuGet
 * ValidateSignerCertificateAgainstTimestamp); otherwise NU3037.
 */
function checkTimeValidity(certificate: pkijs.Certificate, timestamp: VerifiedTimestamp | undefined, now: Date): Issue[] {
  const lower = timestamp?.lowerLimit ?? now;
  const upper = timestamp?.upperLimit ?? now;
  if (certificate.notBefore.value < lower && upper < certificate.notAfter.value) return [];
  const at = timestamp ? `the timestamp time ${timestamp.report.time}` : `the current time ${now.toISOString()} (no valid timestamp)`;
  return [
    error(
      "NU3037",
      `The signing certificate '${formatName(certificate.subject)}' (valid ${certificate.notBefore.value.toISOString()} to ${certificate.notAfter.value.toISOString()}) was not valid at ${at}.`,
    ),
  ];
}

/**
 * Verifies `signerInfo` as the signature at `placement`. `signedContent` is what its
 * message digest covers: the signature content for the primary signature, the primary
 * signature value for a countersignature.
 */
export async function verifySignature(
  signerInfo: pkijs.SignerInfo,
  placement: Placement,
  signedContent: Uint8Array,
  context: VerificationContext,
): Promise<VerifiedSignature> {
  const codes = CODES[placement];
  const issues: Issue[] = [];
  const kind = attemptRead<SignatureKind>(issues, () => readSignatureKind(signerInfo.signedAttrs, codes.attributes), "unknown");
  const details: SignatureDetails = {
    kind,
    placement,
    signer: null,
    chain: null,
    signingTime: null,
    digestAlgorithm: attemptRead(issues, () => signerDigestAlgorithm(signerInfo, codes.signature).name, signerInfo.digestAlgorithm.algorithmId),
    timestamps: [],
    serviceIndexUrl: null,
    packageOwners: null,
    valid: false,
  };

  const certificate = findSignerCertificate(signerInfo, context.certificates);
  if (!certificate) {
    issues.push(error(codes.missingCertificate, "The signer's certificate is not included in the signature."));
    return finish(details, issues);
  }
  details.signer = await describeCertificate(certificate);

  // RFC 5652 §11.4: a countersignature has no content type; the primary signs id-data.
  const contentType = placement === "primary" ? OID.data : undefined;
  await collectIssue(issues, () => verifySignerInfo(signerInfo, certificate, signedContent, codes.signature, contentType));
  // undefined: present but unreadable (already an issue); null: absent.
  const signingTime = attemptRead<Date | null | undefined>(issues, () => readSigningTime(signerInfo.signedAttrs, codes.attributes), undefined);
  details.signingTime = signingTime?.toISOString() ?? null;
  // NuGet only applies the signing-time and ESS rules to author and repository signatures.
  if (kind !== "unknown") {
    if (signingTime === null) issues.push(error(codes.attributes, "The signature has no signing-time attribute."));
    await collectIssue(issues, () => checkSigningCertificateV2(signerInfo, certificate, codes.attributes));
  }
  if (kind === "repository") {
    const repositoryCode = placement === "primary" ? "NU3000" : codes.attributes;
    const serviceIndexUrl = attemptRead<string | null | undefined>(issues, () => readServiceIndexUrl(signerInfo.signedAttrs, repositoryCode), undefined);
    if (serviceIndexUrl === null) issues.push(error(repositoryCode, "The repository signature has no nuget-v3-service-index-url attribute."));
    details.serviceIndexUrl = serviceIndexUrl ?? null;
    details.packageOwners = attemptRead(issues, () => readPackageOwners(signerInfo.signedAttrs, repositoryCode), null);
  }

  issues.push(...checkCertificateBasics(certificate, context.now, SIGNING_CERTIFICATE_CODES, "signing"));
  issues.push(...checkSigningCertificateUsage(certificate));

  const timestamps = await verifyTimestamps(signerInfo, context, issues);
  details.timestamps = timestamps.map((timestamp): TimestampReport => timestamp.report);
  if (timestamps.length === 0) issues.push(warning("NU3027", "The signature has no timestamp, so it is only valid while its certificate is."));
  const vouching = timestamps.find((timestamp) => timestamp.report.valid);
  issues.push(...checkTimeValidity(certificate, vouching, context.now));

  const chain = await buildChain(certificate, { pool: context.certificates, trustedRoots: context.codeSigningRoots });
  details.chain = await describeChain(chain);
  for (const problem of chain.problems) {
    const code = problem.kind === "untrusted-root" ? "NU3018" : codes.chain;
    issues.push(error(code, `The signing certificate chain is not trusted: ${problem.message}`));
  }
  if (chain.trusted) issues.push(...(await checkRevocation(chain, context.revocation, "NU3018", "signing")));
  return finish(details, issues);
}

function finish(details: SignatureDetails, issues: Issue[]): VerifiedSignature {
  const prefix = label(details.kind, details.placement);
  return {
    details: { ...details, valid: !hasErrors(issues) },
    issues: issues.map((issue) => ({ ...issue, message: `${prefix}: ${issue.message}` })),
  };
}
