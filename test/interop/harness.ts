// Everything the interop scenarios share: one test PKI, the project's TSA on loopback, two
// overlay SDKs (one to sign with, one to verify with), and the two verdicts to compare — the
// real client's `dotnet nuget verify --all` and the engine's verifyPackageSignatures.

import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { openFileSource } from "@/lib/zip/source";
import { verifyPackageSignatures } from "@/lib/signing";
import type { TimestampAuthority } from "@/lib/timestamping";
import { startTimestampServer, type RunningTimestampServer } from "@/scripts/timestamp-server";
import {
  createOverlaySdk,
  runDotnet,
  type DotnetResult,
  type InstalledSdk,
  type OverlaySdk,
} from "@/test/support/dotnet";
import { buildUnsignedPackage, replaceSignature, signatureOf } from "@/test/support/nupkg";
import {
  EXTENDED_KEY_USAGE,
  certificatePem,
  createRootAuthority,
  generateRsaKey,
  issueCertificate,
  temporaryDirectory,
  timestampSignerFor,
  writePkcs12,
  type CertificateOptions,
  type TestCertificate,
  type TestKey,
} from "@/test/support/pki";
import { resignAuthorSignature } from "@/test/support/resign";

const PFX_PASSWORD = "signet-interop";
const TSA_POLICY = "1.3.6.1.4.1.55555.1.1";
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

export interface Verdict {
  valid: boolean;
  /** The first error code reported (for the client: the first `error: NUxxxx` line). */
  code: string | null;
  /** Every error code reported, in order, without repeats. */
  codes: string[];
}

export interface SignRefusal {
  exitCode: number;
  code: string | null;
}

export interface InteropCertificates {
  root: TestCertificate;
  untrustedRoot: TestCertificate;
  tsaRoot: TestCertificate;
  signer: TestCertificate;
  /** No EKU extension at all: valid for every purpose under RFC 5280. */
  withoutExtendedKeyUsage: TestCertificate;
  /** An EKU extension that lists serverAuth only, so not code signing. */
  serverAuthOnly: TestCertificate;
  rsa1024: TestCertificate;
  sha1Signed: TestCertificate;
  expired: TestCertificate;
  fromUntrustedRoot: TestCertificate;
}

const HOUR = 3_600_000;

function wholeSecond(milliseconds: number): Date {
  return new Date(Math.floor(milliseconds / 1000) * 1000);
}

async function createCertificates(): Promise<InteropCertificates> {
  const [rootKey, untrustedRootKey, tsaRootKey, signerKey, smallKey] = await Promise.all([
    generateRsaKey(),
    generateRsaKey(),
    generateRsaKey(),
    generateRsaKey(),
    generateRsaKey(1024),
  ]);
  const root = await createRootAuthority("Signet Interop Root", rootKey);
  const untrustedRoot = await createRootAuthority("Signet Interop Untrusted Root", untrustedRootKey);
  const tsaRoot = await createRootAuthority("Signet Interop TSA Root", tsaRootKey);
  // Leaves share one key where the scenario is about the certificate, not the key.
  const leaf = (commonName: string, options: Partial<Omit<CertificateOptions, "commonName">> = {}) =>
    issueCertificate({
      commonName,
      key: signerKey,
      issuer: root,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
      ...options,
    });
  return {
    root,
    untrustedRoot,
    tsaRoot,
    signer: await leaf("Signet Interop Signer"),
    withoutExtendedKeyUsage: await leaf("Signet Interop Any Purpose", { extendedKeyUsages: [] }),
    serverAuthOnly: await leaf("Signet Interop Server Auth", { extendedKeyUsages: [SERVER_AUTH] }),
    rsa1024: await leaf("Signet Interop RSA-1024", { key: smallKey }),
    sha1Signed: await leaf("Signet Interop SHA-1", { signatureHash: "SHA-1" }),
    expired: await leaf("Signet Interop Expired", {
      notBefore: wholeSecond(Date.now() - 48 * HOUR),
      notAfter: wholeSecond(Date.now() - 24 * HOUR),
    }),
    fromUntrustedRoot: await leaf("Signet Interop Untrusted", { issuer: untrustedRoot }),
  };
}

export type HashAlgorithmOption = "SHA256" | "SHA384" | "SHA512";

export interface ClientSignOptions {
  /** Which of the project's TSAs stamps the signature; null signs without a timestamp. */
  timestamper?: "trusted" | "untrustedRoot" | null;
  hashAlgorithm?: HashAlgorithmOption;
  timestampHashAlgorithm?: HashAlgorithmOption;
}

interface TimestampServers {
  trusted: RunningTimestampServer;
  /** A TSA certificate issued by the untrusted root. */
  untrustedRoot: RunningTimestampServer;
}

async function issueTsa(commonName: string, key: TestKey, issuer: TestCertificate): Promise<TimestampAuthority> {
  const tsa = await issueCertificate({ commonName, key, issuer, extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping] });
  return { signer: await timestampSignerFor(tsa), policy: TSA_POLICY, accuracySeconds: 1 };
}

export class InteropWorld {
  private readonly pfxPaths = new Map<TestCertificate, string>();

  private constructor(
    readonly directory: string,
    readonly certificates: InteropCertificates,
    /** The trusted TSA, also used when the harness re-signs. */
    readonly authority: TimestampAuthority,
    private readonly servers: TimestampServers,
    /** Trusts the untrusted root too (for code signing and timestamping), so the client agrees to sign with its leaves. */
    private readonly signingSdk: OverlaySdk,
    /** Trusts only the interop root and TSA root, like the engine in `engineVerdict`. */
    readonly verifyingSdk: OverlaySdk,
  ) {}

