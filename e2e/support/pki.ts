// What specs use to make real packages: signing certificates issued by the e2e root (which
// the e2e gallery trusts) and packages signed and timestamped by the real `dotnet nuget sign`.
//
//   const signer = await issueSigningIdentity("Contoso Signing");
//   const unsigned = await writePackage({ id: "Contoso.Tools", version: "1.0.0" });
//   const signed = await signPackage(unsigned, signer);
//
// Specs that sign call `skipWithoutDotnet()` first.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { test } from "@playwright/test";
import * as pkijs from "pkijs";

import { fromPem, type TimestampAuthority } from "@/lib/timestamping";
import { runDotnet, type OverlaySdk } from "@/test/support/dotnet";
import { buildUnsignedPackage, type PackageSpec } from "@/test/support/nupkg";
import {
  EXTENDED_KEY_USAGE,
  certificatePem,
  generateRsaKey,
  issueCertificate,
  timestampSignerFor,
  writePkcs12,
  type TestCertificate,
} from "@/test/support/pki";
import { signedPackage } from "@/test/support/signing";

import { E2E_PKI_FILES, e2ePkiDir, e2eTimestampUrl } from "./environment";

export const DOTNET_MISSING =
  "*** SKIPPED: dotnet is not installed, so this spec cannot sign packages with the real NuGet client ***";

export interface SigningIdentity {
  commonName: string;
  /** PEM of the signing certificate, as an author would register it. */
  certificatePath: string;
  pfxPath: string;
  password: string;
  /** SHA-256 of the certificate's DER, upper-case hex (what `openssl x509 -fingerprint -sha256` prints, without colons). */
  sha256Fingerprint: string;
}

export function dotnetAvailable(): boolean {
  return existsSync(E2E_PKI_FILES.dotnetOverlay);
}

/**
 * First line of a spec that signs with the real client: skips it, loudly, without dotnet; under
 * CI=true (CI installs dotnet) fails it instead, so a missing SDK cannot pass as a green run.
 */
export function skipWithoutDotnet(): void {
  if (dotnetAvailable()) return;
  if (process.env.CI === "true")
    throw new Error(
      "dotnet is not installed, and CI=true requires the specs that sign with the real NuGet client to run.",
    );
  test.skip(true, DOTNET_MISSING);
}

/** The SDK overlay that trusts the e2e roots; only when dotnetAvailable(). */
export function dotnetOverlay(): OverlaySdk {
  return JSON.parse(readFileSync(E2E_PKI_FILES.dotnetOverlay, "utf8")) as OverlaySdk;
}

async function workDirectory(prefix: string): Promise<string> {
  const parent = path.join(e2ePkiDir, "work");
  await mkdir(parent, { recursive: true });
  return mkdtemp(path.join(parent, prefix));
}

/** The e2e root as a TestCertificate that can issue more certificates. */
async function loadCodeSigningRoot(): Promise<TestCertificate> {
  const [der] = fromPem(await readFile(E2E_PKI_FILES.codeSigningRoot, "utf8"), "CERTIFICATE");
  const [keyDer] = fromPem(await readFile(E2E_PKI_FILES.codeSigningRootKey, "utf8"), "PRIVATE KEY");
  if (!der || !keyDer)
    throw new Error(
      `The e2e PKI in ${e2ePkiDir} is incomplete; playwright.config.ts prepares it before the servers start.`,
    );
  const certificate = pkijs.Certificate.fromBER(der);
  const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const privateKey = await crypto.subtle.importKey("pkcs8", keyDer, algorithm, true, ["sign"]);
  const publicKey = await crypto.subtle.importKey(
    "spki",
    certificate.subjectPublicKeyInfo.toSchema().toBER(),
    algorithm,
    true,
    ["verify"],
  );
  // prepare-pki.ts makes every e2e key with generateRsaKey()'s default size.
  return { certificate, der, key: { privateKey, publicKey, algorithm: "RSA", modulusBits: 2048 }, issuer: null };
}

/** A fresh code-signing certificate from the e2e root, with a PFX for `dotnet nuget sign` and a PEM to register. */
export async function issueSigningIdentity(commonName: string): Promise<SigningIdentity> {
  const root = await loadCodeSigningRoot();
  const leaf = await issueCertificate({
    commonName,
    key: await generateRsaKey(),
    issuer: root,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
  });
  const directory = await workDirectory("identity-");
  const password = randomBytes(8).toString("hex");
  const certificatePath = path.join(directory, "certificate.pem");
  await writeFile(certificatePath, certificatePem(leaf));
  return {
    commonName,
    certificatePath,
    pfxPath: await writePkcs12(leaf, directory, password),
    password,
    sha256Fingerprint: createHash("sha256").update(leaf.der).digest("hex").toUpperCase(),
  };
}

/** A certificate for packages signed in-process, where the real client would not sign. */
export interface InProcessIdentity {
  commonName: string;
  /** PEM of the certificate, which an uploader can register like any other. */
  certificatePath: string;
  certificate: TestCertificate;
}

/**
 * A certificate named `commonName` issued by an ordinary code-signing certificate from the e2e
 * root (basic constraints cA=false): what anyone holding any code-signing certificate could
 * mint. The real client will not sign with it, so packages are signed in-process.
 */
