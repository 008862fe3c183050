// `npm run verify` on the forged chains: a "CN=Microsoft Corporation" signer issued by an
// ordinary code-signing certificate, and a TSA certificate issued by a TSA certificate. The
// test roots are trusted (--trusted-root), so the CLI's verdict rests on the chain rules: it
// must exit 1, report NuGet's code first, and never print the package or the signer as valid.

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignatureReport } from "@/lib/signing";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { certificatePem } from "@/test/support/pki";
import { createTestPki, issueForgedChains, signedPackage } from "@/test/support/signing";
import { runVerify } from "@/test/support/verify-cli";

let directory: string;
const files = { genuine: "", forgedSigner: "", forgedTimestamp: "", codeSigningRoot: "", timestampingRoot: "" };

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "signet-forged-cli-"));
  const pki = await createTestPki();
  const { forgedSigner, forgedAuthority } = await issueForgedChains(pki);
  const write = async (name: string, bytes: Uint8Array | string) => {
    const file = path.join(directory, name);
    await writeFile(file, bytes);
    return file;
  };
  const unsigned = (id: string) => buildUnsignedPackage({ id, version: "1.0.0" });
  files.genuine = await write(
    "genuine.nupkg",
    await signedPackage(
      { primary: { signer: pki.author, kind: "author", authority: pki.authority } },
      unsigned("Contoso.Genuine"),
    ),
  );
  files.forgedSigner = await write(
    "forged-signer.nupkg",
    await signedPackage(
      { primary: { signer: forgedSigner, kind: "author", authority: pki.authority } },
      unsigned("Contoso.Forged"),
    ),
  );
  files.forgedTimestamp = await write(
    "forged-timestamp.nupkg",
    await signedPackage(
      { primary: { signer: pki.author, kind: "author", authority: forgedAuthority } },
      unsigned("Contoso.ForgedTimestamp"),
    ),
  );
  files.codeSigningRoot = await write("code-signing-root.pem", certificatePem(pki.codeSigningRoot));
  files.timestampingRoot = await write("timestamping-root.pem", certificatePem(pki.timestampingRoot));
});

afterAll(() => rm(directory, { recursive: true, force: true }));

function verify(file: string, ...options: string[]) {
  return runVerify(file, "--trusted-root", files.codeSigningRoot, "--trusted-root", files.timestampingRoot, ...options);
}

describe("npm run verify on forged chains", () => {
  it("exits 0 for the control signed by the genuine certificate", async () => {
    const result = await verify(files.genuine);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(": VALID");
  });

  it("exits 1 for the 'Microsoft Corporation' signer, NU3012 first, and never calls it valid", async () => {
    const json = await verify(files.forgedSigner, "--json");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as SignatureReport;
    expect(report).toMatchObject({
      status: "invalid",
      author: { valid: false, signer: { subject: "CN=Microsoft Corporation" }, chain: { trusted: false } },
    });
    expect(report.issues.find((issue) => issue.level === "error")).toMatchObject({
      code: "NU3012",
      message: expect.stringContaining("InvalidBasicConstraints"),
    });

    const human = await verify(files.forgedSigner);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(": INVALID");
    expect(human.stdout).toContain("Author signature (primary, INVALID)");
    expect(human.stdout).toContain("chain: NOT trusted");
    expect(human.stdout).not.toMatch(/\(primary, valid\)|: VALID\b|chain: trusted/);
  });

  it("exits 1 for the TSA certificate issued by a TSA certificate, NU3028 first", async () => {
    const result = await verify(files.forgedTimestamp, "--json");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as SignatureReport;
    expect(report.issues.find((issue) => issue.level === "error")).toMatchObject({
      code: "NU3028",
      message: expect.stringContaining("InvalidBasicConstraints"),
    });
    expect(report.author?.timestamps[0]).toMatchObject({
      valid: false,
      tsa: { subject: "CN=Microsoft Time-Stamp Service" },
    });
  });
});