  static async create(installed: InstalledSdk): Promise<InteropWorld> {
    const directory = await temporaryDirectory("signet-interop-");
    const certificates = await createCertificates();
    const tsaKey = await generateRsaKey();
    const authority = await issueTsa("Signet Interop TSA", tsaKey, certificates.tsaRoot);
    const servers: TimestampServers = {
      trusted: await startTimestampServer(authority),
      untrustedRoot: await startTimestampServer(
        await issueTsa("Signet Interop Untrusted TSA", tsaKey, certificates.untrustedRoot),
      ),
    };
    const trusted = {
      codeSigning: [certificatePem(certificates.root)],
      timestamping: [certificatePem(certificates.tsaRoot)],
    };
    const untrustedRoot = certificatePem(certificates.untrustedRoot);
    const [signingSdk, verifyingSdk] = await Promise.all([
      createOverlaySdk(installed, path.join(directory, "signing"), {
        codeSigning: [...trusted.codeSigning, untrustedRoot],
        timestamping: [...trusted.timestamping, untrustedRoot],
      }),
      createOverlaySdk(installed, path.join(directory, "verifying"), trusted),
    ]);
    return new InteropWorld(directory, certificates, authority, servers, signingSdk, verifyingSdk);
  }

  async dispose(): Promise<void> {
    await Promise.all([this.servers.trusted.close(), this.servers.untrustedRoot.close()]);
    await rm(this.directory, { recursive: true, force: true });
  }

  /** A code-signing leaf from the trusted root that expires `seconds` from now. */
  shortLivedSigner(seconds: number): Promise<TestCertificate> {
    return issueCertificate({
      commonName: "Signet Interop Short-Lived",
      key: this.certificates.signer.key,
      issuer: this.certificates.root,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
      notBefore: wholeSecond(Date.now() - HOUR),
      notAfter: wholeSecond(Date.now() + seconds * 1000),
    });
  }

  /** A fresh unsigned package on disk, named after the scenario. */
  async unsignedPackage(scenario: string): Promise<string> {
    const id = `Signet.Interop.${scenario}`;
    const packagePath = path.join(this.directory, `${id}.1.0.0.nupkg`);
    await writeFile(packagePath, buildUnsignedPackage({ id, version: "1.0.0" }));
    return packagePath;
  }

  private async pfxFor(certificate: TestCertificate): Promise<string> {
    const existing = this.pfxPaths.get(certificate);
    if (existing) return existing;
    const created = await writePkcs12(certificate, this.directory, PFX_PASSWORD);
    this.pfxPaths.set(certificate, created);
    return created;
  }

  private async clientSign(
    packagePath: string,
    certificate: TestCertificate,
    options: ClientSignOptions,
  ): Promise<DotnetResult> {
    const { timestamper = "trusted", hashAlgorithm = "SHA256", timestampHashAlgorithm = "SHA256" } = options;
    const timestamping = timestamper
      ? ["--timestamper", this.servers[timestamper].url, "--timestamp-hash-algorithm", timestampHashAlgorithm]
      : [];
    return runDotnet(this.signingSdk, [
      "nuget",
      "sign",
      packagePath,
      "--certificate-path",
      await this.pfxFor(certificate),
      "--certificate-password",
      PFX_PASSWORD,
      "--hash-algorithm",
      hashAlgorithm,
      ...timestamping,
    ]);
  }

  /** Signs with the real client; throws with the client's output if it refuses. */
  async signWithClient(
    scenario: string,
    certificate: TestCertificate,
    options: ClientSignOptions = {},
  ): Promise<string> {
    const packagePath = await this.unsignedPackage(scenario);
    const result = await this.clientSign(packagePath, certificate, options);
    if (result.exitCode !== 0) throw new Error(`dotnet nuget sign failed for ${scenario}:\n${result.output}`);
    return packagePath;
  }

  /** What the client says when asked to sign with a certificate it rejects. */
  async signRefusal(scenario: string, certificate: TestCertificate): Promise<SignRefusal> {
    const result = await this.clientSign(await this.unsignedPackage(`${scenario}.Refused`), certificate, {});
    return { exitCode: result.exitCode, code: result.errorCodes[0] ?? null };
  }

  /** Signs with the client and the good certificate, then swaps the signer for `certificate`. */
  async resignWith(scenario: string, certificate: TestCertificate): Promise<string> {
    const packagePath = await this.signWithClient(scenario, this.certificates.signer);
    const signed = new Uint8Array(await readFile(packagePath));
    const signature = await resignAuthorSignature(signatureOf(signed), certificate, this.authority);
    await writeFile(packagePath, replaceSignature(signed, signature));
    return packagePath;
  }

  async clientVerdict(packagePath: string): Promise<Verdict & { output: string }> {
    // Detailed verbosity: the chains and algorithms it prints make a failed comparison readable.
    const result = await runDotnet(this.verifyingSdk, ["nuget", "verify", "--all", packagePath, "-v", "d"]);
    return {
      valid: result.exitCode === 0,
      code: result.errorCodes[0] ?? null,
      codes: result.errorCodes,
      output: result.output,
    };
  }

  async engineVerdict(packagePath: string): Promise<Verdict> {
    const source = await openFileSource(packagePath);
    const report = await verifyPackageSignatures(source, {
      trust: { codeSigningRoots: [this.certificates.root.der], timestampingRoots: [this.certificates.tsaRoot.der] },
    }).finally(() => source.close());
    const codes = [...new Set(report.issues.filter((issue) => issue.level === "error").map((issue) => issue.code))];
    return { valid: report.status === "valid", code: codes[0] ?? null, codes };
  }
}
