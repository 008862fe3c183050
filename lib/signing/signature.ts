// Verifying one package signature, the primary one or the repository countersignature, the
// way NuGet does (its Package Signatures Technical Details), in NuGet's two stages.
//
// Reading: the signer certificate, the signed attributes NuGet checks when it loads a
// signature, and every timestamp token's own soundness. NuGet stops at a problem here and
// reports nothing else about the package.
//
// Judging (NuGet's VerifyValidityAndTrust and Signature.Verify), in the order the client of
// .NET SDK 10 reports it: the signature's own findings, each step only when the one before
// passed (the CMS signature; the signer certificate's own rules; its chain: path validation,
// trust, revocation; its validity at the first timestamp when that is valid, or now: NU3037), then the
// first timestamp's findings, then Signet's stricter digest rule. The report's details are
// filled in whatever happens, so a person sees the chain and timestamps even when NuGet
// would have stopped earlier.

import type * as pkijs from "pkijs";
import { downgraded, error, hasErrors, warning, type ErrorCode, type Issue } from "@/lib/issues";
import type { SignatureDetails, SignatureKind, TimestampReport } from "./report";
import {
  attributeValues,
  readPackageOwners,
  readServiceIndexUrl,
  readSignatureKind,
  readSigningTime,
} from "./attributes";
import { buildChain, describeChain, type BuiltChain } from "./chain";
import { checkSignerCertificate, describeCertificate, signerIdentityFacts } from "./certificates";
import { attemptRead, collectIssue } from "./collect-issues";
import { formatName } from "./names";
import { digestAlgorithmByOid, OID } from "./oids";
import { checkRevocation, type RevocationOptions } from "./revocation";
import {
  checkSigningCertificateV2,
  findSignerCertificate,
  signatureValue,
  signerDigestAlgorithm,
  verifySignerInfo,
} from "./signer-info";
import type { TrustAnchors } from "./trust-anchors";
import { judgeTimestamp, readTimestamp, type ReadTimestamp, type VerifiedTimestamp } from "./timestamp";

export interface VerificationContext {
  /** Certificates carried by the package signature (chains of every signer). */
  certificates: readonly pkijs.Certificate[];
  codeSigningRoots: TrustAnchors;
  timestampingRoots: TrustAnchors;
  now: Date;
  revocation: RevocationOptions;
}

export type Placement = SignatureDetails["placement"];

/** NuGet's codes for problems with the signed attributes differ for the primary signature and the countersignature. */
const ATTRIBUTES_CODE: Record<Placement, ErrorCode> = { primary: "NU3011", countersignature: "NU3031" };

export interface VerifiedSignature {
  details: SignatureDetails;
  /** Problems reading the signature and its timestamps: after one of these NuGet reports nothing else. */
  readIssues: Issue[];
  /** Problems judging it, in the order NuGet reports them. */
  judgeIssues: Issue[];
  /** The signer certificate, when the signature names one that it carries. */
  certificate: pkijs.Certificate | null;
  /** The signer's chain ends in an untrusted root (NuGet's UntrustedRoot), as judged. */
  untrustedRoot: boolean;
  /** The first timestamp, when it is valid: the time the signature is judged at. */
  vouchingTimestamp: VerifiedTimestamp | null;
}

function label(kind: SignatureKind, placement: Placement): string {
  if (placement === "countersignature") return "Repository countersignature";
  return kind === "author" ? "Author signature" : kind === "repository" ? "Repository signature" : "Signature";
}

/**
 * The signer must be valid at the time the first timestamp vouches for when it is valid (or
 * now, without one): NotBefore < LowerLimit and UpperLimit < NotAfter, strictly (NuGet
 * ValidateSignerCertificateAgainstTimestamp); otherwise NU3037.
 */
export function validAtTimestamp(
  certificate: pkijs.Certificate,
  window: Pick<VerifiedTimestamp, "lowerLimit" | "upperLimit">,
): boolean {
  return certificate.notBefore.value < window.lowerLimit && window.upperLimit < certificate.notAfter.value;
}

function expiryIssue(certificate: pkijs.Certificate, timestamp: VerifiedTimestamp | null, now: Date): Issue {
  const at = timestamp
    ? `the timestamp time ${timestamp.report.time}`
    : `the current time ${now.toISOString()} (no valid timestamp)`;
  return error(
    "NU3037",
    `The signing certificate '${formatName(certificate.subject)}' (valid ${certificate.notBefore.value.toISOString()} to ${certificate.notAfter.value.toISOString()}) was not valid at ${at}.`,
  );
}

