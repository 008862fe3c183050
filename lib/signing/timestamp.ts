// RFC 3161 timestamp tokens on a signature (RFC 3161 as NuGet.Client reads them), in NuGet's two steps. Reading
// (readTimestamp) decodes the token and checks its own CMS signature and signer: NuGet does
// this for every token when it loads a signature and gives up on the package when one
// fails. Judging (judgeTimestamp) applies the rules to the TSA certificate, the message
// imprint over the stamped signature value and the TSA chain, in NuGet's order; NuGet judges
// only a signature's first timestamp. A valid timestamp fixes the time at which the signer
// certificate is judged, so an expired certificate with a timestamp inside its validity stays valid.

import type * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { error, IssueError, type Issue } from "@/lib/issues";
import type { TimestampReport } from "./report";
import { decodeAs, singleAttributeValue } from "./attributes";
import { buildChain, describeChain, type BuiltChain } from "./chain";
import {
  describeCertificate,
  keySizeIssues,
  notYetValidIssues,
  signatureAlgorithmIssues,
  TIMESTAMP_CERTIFICATE_CODES,
} from "./certificates";
import { decodeSignedData, parseDer } from "./cms";
import { formatName, sameBytes } from "./names";
import { hashAlgorithmByOid, OID } from "./oids";
import type { TrustAnchors } from "./trust-anchors";
import { certificatesOf, digestOf, findSignerCertificate, verifySignerInfo } from "./signer-info";

export interface TimestampContext {
  trustedRoots: TrustAnchors;
  /** The package signature's certificates, offered as intermediates after the token's own. */
  signatureCertificates: readonly pkijs.Certificate[];
  now: Date;
}

/** A token whose structure, signer and own signature are sound. */
export interface ReadTimestamp {
  info: pkijs.TSTInfo;
  signerInfo: pkijs.SignerInfo;
  certificates: pkijs.Certificate[];
  tsaCertificate: pkijs.Certificate;
}

export interface VerifiedTimestamp {
  report: TimestampReport;
  /** genTime minus and plus the token's accuracy (NuGet's LowerLimit / UpperLimit). */
  lowerLimit: Date;
  upperLimit: Date;
  tsaChain: BuiltChain;
  issues: Issue[];
}

/** Accuracy in milliseconds: the TSTInfo's, else 1 s under the ETSI baseline policy, else 0 (NuGet GetAccuracyInMilliseconds). */
function accuracyMilliseconds(info: pkijs.TSTInfo): number {
  const accuracy = info.accuracy;
  if (accuracy)
    return (accuracy.seconds ?? 0) * 1000 + (accuracy.millis ?? 0) + Math.floor((accuracy.micros ?? 0) / 1000);
  return info.policy === OID.etsiBaselinePolicy ? 1000 : 0;
}

function parseTstInfo(content: Uint8Array): pkijs.TSTInfo {
  const schema = parseDer(content, "NU3021", "timestamp token's TSTInfo");
  return decodeAs(() => new pkijs.TSTInfo({ schema }), "NU3021", "The timestamp token's TSTInfo cannot be decoded.");
}

function requireSigningCertificateAttribute(signerInfo: pkijs.SignerInfo): void {
  const v1 = singleAttributeValue(signerInfo.signedAttrs, OID.signingCertificate, "signing-certificate", "NU3021");
  const v2 = singleAttributeValue(signerInfo.signedAttrs, OID.signingCertificateV2, "signing-certificate-v2", "NU3021");
  if (v1 === undefined && v2 === undefined)
    throw new IssueError(
      "NU3021",
      "The timestamp token has neither a signing-certificate nor a signing-certificate-v2 attribute.",
    );
}

/** Decodes a token and checks its signer and CMS signature; throws IssueError (NU3020, NU3021) when it cannot be used at all. */
export async function readTimestamp(token: asn1js.AsnType): Promise<ReadTimestamp> {
  const { signedData, content } = decodeSignedData(token, OID.tstInfo, "NU3021", "timestamp token");
  const info = parseTstInfo(content);
  const [signerInfo, ...others] = signedData.signerInfos;
  if (!signerInfo || others.length > 0)
    throw new IssueError("NU3021", "The timestamp token must have exactly one signer.");
  const certificates = certificatesOf(signedData);
  const tsaCertificate = findSignerCertificate(signerInfo, certificates);
  if (!tsaCertificate) throw new IssueError("NU3020", "The timestamp token does not include its signer's certificate.");
  await verifySignerInfo(signerInfo, tsaCertificate, content, "NU3021", OID.tstInfo);
  requireSigningCertificateAttribute(signerInfo);
  return { info, signerInfo, certificates, tsaCertificate };
}