export async function issueForgedIdentity(commonName: string): Promise<InProcessIdentity> {
  const root = await loadCodeSigningRoot();
  const key = await generateRsaKey();
  const endEntity = await issueCertificate({
    commonName: `E2E Ordinary Signer ${randomBytes(3).toString("hex")}`,
    key,
    issuer: root,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
  });
  const certificate = await issueCertificate({
    commonName,
    key,
    issuer: endEntity,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
  });
  const certificatePath = path.join(await workDirectory("forged-"), "certificate.pem");
  await writeFile(certificatePath, certificatePem(certificate));
  return { commonName, certificatePath, certificate };
}

/** An issuing CA under the e2e root (as Trusted Signing's issuing CAs sit under their root), for short-lived certificates. */
export async function issueIssuingAuthority(commonName: string): Promise<TestCertificate> {
  return issueCertificate({
    commonName,
    key: await generateRsaKey(),
    issuer: await loadCodeSigningRoot(),
    certificateAuthority: true,
  });
}

/** A fresh code-signing certificate from the e2e root, for in-process signing. */
export async function issueGenuineCertificate(commonName: string): Promise<InProcessIdentity> {
  const certificate = await issueCertificate({
    commonName,
    key: await generateRsaKey(),
    issuer: await loadCodeSigningRoot(),
    extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
  });
  const certificatePath = path.join(await workDirectory("genuine-"), "certificate.pem");
  await writeFile(certificatePath, certificatePem(certificate));
  return { commonName, certificatePath, certificate };
}

/**
 * The e2e timestamp authority, or, with `forged`, a TSA certificate that the e2e TSA
 * certificate (not a CA) issued, named "Microsoft Time-Stamp Service".
 */
async function e2eTimestampAuthority(forged: boolean): Promise<TimestampAuthority> {
  const [tsaDer, rootDer] = fromPem(await readFile(E2E_PKI_FILES.timestampChain, "utf8"), "CERTIFICATE");
  const [keyDer] = fromPem(await readFile(E2E_PKI_FILES.timestampKey, "utf8"), "PRIVATE KEY");
  if (!tsaDer || !rootDer || !keyDer)
    throw new Error(
      `The e2e PKI in ${e2ePkiDir} is incomplete; playwright.config.ts prepares it before the servers start.`,
    );
  const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const tsa = pkijs.Certificate.fromBER(tsaDer);
  const root = pkijs.Certificate.fromBER(rootDer);
  const privateKey = await crypto.subtle.importKey("pkcs8", keyDer, algorithm, true, ["sign"]);
  const policy = "1.3.6.1.4.1.55555.1.1";
  if (!forged) return { signer: { privateKey, certificate: tsa, chain: [root] }, policy };
  const publicKey = await crypto.subtle.importKey(
    "spki",
    tsa.subjectPublicKeyInfo.toSchema().toBER(),
    algorithm,
    true,
    ["verify"],
  );
  const issuer: TestCertificate = {
    certificate: tsa,
    der: tsaDer,
    key: { privateKey, publicKey, algorithm: "RSA", modulusBits: 2048 },
    issuer: null,
  };
  const forgedTsa = await issueCertificate({
    commonName: "Microsoft Time-Stamp Service",
    key: await generateRsaKey(),
    issuer,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
  });
  return { signer: { ...(await timestampSignerFor(forgedTsa)), chain: [tsa, root] }, policy };
}

/** Author-signs a package in-process (test/support/signing), timestamped by the e2e TSA or, with `forgedTimestamp`, by a forged one. */
export async function signPackageInProcess(
  packagePath: string,
  signer: TestCertificate,
  { forgedTimestamp = false } = {},
): Promise<string> {
  const signed = await signedPackage(
    { primary: { signer, kind: "author", authority: await e2eTimestampAuthority(forgedTimestamp) } },
    new Uint8Array(await readFile(packagePath)),
  );
  const file = path.join(await workDirectory("signed-"), path.basename(packagePath));
  await writeFile(file, signed);
  return file;
}

/** An unsigned package written to a file named as NuGet names it. */
export async function writePackage(spec: PackageSpec): Promise<string> {
  const file = path.join(await workDirectory("package-"), `${spec.id}.${spec.version}.nupkg`);
  await writeFile(file, buildUnsignedPackage(spec));
  return file;
}

/**
 * Author-signs a package with the real client, timestamped by the e2e TSA unless
 * `timestamp: false` (which the gallery refuses); returns the signed file.
 */
export async function signPackage(
  packagePath: string,
  signer: SigningIdentity,
  options: { timestamp?: boolean } = {},
): Promise<string> {
  const [signed] = await signPackages([packagePath], signer, options);
  return signed as string;
}

/** Author-signs several packages with one run of the client (it takes many paths); returns the signed files in order. */
export async function signPackages(
  packagePaths: readonly string[],
  signer: SigningIdentity,
  { timestamp = true }: { timestamp?: boolean } = {},
): Promise<string[]> {
  const output = await workDirectory("signed-");
  const result = await runDotnet(
    dotnetOverlay(),
    [
      "nuget",
      "sign",
      ...packagePaths,
      "--certificate-path",
      signer.pfxPath,
      "--certificate-password",
      signer.password,
      ...(timestamp ? ["--timestamper", e2eTimestampUrl] : []),
      "--output",
      output,
    ],
    { timeoutMs: 60_000 + packagePaths.length * 10_000 },
  );
  if (result.exitCode !== 0) throw new Error(`dotnet nuget sign failed (${result.exitCode}):\n${result.output}`);
  return packagePaths.map((packagePath) => path.join(output, path.basename(packagePath)));
}
