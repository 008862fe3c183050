// The ESS signing-certificate-v2 signed attribute (RFC 5035). It binds a CMS signature to
// the certificate that made it; NuGet requires it (or its v1 predecessor) on every
// timestamp token and requires the v2 form, with issuerSerial, on author and repository
// signatures.

import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

import { digest, digestAlgorithmByName, type DigestAlgorithmName } from "./algorithms";

export const SIGNING_CERTIFICATE_V2_OID = "1.2.840.113549.1.9.16.2.47";

const DIRECTORY_NAME = 4;

/**
 * SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }
 * ESSCertIDv2 ::= SEQUENCE { hashAlgorithm, certHash OCTET STRING, issuerSerial IssuerSerial }
 * NuGet writes the hash algorithm explicitly even for the SHA-256 default, and so do we.
 */
export async function signingCertificateV2Attribute(
  certificate: pkijs.Certificate,
  hashAlgorithm: DigestAlgorithmName = "SHA-256",
): Promise<pkijs.Attribute> {
  const certificateHash = await digest(hashAlgorithm, certificate.toSchema().toBER());
  const issuerSerial = new asn1js.Sequence({
    value: [
      new pkijs.GeneralNames({
        names: [new pkijs.GeneralName({ type: DIRECTORY_NAME, value: certificate.issuer })],
      }).toSchema(),
      certificate.serialNumber,
    ],
  });
  const essCertIdV2 = new asn1js.Sequence({
    value: [
      new pkijs.AlgorithmIdentifier({ algorithmId: digestAlgorithmByName(hashAlgorithm).oid }).toSchema(),
      new asn1js.OctetString({ valueHex: certificateHash }),
      issuerSerial,
    ],
  });
  return new pkijs.Attribute({
    type: SIGNING_CERTIFICATE_V2_OID,
    values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })],
  });
}