/** The signed attributes NuGet checks when it loads an author or repository signature. */
function readSignedAttributes(signerInfo: pkijs.SignerInfo, details: SignatureDetails, issues: Issue[]): void {
  const code = ATTRIBUTES_CODE[details.placement];
  // undefined: present but unreadable (already an issue); null: absent.
  const signingTime = attemptRead<Date | null | undefined>(
    issues,
    () => readSigningTime(signerInfo.signedAttrs, code),
    undefined,
  );
  details.signingTime = signingTime?.toISOString() ?? null;
  // NuGet only applies the signing-time and ESS rules to author and repository signatures.
  if (details.kind === "unknown") return;
  if (signingTime === null) issues.push(error(code, "The signature has no signing-time attribute."));
  if (details.kind !== "repository") return;
  const repositoryCode = details.placement === "primary" ? "NU3000" : code;
  const serviceIndexUrl = attemptRead<string | null | undefined>(
    issues,
    () => readServiceIndexUrl(signerInfo.signedAttrs, repositoryCode),
    undefined,
  );
  if (serviceIndexUrl === null)
    issues.push(error(repositoryCode, "The repository signature has no nuget-v3-service-index-url attribute."));
  details.serviceIndexUrl = serviceIndexUrl ?? null;
  details.packageOwners = attemptRead(issues, () => readPackageOwners(signerInfo.signedAttrs, repositoryCode), null);
}

/** Every timestamp token that can be read; a token that cannot is an issue. */
async function readTimestamps(signerInfo: pkijs.SignerInfo, issues: Issue[]): Promise<ReadTimestamp[]> {
  const tokens: ReadTimestamp[] = [];
  for (const values of attributeValues(signerInfo.unsignedAttrs, OID.timestampToken)) {
    for (const token of values) await collectIssue(issues, async () => tokens.push(await readTimestamp(token)));
  }
  return tokens;
}

interface TimestampJudgement {
  timestamps: VerifiedTimestamp[];
  /** NuGet's verdict on the signature's timestamps: its first one's issues, or NU3027 without one. */
  issues: Issue[];
}

/**
 * Judges every token for the report; the verdict, as NuGet's, rests on the first. A later
 * token's problems are reported as warnings, since NuGet does not look at it.
 */
async function judgeTimestamps(
  tokens: readonly ReadTimestamp[],
  signerInfo: pkijs.SignerInfo,
  context: VerificationContext,
): Promise<TimestampJudgement> {
  const timestamps: VerifiedTimestamp[] = [];
  const issues: Issue[] = [];
  for (const [index, token] of tokens.entries()) {
    const timestamp = await judgeTimestamp(token, signatureValue(signerInfo), {
      trustedRoots: context.timestampingRoots,
      signatureCertificates: context.certificates,
      now: context.now,
    });
    timestamps.push(timestamp);
    if (index === 0) {
      issues.push(...timestamp.issues);
      if (timestamp.report.valid)
        issues.push(
          ...(await checkRevocation(timestamp.tsaChain, context.revocation, "NU3028", "timestamp authority")),
        );
    } else {
      issues.push(
        ...timestamp.issues.map((issue) =>
          downgraded(issue, `A further timestamp (NuGet judges only the first) is not valid: ${issue.message}`),
        ),
      );
    }
  }
  if (tokens.length === 0)
    issues.push(warning("NU3027", "The signature has no timestamp, so it is only valid while its certificate is."));
  return { timestamps, issues };
}

/** The CMS signature over `signedContent` (NU3012). */
async function signatureValueIssues(
  signerInfo: pkijs.SignerInfo,
  certificate: pkijs.Certificate,
  placement: Placement,
  signedContent: Uint8Array,
): Promise<Issue[]> {
  const issues: Issue[] = [];
  // RFC 5652 §11.4: a countersignature has no content type; the primary signs id-data.
  const contentType = placement === "primary" ? OID.data : undefined;
  await collectIssue(issues, () => verifySignerInfo(signerInfo, certificate, signedContent, "NU3012", contentType));
  return issues;
}

/**
 * Signet's digest rule, stricter than NuGet (which accepts a SHA-1 CMS digest): listed after
 * every finding NuGet makes, so the first code stays NuGet's (test/interop/strictness.ts).
 */
async function digestIssues(signerInfo: pkijs.SignerInfo): Promise<Issue[]> {
  const issues: Issue[] = [];
  await collectIssue(issues, () => signerDigestAlgorithm(signerInfo, "NU3012"));
  return issues;
}

