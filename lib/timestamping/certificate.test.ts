import * as pkijs from "pkijs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  createRootAuthority,
  EXTENDED_KEY_USAGE,
  generateRsaKey,
  issueCertificate,
  type TestCertificate,
  type TestKey,
} from "@/test/support/pki";
import { timestampingCertificateProblem } from "./certificate";

let key: TestKey;
let root: TestCertificate;

beforeAll(async () => {
  key = await generateRsaKey();
  root = await createRootAuthority("Signet TSA Certificate Test Root", key);
});

function withCriticalFlag(certificate: pkijs.Certificate, critical: boolean): pkijs.Certificate {
  for (const extension of certificate.extensions ?? [])
    if (extension.extnID === "2.5.29.37") extension.critical = critical;
  return certificate;
}

describe("timestampingCertificateProblem", () => {
  it("accepts a critical extended key usage listing only id-kp-timeStamping", async () => {
    const tsa = await issueCertificate({
      commonName: "TSA",
      key,
      issuer: root,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
    });
    expect(timestampingCertificateProblem(tsa.certificate)).toBeNull();
  });

  it("names a missing extended key usage (the cause of the client's 'not understood')", async () => {
    const tsa = await issueCertificate({ commonName: "TSA", key, issuer: root, extendedKeyUsages: [] });
    expect(timestampingCertificateProblem(tsa.certificate)).toMatch(/no extended key usage/);
  });

  it("names a usage list with more than time stamping", async () => {
    const tsa = await issueCertificate({
      commonName: "TSA",
      key,
      issuer: root,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping, EXTENDED_KEY_USAGE.codeSigning],
    });
    expect(timestampingCertificateProblem(tsa.certificate)).toMatch(/must list only id-kp-timeStamping/);
  });

  it("names an extension that is not critical", async () => {
    const tsa = await issueCertificate({
      commonName: "TSA",
      key,
      issuer: root,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
    });
    expect(timestampingCertificateProblem(withCriticalFlag(tsa.certificate, false))).toMatch(/not marked critical/);
  });
});
