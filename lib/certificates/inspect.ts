// The checks a certificate file must pass before it is registered. The same function runs in
// the browser (the preview, with WebCrypto) and on the server (which never trusts the browser),
// so both say exactly the same thing. nuget.org only checks the file's shape; we also apply
// NuGet's signing-certificate rules now, because finding out at the first push is worse.

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { error, IssueError, type Issue } from "@/lib/issues";
// The certificate module itself, not the engine's index: the index also brings in package
// verification, which the browser bundle must not carry.
import {
  certificateDer,
  checkSigningCertificateRules,
  describeCertificate,
  findExtension,
  parseCertificate,
} from "@/lib/signing/certificates";
import type { CertificateSummary } from "@/lib/signing/report";

/** nuget.org's limit on a certificate file. */
export const MAX_CERTIFICATE_FILE_BYTES = 10_000;

const OID_BASIC_CONSTRAINTS = "2.5.29.19";
const PKCS12_EXPORT_COMMAND = "openssl pkcs12 -in x.pfx -nokeys -clcerts | openssl x509 -outform der -out x.cer";

export interface CertificateInspection {
  /** Null when the file could not be read as a certificate at all. */
  summary: CertificateSummary | null;
  der: Uint8Array | null;
  issues: Issue[];
}

/** PKCS#12 (PFX) is a SEQUENCE that starts with INTEGER 3, where a certificate starts with a SEQUENCE. */
function looksLikePkcs12(bytes: Uint8Array): boolean {
  try {
    new pkijs.PFX({ schema: asn1js.fromBER(bytes).result });
    return true;
  } catch {
    return false;
  }
}

function isCertificateAuthority(certificate: pkijs.Certificate): boolean {
  const parsed = findExtension(certificate, OID_BASIC_CONSTRAINTS)?.parsedValue;
  return parsed instanceof pkijs.BasicConstraints && parsed.cA === true;
}

function readCertificate(bytes: Uint8Array): pkijs.Certificate | Issue {
  try {
    return parseCertificate(bytes);
  } catch (caught) {
    if (looksLikePkcs12(bytes)) {
      return error(
        "CERTIFICATE_IS_PKCS12",
        `This is a PKCS#12 (.pfx/.p12) file, which holds a private key; register only the public certificate. Export it with: ${PKCS12_EXPORT_COMMAND}`,
      );
    }
    if (caught instanceof IssueError) return caught.toIssue();
    throw caught;
  }
}

/** Every reason `bytes` (DER or PEM) cannot be registered at time `now`, plus its details when readable. */
export async function inspectCertificateFile(bytes: Uint8Array, now: Date): Promise<CertificateInspection> {
  if (bytes.byteLength === 0) {
    return { summary: null, der: null, issues: [error("CERTIFICATE_EMPTY", "The certificate file is empty.")] };
  }
  if (bytes.byteLength > MAX_CERTIFICATE_FILE_BYTES) {
    const message = `The certificate file is ${bytes.byteLength.toLocaleString("en-US")} bytes; the limit is ${MAX_CERTIFICATE_FILE_BYTES.toLocaleString("en-US")} bytes. Upload the signing certificate alone, without its chain.`;
    return { summary: null, der: null, issues: [error("CERTIFICATE_TOO_LARGE", message)] };
  }
  const certificate = readCertificate(bytes);
  if (!(certificate instanceof pkijs.Certificate)) return { summary: null, der: null, issues: [certificate] };
  const issues = checkSigningCertificateRules(certificate, now);
  if (isCertificateAuthority(certificate)) {
    issues.push(
      error(
        "CERTIFICATE_IS_AUTHORITY",
        "This is a certificate authority's certificate; register the code-signing certificate your packages are signed with instead.",
      ),
    );
  }
  return { summary: await describeCertificate(certificate), der: certificateDer(certificate), issues };
}
