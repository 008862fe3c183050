import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import {
  certificatePem,
  createRootAuthority,
  EXTENDED_KEY_USAGE,
  generateRsaKey,
  issueCertificate,
  temporaryDirectory,
  writePkcs12,
  type TestCertificate,
  type TestKey,
} from "@/test/support/pki";
import { inspectCertificateFile, MAX_CERTIFICATE_FILE_BYTES } from "./inspect";

const NOW = new Date();
const DAY = 86_400_000;
const codeSigning = [EXTENDED_KEY_USAGE.codeSigning];

function codes(issues: readonly { code: string }[]): string[] {
  return issues.map((issue) => issue.code);
}

function opensslSha256(pem: string): string {
  const output = execFileSync("openssl", ["x509", "-noout", "-fingerprint", "-sha256"], { input: pem }).toString();
  return output.split("=")[1]?.trim().replace(/:/g, "").toLowerCase() ?? "";
}

describe("inspectCertificateFile", () => {
  let key: TestKey;
  let good: TestCertificate;

  beforeAll(async () => {
    key = await generateRsaKey(2048);
    good = await issueCertificate({ commonName: "Contoso Signing", key, extendedKeyUsages: codeSigning });
  });

  it("accepts a code-signing certificate as DER or PEM, with openssl's fingerprint", async () => {
    const fromDer = await inspectCertificateFile(good.der, NOW);
    const fromPem = await inspectCertificateFile(new TextEncoder().encode(certificatePem(good)), NOW);
    expect(fromDer.issues).toEqual([]);
    expect(fromPem.summary).toEqual(fromDer.summary);
    expect(fromDer.summary).toMatchObject({ subject: "CN=Contoso Signing", issuer: "CN=Contoso Signing" });
    expect(fromDer.summary?.sha256Fingerprint).toBe(opensslSha256(certificatePem(good)));
  });

  it("names each broken rule: expiry, code-signing usage, key size, SHA-1, authority", async () => {
    const expired = await issueCertificate({
      commonName: "Old",
      key,
      extendedKeyUsages: codeSigning,
      notBefore: new Date(NOW.getTime() - 9 * DAY),
      notAfter: new Date(NOW.getTime() - DAY),
    });
    const serverAuth = await issueCertificate({ commonName: "Web", key, extendedKeyUsages: ["1.3.6.1.5.5.7.3.1"] });
    const small = await issueCertificate({
      commonName: "Small",
      key: await generateRsaKey(1024),
      extendedKeyUsages: codeSigning,
    });
    const sha1 = await issueCertificate({
      commonName: "Sha1",
      key,
      extendedKeyUsages: codeSigning,
      signatureHash: "SHA-1",
    });
    const authority = await createRootAuthority("Root", key);
    expect(codes((await inspectCertificateFile(expired.der, NOW)).issues)).toEqual(["NU3037"]);
    expect(codes((await inspectCertificateFile(serverAuth.der, NOW)).issues)).toEqual(["NU3012"]);
    expect(codes((await inspectCertificateFile(small.der, NOW)).issues)).toEqual(["NU3014"]);
    expect(codes((await inspectCertificateFile(sha1.der, NOW)).issues)).toEqual(["NU3013"]);
    expect(codes((await inspectCertificateFile(authority.der, NOW)).issues)).toEqual(["CERTIFICATE_IS_AUTHORITY"]);
  });

  it("refuses empty, oversized and unreadable files without details", async () => {
    const empty = await inspectCertificateFile(new Uint8Array(0), NOW);
    const oversized = await inspectCertificateFile(new Uint8Array(MAX_CERTIFICATE_FILE_BYTES + 1), NOW);
    const garbage = await inspectCertificateFile(new TextEncoder().encode("this is not a certificate"), NOW);
    expect(codes(empty.issues)).toEqual(["CERTIFICATE_EMPTY"]);
    expect(oversized.issues[0]?.message).toContain("10,001 bytes; the limit is 10,000 bytes");
    expect(codes(garbage.issues)).toEqual(["CERTIFICATE_UNREADABLE"]);
    expect([empty.summary, oversized.summary, garbage.summary]).toEqual([null, null, null]);
  });

  it("recognises a PKCS#12 file and says how to export the certificate", async () => {
    const pfx = await readFile(await writePkcs12(good, await temporaryDirectory("signet-cert-"), "secret"));
    const { issues } = await inspectCertificateFile(new Uint8Array(pfx), NOW);
    expect(codes(issues)).toEqual(["CERTIFICATE_IS_PKCS12"]);
    expect(issues[0]?.message).toContain(
      "openssl pkcs12 -in x.pfx -nokeys -clcerts | openssl x509 -outform der -out x.cer",
    );
  });
});
