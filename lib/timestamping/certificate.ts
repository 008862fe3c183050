// What a TSA certificate must carry for clients to accept its tokens. RFC 3161 §2.3: exactly one
// extended key usage, id-kp-timeStamping, in a critical extension. .NET checks exactly that
// when it reads a token (Rfc3161TimestampToken), and a token signed by any other certificate is
// answered by `dotnet nuget sign --timestamper` with "The response from the timestamping server
// was not understood", which names no cause. So the project's authority refuses to start with
// such a certificate, saying what is wrong with it.

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

const EXTENDED_KEY_USAGE_OID = "2.5.29.37";
export const TIME_STAMPING_USAGE_OID = "1.3.6.1.5.5.7.3.8";

/** Why clients would refuse tokens signed with `certificate`; null when they would not. */
export function timestampingCertificateProblem(certificate: pkijs.Certificate): string | null {
  const extensions = (certificate.extensions ?? []).filter((extension) => extension.extnID === EXTENDED_KEY_USAGE_OID);
  const [extension] = extensions;
  if (!extension)
    return "it has no extended key usage extension; a TSA certificate needs exactly id-kp-timeStamping (1.3.6.1.5.5.7.3.8)";
  if (extensions.length > 1) return "it has more than one extended key usage extension";
  if (!extension.critical) return "its extended key usage extension is not marked critical, as RFC 3161 requires";
  let purposes: string[];
  try {
    purposes = new pkijs.ExtKeyUsage({
      schema: asn1js.fromBER(extension.extnValue.valueBlock.valueHexView.slice()).result,
    }).keyPurposes;
  } catch {
    return "its extended key usage extension cannot be read";
  }
  if (purposes.length !== 1 || purposes[0] !== TIME_STAMPING_USAGE_OID) {
    return `its extended key usage lists ${purposes.join(", ") || "nothing"}; a TSA certificate must list only id-kp-timeStamping (1.3.6.1.5.5.7.3.8)`;
  }
  return null;
}

/** Throws with the reason when clients would refuse tokens signed with `certificate`. */
export function assertTimestampingCertificate(certificate: pkijs.Certificate): void {
  const problem = timestampingCertificateProblem(certificate);
  if (problem) throw new Error(`The timestamp authority's certificate cannot sign tokens NuGet accepts: ${problem}.`);
}
