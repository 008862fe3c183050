// The project's timestamp authority as `npm run tsa` serves it, judged by the real client:
// `dotnet nuget sign --timestamper <it>` must accept its tokens and `dotnet nuget verify --all`
// the signed package (the client trusts its development root through an overlay SDK), and the
// authority must refuse to start with a certificate whose tokens the client would call "not
// understood" (no critical id-kp-timeStamping usage).
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toPem } from "@/lib/timestamping";
import { createOverlaySdk, runDotnet, type OverlaySdk, findTestSdk } from "@/test/support/dotnet";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import {
  certificatePem,
  createRootAuthority,
  EXTENDED_KEY_USAGE,
  generateRsaKey,
  issueCertificate,
  privateKeyPkcs8,
  temporaryDirectory,
  writePkcs12,
  type TestCertificate,
} from "@/test/support/pki";

const installed = await findTestSdk(
  "test/interop/timestamp-authority.test.ts",
  "`dotnet nuget sign --timestamper` against `npm run tsa`",
);

const TSX = path.join(process.cwd(), "node_modules", ".bin", "tsx");

interface Started {
  child: ChildProcess;
  output: () => string;
}

function startTsa(dataDirectory: string, extra: string[] = []): Started {
  const child = spawn(TSX, ["scripts/tsa.ts", "--port", "0", ...extra], {
    env: { ...process.env, SIGNET_DATA_DIR: dataDirectory },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function listeningUrl(started: Started): Promise<string> {
  for (let waited = 0; waited < 60_000; waited += 100) {
    const url = /listening on (http:\/\/\S+)/.exec(started.output())?.[1];
    if (url) return url;
    if (started.child.exitCode !== null) throw new Error(`npm run tsa exited: ${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`npm run tsa did not start: ${started.output()}`);
}

describe.skipIf(!installed)("npm run tsa, judged by dotnet nuget sign and verify", () => {
  let directory: string;
  let signerRoot: TestCertificate;
  let signer: TestCertificate;
  let tsa: Started;
  let url: string;
  let client: OverlaySdk;

  beforeAll(async () => {
    if (!installed) return;
    directory = await temporaryDirectory("signet-tsa-interop-");
    const [rootKey, signerKey] = await Promise.all([generateRsaKey(), generateRsaKey()]);
    signerRoot = await createRootAuthority("Signet TSA Interop Code Signing Root", rootKey);
    signer = await issueCertificate({
      commonName: "Signet TSA Interop Signer",
      key: signerKey,
      issuer: signerRoot,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
    });
    tsa = startTsa(directory);
    url = await listeningUrl(tsa);
    const developmentRoot = await readFile(path.join(directory, "repository-signing", "root.pem"), "utf8");
    client = await createOverlaySdk(installed, path.join(directory, "sdk"), {
      codeSigning: [certificatePem(signerRoot)],
      timestamping: [developmentRoot],
    });
  }, 180_000);

  afterAll(async () => {
    tsa?.child.kill();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it("timestamps a signature the client accepts, and the signed package verifies", async () => {
    const packagePath = path.join(directory, "Signet.Tsa.Interop.1.0.0.nupkg");
    await writeFile(packagePath, buildUnsignedPackage({ id: "Signet.Tsa.Interop", version: "1.0.0" }));
    const pfx = await writePkcs12(signer, directory, "interop");
    const signed = await runDotnet(client, [
      "nuget",
      "sign",
      packagePath,
      "--certificate-path",
      pfx,
      "--certificate-password",
      "interop",
      "--timestamper",
      url,
    ]);
    expect(signed.output).not.toContain("not understood");
    expect(signed.exitCode, signed.output).toBe(0);
    const verified = await runDotnet(client, ["nuget", "verify", "--all", packagePath, "-v", "d"]);
    expect(verified.exitCode, verified.output).toBe(0);
    expect(verified.output).toContain("Signet Development Timestamp Authority");
  }, 120_000);

  it("refuses to start with a certificate that has no timeStamping usage, saying so", async () => {
    const key = await generateRsaKey();
    const withoutUsage = await issueCertificate({
      commonName: "Not A TSA",
      key,
      issuer: signerRoot,
      extendedKeyUsages: [],
    });
    const keyFile = path.join(directory, "no-usage.key.pem");
    const certificateFile = path.join(directory, "no-usage.pem");
    await writeFile(keyFile, toPem(await privateKeyPkcs8(withoutUsage.key), "PRIVATE KEY"));
    await writeFile(certificateFile, certificatePem(withoutUsage));
    const refused = startTsa(directory, ["--key", keyFile, "--cert", certificateFile]);
    const [exitCode] = (await once(refused.child, "exit")) as [number];
    expect(exitCode).toBe(1);
    expect(refused.output()).toContain("it has no extended key usage extension");
  }, 60_000);
});