/** The token's rules other than its chain, in NuGet's order (VerificationUtility.ValidateTimestamp). */
function timestampRuleIssues(token: ReadTimestamp, stampedSignature: Uint8Array, now: Date): Issue[] {
  const { info, tsaCertificate } = token;
  const codes = TIMESTAMP_CERTIFICATE_CODES;
  const role = "timestamp authority";
  const issues = [
    ...signatureAlgorithmIssues(tsaCertificate, codes.signatureAlgorithm, role),
    ...keySizeIssues(tsaCertificate, codes.keySize, role),
  ];
  if (!hashAlgorithmByOid(token.signerInfo.digestAlgorithm.algorithmId)) {
    issues.push(
      error(
        "NU3024",
        `The timestamp token is signed with digest algorithm ${token.signerInfo.digestAlgorithm.algorithmId}; only SHA-256, SHA-384 and SHA-512 are supported.`,
      ),
    );
  }
  const imprintAlgorithm = hashAlgorithmByOid(info.messageImprint.hashAlgorithm.algorithmId);
  if (!imprintAlgorithm) {
    issues.push(
      error(
        "NU3030",
        `The timestamp's message imprint uses hash algorithm ${info.messageImprint.hashAlgorithm.algorithmId}; only SHA-256, SHA-384 and SHA-512 are supported.`,
      ),
    );
  } else if (
    !sameBytes(info.messageImprint.hashedMessage.valueBlock.valueHexView, digestOf(imprintAlgorithm, stampedSignature))
  ) {
    issues.push(
      error("NU3019", "The timestamp's message imprint does not match the signature it claims to timestamp."),
    );
  }
  issues.push(...notYetValidIssues(tsaCertificate, now, codes.notYetValid, role));
  const genTime = info.genTime;
  if (genTime < tsaCertificate.notBefore.value || genTime >= tsaCertificate.notAfter.value) {
    issues.push(
      error(
        "NU3036",
        `The timestamp's time ${genTime.toISOString()} is outside the validity of the timestamp authority certificate '${formatName(tsaCertificate.subject)}'.`,
      ),
    );
  }
  return issues;
}

/**
 * Judges a read token covering `stampedSignature` (the signature value it stamps). As in
 * NuGet, the TSA chain is only judged when the token's other rules pass; it is built either
 * way, for the report.
 */
export async function judgeTimestamp(
  token: ReadTimestamp,
  stampedSignature: Uint8Array,
  context: TimestampContext,
): Promise<VerifiedTimestamp> {
  const { info, tsaCertificate } = token;
  const issues = timestampRuleIssues(token, stampedSignature, context.now);
  const tsaChain = await buildChain(tsaCertificate, {
    pool: [...token.certificates, ...context.signatureCertificates],
    trustedRoots: context.trustedRoots,
    usage: { oid: OID.timeStampingUsage, description: "timestamping" },
    at: info.genTime,
  });
  if (issues.length === 0) {
    for (const problem of tsaChain.problems)
      issues.push(error("NU3028", `The timestamp authority's certificate chain is not trusted: ${problem.message}`));
  }
  const imprintAlgorithm = hashAlgorithmByOid(info.messageImprint.hashAlgorithm.algorithmId);
  const accuracy = accuracyMilliseconds(info);
  return {
    report: {
      time: info.genTime.toISOString(),
      hashAlgorithm: imprintAlgorithm?.name ?? info.messageImprint.hashAlgorithm.algorithmId,
      tsa: await describeCertificate(tsaCertificate),
      chain: await describeChain(tsaChain),
      valid: issues.length === 0,
    },
    lowerLimit: new Date(info.genTime.getTime() - accuracy),
    upperLimit: new Date(info.genTime.getTime() + accuracy),
    tsaChain,
    issues,
  };
}
