// RFC 3161 timestamp tokens on a signature (reference §5): the token's own CMS signature, its
// TSA certificate, the message imprint over the stamped signature value, and the TSA chain to
// the trusted timestamping roots. A valid timestamp fixes the time at which the signer
// certificate is judged, so an expired certificate with a timestamp inside its validity stays valid.

import type * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { error, IssueError, type Issue } from "@/lib/issues";
import type { TimestampReport } from "./report";
import { decodeAs, singleAttributeValue } from "./attributes";
import { buildChain, describeChain, type BuiltChain } from "./chain";
import { checkCertificateBasics, describeCertificate, TIMESTAMP_CERTIFICATE_CODES } from "./certificates";
import { decodeSignedData, parseDer } from "./cms";
import { collectIssue } from "./collect-issues";
import { formatName, sameBytes } from "./names";
import { hashAlgorithmByOid, OID } from "./oids";
import type { TrustAnchors } from "./trust-anchors";
import { certificatesOf, digestOf, findSignerCertificate, signerDigestAlgorithm, verifySignerInfo } from "./signer-info";

export interface TimestampContext {
  trustedRoots: TrustAnchors;
  /** The package signature's certificates, offered as intermediates after the token's own. */
  signatureCertificates: readonly pkijs.Certificate[];
  now: Date;
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
  if (accuracy) return (accuracy.seconds ?? 0) * 1000 + (accuracy.millis ?? 0) + Math.floor((accuracy.micros ?? 0) / 1000);
  return info.policy === OID.etsiBaselinePolicy ? 1000 : 0;
}

function parseTstInfo(content: Uint8Array): pkijs.TSTInfo {
  const schema = parseDer(content, "NU3021", "timestamp token's TSTInfo");
  return decodeAs(() => new pkijs.TSTInfo({ schema }), "NU3021", "The timestamp token's TSTInfo cannot be decoded.");
}

function requireSigningCertificateAttribute(signerInfo: pkijs.SignerInfo): void {
  const v1 = singleAttributeValue(signerInfo.signedAttrs, OID.signingCertificate, "signing-certificate", "NU3021");
  const v2 = singleAttributeValue(signerInfo.signedAttrs, OID.signingCertificateV2, "signing-certificate-v2", "NU3021");
  if (v1 === undefined && v2 === undefined) throw new IssueError("NU3021", "The timestamp token has neither a signing-certificate nor a signing-certificate-v2 attribute.");
}

/**
 * Verifies one timestamp token covering `stampedSignature` (the signature value it stamps).
 * Throws IssueError when the token cannot be read at all; otherwise returns a report with
 * every problem found as issues.
 */
export async function verifyTimestamp(token: asn1js.AsnType, stampedSignature: Uint8Array, context: TimestampContext): Promise<VerifiedTimestamp> {
  const { signedData, content } = decodeSignedData(token, OID.tstInfo, "NU3021", "timestamp token");
  const info = parseTstInfo(content);
  const [signerInfo, ...others] = signedData.signerInfos;
  if (!signerInfo || others.length > 0) throw new IssueError("NU3021", "The timestamp token must have exactly one signer.");
  const certificates = certificatesOf(signedData);
  const tsaCertificate = findSignerCertificate(signerInfo, certificates);
  if (!tsaCertificate) throw new IssueError("NU3020", "The timestamp token does not include its signer's certificate.");

  const issues: Issue[] = [];
  await collectIssue(issues, () => signerDigestAlgorithm(signerInfo, "NU3024"));
  await collectIssue(issues, () => verifySignerInfo(signerInfo, tsaCertificate, content, "NU3021", OID.tstInfo));
  await collectIssue(issues, () => requireSigningCertificateAttribute(signerInfo));
  issues.push(...checkCertificateBasics(tsaCertificate, context.now, TIMESTAMP_CERTIFICATE_CODES, "timestamp authority"));

  const genTime = info.genTime;
  const tsaSubject = formatName(tsaCertificate.subject);
  if (genTime < tsaCertificate.notBefore.value || genTime >= tsaCertificate.notAfter.value) {
    issues.push(error("NU3036", `The timestamp's time ${genTime.toISOString()} is outside the validity of the timestamp authority certificate '${tsaSubject}'.`));
  }
  const imprintAlgorithm = hashAlgorithmByOid(info.messageImprint.hashAlgorithm.algorithmId);
  if (!imprintAlgorithm) {
    issues.push(error("NU3030", `The timestamp's message imprint uses hash algorithm ${info.messageImprint.hashAlgorithm.algorithmId}; only SHA-256, SHA-384 and SHA-512 are supported.`));
  } else if (!sameBytes(info.messageImprint.hashedMessage.valueBlock.valueHexView, digestOf(imprintAlgorithm, stampedSignature))) {
    issues.push(error("NU3019", "The timestamp's message imprint does not match the signature it claims to timestamp."));
  }

  const tsaChain = await buildChain(tsaCertificate, {
    pool: [...certificates, ...context.signatureCertificates],
    trustedRoots: context.trustedRoots,
    usage: { oid: OID.timeStampingUsage, description: "timestamping" },
  });
  for (const problem of tsaChain.problems) {
    issues.push(error("NU3028", `The timestamp authority's certificate chain is not trusted: ${problem.message}`));
  }

  const accuracy = accuracyMilliseconds(info);
  return {
    report: {
      time: genTime.toISOString(),
      hashAlgorithm: imprintAlgorithm?.name ?? info.messageImprint.hashAlgorithm.algorithmId,
      tsa: await describeCertificate(tsaCertificate),
      chain: await describeChain(tsaChain),
      valid: issues.length === 0,
    },
    lowerLimit: new Date(genTime.getTime() - accuracy),
    upperLimit: new Date(genTime.getTime() + accuracy),
    tsaChain,
    issues,
  };
}
