import { execFile } from "node:child_process";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPackageSignatures } from "@/lib/signing";
import { repositorySignPackage } from "@/lib/signing/sign";
import { toPem } from "@/lib/timestamping";
import { bufferSource } from "@/lib/zip/source";
import { createTestPki, testPackage, type TestPki } from "@/test/support/signing";
import { certificatePem, privateKeyPkcs8, temporaryDirectory } from "@/test/support/pki";
import { loadRepositorySigner, type RepositorySigner } from "./repository-signing";

const execFileAsync = promisify(execFile);
let directory: string;
let pki: TestPki;

beforeAll(async () => {
  directory = await temporaryDirectory("signet-repository-signing-");
  pki = await createTestPki();
});
afterAll(() => rm(directory, { recursive: true, force: true }));

async function signAndVerify(
  signer: RepositorySigner,
  extraRoots: { codeSigningRoots: Uint8Array[]; timestampingRoots: Uint8Array[] },
) {
  const signed = await repositorySignPackage(bufferSource(testPackage()), {
    key: signer.key,
    timestamper: signer.timestamper,
    serviceIndexUrl: "https://gallery.example/v3/index.json",
    owners: ["alice"],
  });
  return verifyPackageSignatures(bufferSource(await signed.package.read(0, signed.package.size)), {
    trust: {
      codeSigningRoots: [...signer.ownRoots.codeSigningRoots, ...extraRoots.codeSigningRoots],
      timestampingRoots: [...signer.ownRoots.timestampingRoots, ...extraRoots.timestampingRoots],
    },
  });
}

const noRoots = { codeSigningRoots: [], timestampingRoots: [] };

describe("the embedded default", () => {
  it("makes a development root, repository certificate and timestamp authority once, keys readable only by the owner, and signs valid repository signatures with them", async () => {
    const data = path.join(directory, "default");
    const signer = await loadRepositorySigner(data, {});
    expect(signer.development).not.toBeNull();
    const files = signer.development;
    if (!files) throw new Error("no development files");
    expect((await stat(files.repositoryKey)).mode & 0o777).toBe(0o600);
    expect((await stat(files.timestampKey)).mode & 0o777).toBe(0o600);
    const report = await signAndVerify(signer, noRoots);
    expect(report.issues.filter((issue) => issue.level === "error")).toEqual([]);
    expect(report.repository?.signer?.subject).toContain("Signet Development Repository");
    expect(report.repository?.timestamps[0]?.tsa?.subject).toContain("Signet Development Timestamp Authority");

    const again = await loadRepositorySigner(data, {});
    expect(again.key.certificate.serialNumber.isEqual(signer.key.certificate.serialNumber)).toBe(true);
  });
});

describe("a configured certificate", () => {
  const timestampUrl = "http://127.0.0.1:1/unused";

  it("reads a PEM certificate chain and PKCS#8 key, in any order", async () => {
    const certificateFile = path.join(directory, "repository.pem");
    const keyFile = path.join(directory, "repository.key.pem");
    await writeFile(certificateFile, certificatePem(pki.codeSigningRoot) + certificatePem(pki.repository));
    await writeFile(keyFile, toPem(await privateKeyPkcs8(pki.repository.key), "PRIVATE KEY"));
    const signer = await loadRepositorySigner(directory, {
      SIGNET_REPOSITORY_CERTIFICATE: certificateFile,
      SIGNET_REPOSITORY_KEY: keyFile,
      SIGNET_TIMESTAMP_URL: timestampUrl,
    });
    expect(Buffer.from(signer.key.certificate.toSchema().toBER())).toEqual(Buffer.from(pki.repository.der));
    expect(signer.key.issuers).toHaveLength(1);
    expect(signer.development).toBeNull();
    expect(signer.ownRoots).toEqual(noRoots);
    expect(signer.timestampAuthority).toBe(timestampUrl);
  });

  it("reads a PKCS#12 file as OpenSSL writes it, and signs with it", async () => {
    const certificateFile = path.join(directory, "chain.pem");
    const keyFile = path.join(directory, "key.pem");
    const pfx = path.join(directory, "repository.pfx");
    await writeFile(certificateFile, certificatePem(pki.codeSigningRoot));
    await writeFile(path.join(directory, "leaf.pem"), certificatePem(pki.repository));
    await writeFile(keyFile, toPem(await privateKeyPkcs8(pki.repository.key), "PRIVATE KEY"));
    await execFileAsync("openssl", [
      "pkcs12",
      "-export",
      "-inkey",
      keyFile,
      "-in",
      path.join(directory, "leaf.pem"),
      "-certfile",
      certificateFile,
      "-out",
      pfx,
      "-passout",
      "pass:s3cret",
    ]);
    const signer = await loadRepositorySigner(directory, {
      SIGNET_REPOSITORY_CERTIFICATE: pfx,
      SIGNET_REPOSITORY_CERTIFICATE_PASSWORD: "s3cret",
      SIGNET_TIMESTAMP_URL: timestampUrl,
    });
    expect(Buffer.from(signer.key.certificate.toSchema().toBER())).toEqual(Buffer.from(pki.repository.der));
    const { respondToTimestampRequest } = await import("@/lib/timestamping");
    const report = await signAndVerify(
      { ...signer, timestamper: (request) => respondToTimestampRequest(pki.authority, request) },
      {
        codeSigningRoots: [pki.codeSigningRoot.der],
        timestampingRoots: [pki.timestampingRoot.der],
      },
    );
    expect(report.status).toBe("valid");
  });

  it("says what is wrong, without the password, when the PKCS#12 password is wrong", async () => {
    const pfx = path.join(directory, "repository.pfx");
    const failure = loadRepositorySigner(directory, {
      SIGNET_REPOSITORY_CERTIFICATE: pfx,
      SIGNET_REPOSITORY_CERTIFICATE_PASSWORD: "wrong-password",
      SIGNET_TIMESTAMP_URL: timestampUrl,
    });
    await expect(failure).rejects.toThrow(/cannot be opened as PKCS#12/);
    await expect(failure).rejects.not.toThrow(/wrong-password/);
  });

  it("requires a timestamp authority URL and, for PEM, the key file", async () => {
    const certificateFile = path.join(directory, "repository.pem");
    await expect(loadRepositorySigner(directory, { SIGNET_REPOSITORY_CERTIFICATE: certificateFile })).rejects.toThrow(
      /SIGNET_TIMESTAMP_URL/,
    );
    await expect(
      loadRepositorySigner(directory, {
        SIGNET_REPOSITORY_CERTIFICATE: certificateFile,
        SIGNET_TIMESTAMP_URL: timestampUrl,
      }),
    ).rejects.toThrow(/SIGNET_REPOSITORY_KEY/);
  });

  it("refuses a key that belongs to none of the certificates", async () => {
    const certificateFile = path.join(directory, "author-only.pem");
    await writeFile(certificateFile, certificatePem(pki.author));
    const keyFile = path.join(directory, "repository.key.pem");
    expect(await readFile(keyFile, "utf8")).toContain("PRIVATE KEY");
    await expect(
      loadRepositorySigner(directory, {
        SIGNET_REPOSITORY_CERTIFICATE: certificateFile,
        SIGNET_REPOSITORY_KEY: keyFile,
        SIGNET_TIMESTAMP_URL: timestampUrl,
      }),
    ).rejects.toThrow(/no certificate .* belongs to the private key/);
  });
});
