import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  certificatePem,
  createRootAuthority,
  EXTENDED_KEY_USAGE,
  generateRsaKey,
  issueCertificate,
  type TestCertificate,
} from "@/test/support/pki";
import { checkSigningCertificateRules, describeCertificate, parseCertificate } from "./certificates";
import { OID } from "./oids";

const DAY = 24 * 3_600_000;
let root: TestCertificate;
let good: TestCertificate;

beforeAll(async () => {
  root = await createRootAuthority("Signet Certificate Tests Root", await generateRsaKey());
  good = await issueCertificate({
    commonName: "Signet Good Signer",
    key: await generateRsaKey(),
    issuer: root,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
  });
});

describe("parseCertificate", () => {
  it("reads DER, PEM text and PEM bytes alike", async () => {
    const pem = certificatePem(good);
    for (const input of [good.der, pem, new TextEncoder().encode(pem)]) {
      expect((await describeCertificate(parseCertificate(input))).subject).toBe("CN=Signet Good Signer");
    }
  });

  it.each([
    ["garbage", new Uint8Array([1, 2, 3, 4])],
    ["an empty file", new Uint8Array(0)],
    ["a PEM without a certificate", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"],
    ["DER that is not a certificate", new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05])],
  ])("refuses %s with CERTIFICATE_UNREADABLE", (_name, input) => {
    expect(() => parseCertificate(input)).toThrow(expect.objectContaining({ code: "CERTIFICATE_UNREADABLE" }));
  });

  it("refuses trailing bytes after the certificate", () => {
    const padded = new Uint8Array([...good.der, 0]);
    expect(() => parseCertificate(padded)).toThrow(expect.objectContaining({ code: "CERTIFICATE_UNREADABLE" }));
  });
});

describe("describeCertificate", () => {
  it("gives fingerprints of the DER, the serial in upper-case hex and ISO validity", async () => {
    const summary = await describeCertificate(good.certificate);
    expect(summary.sha256Fingerprint).toBe(createHash("sha256").update(good.der).digest("hex"));
    expect(summary.sha1Fingerprint).toBe(createHash("sha1").update(good.der).digest("hex"));
    expect(summary.serialNumber).toBe(
      Buffer.from(good.certificate.serialNumber.valueBlock.valueHexView).toString("hex").toUpperCase(),
    );
    expect(summary.issuer).toBe("CN=Signet Certificate Tests Root");
    expect(summary.notAfter).toBe(good.certificate.notAfter.value.toISOString());
  });
});

describe("checkSigningCertificateRules", () => {
  const signer = async (overrides: Partial<Parameters<typeof issueCertificate>[0]>) =>
    (
      await issueCertificate({
        commonName: "Signet Odd Signer",
        key: await generateRsaKey(),
        issuer: root,
        extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
        ...overrides,
      })
    ).certificate;

  it("accepts a current RSA-2048 SHA-256 code-signing certificate", () => {
    expect(checkSigningCertificateRules(good.certificate, new Date())).toEqual([]);
  });

  it.each([
    ["NU3014", async () => signer({ key: await generateRsaKey(1024) })],
    ["NU3013", () => signer({ signatureHash: "SHA-1" })],
    ["NU3012", () => signer({ extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping] })],
    ["NU3015", () => signer({ extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning, OID.lifetimeSigningUsage] })],
    ["NU3017", () => signer({ notBefore: new Date(Date.now() + DAY) })],
    ["NU3037", () => signer({ notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) })],
  ])("reports %s", async (code, make) => {
    const issues = checkSigningCertificateRules(await make(), new Date());
    expect(issues.map((issue) => issue.code)).toEqual([code]);
    expect(issues[0]?.message).toContain("Signet Odd Signer");
  });
});
