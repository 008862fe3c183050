// Revocation of a signer's chain. Offline (the default) nothing is fetched and the status is
// reported as unknown, a warning as NuGet gives it. Online mode asks each certificate's OCSP
// responder, then its CRL distribution points, with a timeout; a revoked certificate is an error.

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { error, warning, type ErrorCode, type Issue, type WarningCode } from "@/lib/issues";
import type { BuiltChain } from "./chain";
import { findExtension } from "./certificates";
import { formatName, sameBytes } from "./names";
import { OID } from "./oids";

export type RevocationOptions = { mode: "offline" } | { mode: "online"; timeoutMs: number };

export type RevocationStatus = "good" | "revoked" | "unknown";

/** Where revocation is asked about: OCSP responder URLs (AIA) and CRL URLs (CDP), http(s) only. */
export function revocationEndpoints(certificate: pkijs.Certificate): { ocsp: string[]; crl: string[] } {
  const isWebUrl = (url: string) => /^https?:\/\//i.test(url);
  const access = findExtension(certificate, OID.authorityInfoAccess)?.parsedValue;
  const ocsp =
    access instanceof pkijs.InfoAccess
      ? access.accessDescriptions
          .filter((description) => description.accessMethod === OID.ocsp)
          .map((description) => String(description.accessLocation.value))
      : [];
  const points = findExtension(certificate, OID.crlDistributionPoints)?.parsedValue;
  const crl =
    points instanceof pkijs.CRLDistributionPoints
      ? points.distributionPoints.flatMap((point) =>
          Array.isArray(point.distributionPoint) ? point.distributionPoint.map((name) => String(name.value)) : [],
        )
      : [];
  return { ocsp: ocsp.filter(isWebUrl), crl: crl.filter(isWebUrl) };
}

async function fetchBytes(url: string, timeoutMs: number, init: RequestInit = {}): Promise<Uint8Array | null> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return null;
    return new Uint8Array(await response.arrayBuffer());
  } catch {
    return null;
  }
}

function decode(bytes: Uint8Array): asn1js.AsnType | null {
  const parsed = asn1js.fromBER(bytes);
  return parsed.offset === -1 ? null : parsed.result;
}

async function ocspStatus(
  certificate: pkijs.Certificate,
  issuer: pkijs.Certificate,
  url: string,
  timeoutMs: number,
): Promise<RevocationStatus> {
  try {
    const request = new pkijs.OCSPRequest();
    await request.createForCertificate(certificate, { hashAlgorithm: "SHA-1", issuerCertificate: issuer });
    const body = new Uint8Array(request.toSchema(true).toBER());
    const bytes = await fetchBytes(url, timeoutMs, {
      method: "POST",
      headers: { "content-type": "application/ocsp-request" },
      body,
    });
    const schema = bytes && decode(bytes);
    if (!schema) return "unknown";
    const response = new pkijs.OCSPResponse({ schema });
    if (!response.responseBytes) return "unknown";
    const basic = new pkijs.BasicOCSPResponse({
      schema: asn1js.fromBER(response.responseBytes.response.valueBlock.valueHexView).result,
    });
    // A response signed by the issuing CA itself often carries no certificates; the issuer is the signer then.
    if (!basic.certs?.length) basic.certs = [issuer];
    if (!(await basic.verify({ trustedCerts: [issuer] }))) return "unknown";
    const { status } = await basic.getCertificateStatus(certificate, issuer);
    return status === 0 ? "good" : status === 1 ? "revoked" : "unknown";
  } catch {
    return "unknown";
  }
}

async function crlStatus(
  certificate: pkijs.Certificate,
  issuer: pkijs.Certificate,
  url: string,
  timeoutMs: number,
): Promise<RevocationStatus> {
  try {
    const bytes = await fetchBytes(url, timeoutMs);
    const schema = bytes && decode(bytes);
    if (!schema) return "unknown";
    const crl = new pkijs.CertificateRevocationList({ schema });
    if (!(await crl.verify({ issuerCertificate: issuer }))) return "unknown";
    const serial = certificate.serialNumber.valueBlock.valueHexView;
    const revoked = (crl.revokedCertificates ?? []).some((entry) =>
      sameBytes(entry.userCertificate.valueBlock.valueHexView, serial),
    );
    return revoked ? "revoked" : "good";
  } catch {
    return "unknown";
  }
}

/** OCSP first, then each CRL; the first definite answer wins. */
export async function onlineRevocationStatus(
  certificate: pkijs.Certificate,
  issuer: pkijs.Certificate,
  timeoutMs: number,
): Promise<RevocationStatus> {
  const { ocsp, crl } = revocationEndpoints(certificate);
  for (const url of ocsp) {
    const status = await ocspStatus(certificate, issuer, url, timeoutMs);
    if (status !== "unknown") return status;
  }
  for (const url of crl) {
    const status = await crlStatus(certificate, issuer, url, timeoutMs);
    if (status !== "unknown") return status;
  }
  return "unknown";
}

/** The words every offline-revocation notice ends with: a mode of checking, not a finding about the signature. */
export const OFFLINE_REVOCATION_NOTICE = "revocation checking is offline";

/** Whether an issue only says that revocation was not asked about online (one per chain checked). */
export function isOfflineRevocationNotice(issue: Issue): boolean {
  return issue.level === "warning" && issue.message.endsWith(`${OFFLINE_REVOCATION_NOTICE}.`);
}

/**
 * Revocation issues for a built chain (root excluded, as NuGet's ExcludeRoot). `unknownCode`
 * is NU3018 for signer chains and NU3028 for timestamp authority chains.
 */
export async function checkRevocation(
  chain: BuiltChain,
  options: RevocationOptions,
  unknownCode: ErrorCode & WarningCode,
  role: string,
): Promise<Issue[]> {
  if (options.mode === "offline") {
    return [
      warning(
        unknownCode,
        `Certificate revocation status unknown for the ${role} chain: ${OFFLINE_REVOCATION_NOTICE}.`,
      ),
    ];
  }
  const issues: Issue[] = [];
  for (const [index, certificate] of chain.certificates.entries()) {
    const issuer = chain.certificates[index + 1];
    if (!issuer) break;
    const status = await onlineRevocationStatus(certificate, issuer, options.timeoutMs);
    const subject = formatName(certificate.subject);
    if (status === "revoked")
      issues.push(error("NU3012", `The ${role} chain certificate '${subject}' has been revoked.`));
    if (status === "unknown")
      issues.push(
        warning(
          unknownCode,
          `Certificate revocation status unknown for '${subject}' in the ${role} chain: no OCSP or CRL answer.`,
        ),
      );
  }
  return issues;
}
