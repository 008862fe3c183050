import { execFile } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  EXTENDED_KEY_USAGE,
  certificatePem,
  chainOf,
  createRootAuthority,
  generateRsaKey,
  issueCertificate,
  temporaryDirectory,
  writePkcs12,
  type TestCertificate,
  type TestKey,
} from "./pki";

const execFileAsync = promisify(execFile);

let directory: string;
let rootKey: TestKey;
let leafKey: TestKey;
let root: TestCertificate;

beforeAll(async () => {
  directory = await temporaryDirectory("pki-test-");
  [rootKey, leafKey] = await Promise.all([generateRsaKey(), generateRsaKey()]);
  root = await createRootAuthority("PKI Test Root", rootKey);
});

afterAll(() => rm(directory, { recursive: true, force: true }));

async function openssl(...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync("openssl", args);
  return stdout;
}

async function pemFile(name: string, certificate: TestCertificate): Promise<string> {
  const file = path.join(directory, `${name}.pem`);
  await writeFile(file, certificatePem(certificate));
  return file;
}

async function text(certificate: TestCertificate): Promise<string> {
  return openssl("x509", "-noout", "-text", "-in", await pemFile(`text-${Date.now()}-${Math.random()}`, certificate));
}

describe("test PKI", () => {
  it("issues a code-signing leaf that openssl verifies against the root", async () => {
    const leaf = await issueCertificate({
      commonName: "PKI Test Signer",
      key: leafKey,
      issuer: root,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
    });
    const output = await openssl(
      "verify",
      "-purpose",
      "any",
      "-CAfile",
      await pemFile("root", root),
      await pemFile("leaf", leaf),
    );
    expect(output).toContain(": OK");
    expect(await text(leaf)).toMatch(/Extended Key Usage: critical\s+Code Signing/);
    expect(chainOf(leaf)).toEqual([leaf, root]);
  });

  it("chains a leaf through an intermediate authority", async () => {
    const intermediate = await issueCertificate({
      commonName: "PKI Test Intermediate",
      key: await generateRsaKey(),
      issuer: root,
      certificateAuthority: true,
    });
    const leaf = await issueCertificate({
      commonName: "PKI Test Deep Signer",
      key: leafKey,
      issuer: intermediate,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
    });
    const rootFile = await pemFile("root", root);
    const leafFile = await pemFile("deep-leaf", leaf);
    const output = await openssl(
      "verify",
      "-CAfile",
      rootFile,
      "-untrusted",
      await pemFile("intermediate", intermediate),
      leafFile,
    );
    expect(output).toContain(": OK");
    await expect(openssl("verify", "-CAfile", rootFile, leafFile)).rejects.toThrow(
      /unable to get local issuer certificate/,
    );
    expect(chainOf(leaf)).toEqual([leaf, intermediate, root]);
  });

  it("makes the root a self-signed CA", async () => {
    const details = await text(root);
    expect(details).toMatch(/Issuer: CN ?= ?PKI Test Root/);
    expect(details).toMatch(/Subject: CN ?= ?PKI Test Root/);
    expect(details).toContain("CA:TRUE");
  });

  it("writes the requested validity window, key size, signature hash and EKU", async () => {
    const notBefore = new Date("2030-01-02T03:04:05Z");
    const notAfter = new Date("2030-02-03T04:05:06Z");
    const leaf = await issueCertificate({
      commonName: "PKI Test Odd",
      key: await generateRsaKey(1024),
      issuer: root,
      notBefore,
      notAfter,
      signatureHash: "SHA-1",
      extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
    });
    const details = await text(leaf);
    expect(details).toContain("Not Before: Jan  2 03:04:05 2030 GMT");
    expect(details).toContain("Not After : Feb  3 04:05:06 2030 GMT");
    expect(details).toContain("Public-Key: (1024 bit)");
    expect(details).toContain("Signature Algorithm: sha1WithRSAEncryption");
    expect(details).toMatch(/Extended Key Usage: critical\s+Time Stamping/);
  });

  it("leaves the EKU extension out when asked for none", async () => {
    const leaf = await issueCertificate({
      commonName: "PKI Test Any",
      key: leafKey,
      issuer: root,
      extendedKeyUsages: [],
    });
    expect(await text(leaf)).not.toContain("Extended Key Usage");
  });

  it("exports a PKCS#12 file holding the certificate and its key", async () => {
    const leaf = await issueCertificate({
      commonName: "PKI Test PFX",
      key: leafKey,
      issuer: root,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
    });
    const pfx = await writePkcs12(leaf, directory, "secret");
    const contents = await openssl("pkcs12", "-in", pfx, "-passin", "pass:secret", "-nodes");
    expect(contents).toContain("subject=CN = PKI Test PFX");
    expect(contents).toContain("BEGIN PRIVATE KEY");
  });
});