/** The chain's issues: path problems (NU3012) before an untrusted root (NU3018), as NuGet lists them; then revocation. */
async function chainIssues(chain: BuiltChain, context: VerificationContext): Promise<Issue[]> {
  const issues: Issue[] = chain.problems.map((problem) =>
    error(
      problem.kind === "untrusted-root" ? "NU3018" : "NU3012",
      `The signing certificate chain is not trusted: ${problem.message}`,
    ),
  );
  if (chain.trusted) issues.push(...(await checkRevocation(chain, context.revocation, "NU3018", "signing")));
  return issues;
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
  const readIssues: Issue[] = [];
  const kind = attemptRead<SignatureKind>(
    readIssues,
    () => readSignatureKind(signerInfo.signedAttrs, ATTRIBUTES_CODE[placement]),
    "unknown",
  );
  const details: SignatureDetails = {
    kind,
    placement,
    signer: null,
    chain: null,
    signingTime: null,
    digestAlgorithm:
      digestAlgorithmByOid(signerInfo.digestAlgorithm.algorithmId)?.name ?? signerInfo.digestAlgorithm.algorithmId,
    timestamps: [],
    serviceIndexUrl: null,
    packageOwners: null,
    valid: false,
  };
  const result = (
    judgeIssues: Issue[],
    certificate: pkijs.Certificate | null,
    extra: Partial<VerifiedSignature> = {},
  ) =>
    finish({ details, readIssues, judgeIssues, certificate, untrustedRoot: false, vouchingTimestamp: null, ...extra });

  const certificate = findSignerCertificate(signerInfo, context.certificates);
  if (!certificate) {
    // NuGet finds a primary signature without its certificate when loading it, a countersignature's when verifying it.
    const missing = error("NU3010", "The signer's certificate is not included in the signature.");
    return placement === "primary"
      ? result([], null, { readIssues: [...readIssues, missing] })
      : result([missing], null);
  }
  details.signer = await describeCertificate(certificate);
  details.signerIdentity = signerIdentityFacts(certificate);
  readSignedAttributes(signerInfo, details, readIssues);
  // NuGet checks signing-certificate-v2 when it loads an author or repository signature (NU3011);
  // one .NET cannot decode only fails the signature once its CMS signature has verified (NU3003).
  const essIssues: Issue[] = [];
  if (kind !== "unknown")
    await collectIssue(essIssues, () => checkSigningCertificateV2(signerInfo, certificate, ATTRIBUTES_CODE[placement]));
  const undecodableEss = essIssues.filter((issue) => issue.code === "NU3003");
  readIssues.push(...essIssues.filter((issue) => issue.code !== "NU3003"));
  const tokens = await readTimestamps(signerInfo, readIssues);

  const timestamps = await judgeTimestamps(tokens, signerInfo, context);
  details.timestamps = timestamps.timestamps.map((timestamp): TimestampReport => timestamp.report);
  const [first] = timestamps.timestamps;
  const vouchingTimestamp = first?.report.valid ? first : null;
  // NuGet builds the signer chain at the timestamp's upper limit (or now); the issuing certificates are judged then too.
  const chain = await buildChain(certificate, {
    pool: context.certificates,
    trustedRoots: context.codeSigningRoots,
    usage: { oid: OID.codeSigningUsage, description: "code signing" },
    at: vouchingTimestamp?.upperLimit ?? context.now,
  });
  details.chain = await describeChain(chain);

  // NuGet lists the signature's own findings, then its timestamps' (a timestamp that is not
  // valid leaves the signature judged at the current time), then Signet's stricter rules.
  const judgeIssues = await signerIssues(
    signerInfo,
    undecodableEss,
    certificate,
    placement,
    signedContent,
    chain,
    vouchingTimestamp,
    context,
  );
  judgeIssues.push(...timestamps.issues, ...(await digestIssues(signerInfo)));
  const untrustedRoot = chain.problems.some((problem) => problem.kind === "untrusted-root");
  return result(judgeIssues, certificate, { untrustedRoot, vouchingTimestamp });
}

/**
 * The signature's own findings in NuGet's order (Signature.Verify), each step only when the
 * one before passed: the CMS signature; a signing-certificate-v2 that cannot be decoded;
 * the signer certificate's rules; its chain and its
 * validity at the vouching timestamp, or now without one (NU3037).
 */
async function signerIssues(
  signerInfo: pkijs.SignerInfo,
  undecodableEss: Issue[],
  certificate: pkijs.Certificate,
  placement: Placement,
  signedContent: Uint8Array,
  chain: BuiltChain,
  vouchingTimestamp: VerifiedTimestamp | null,
  context: VerificationContext,
): Promise<Issue[]> {
  const cms = await signatureValueIssues(signerInfo, certificate, placement, signedContent);
  if (cms.length > 0) return cms;
  if (undecodableEss.length > 0) return undecodableEss;
  const rules = checkSignerCertificate(certificate, context.now);
  if (rules.length > 0) return rules;
  const issues = await chainIssues(chain, context);
  if (!validAtTimestamp(certificate, vouchingTimestamp ?? { lowerLimit: context.now, upperLimit: context.now }))
    issues.push(expiryIssue(certificate, vouchingTimestamp, context.now));
  return issues;
}

function finish(verified: VerifiedSignature): VerifiedSignature {
  const prefix = label(verified.details.kind, verified.details.placement);
  const prefixed = (issues: Issue[]) => issues.map((issue) => ({ ...issue, message: `${prefix}: ${issue.message}` }));
  return {
    ...verified,
    details: { ...verified.details, valid: !hasErrors(verified.readIssues) && !hasErrors(verified.judgeIssues) },
    readIssues: prefixed(verified.readIssues),
    judgeIssues: prefixed(verified.judgeIssues),
  };
}
