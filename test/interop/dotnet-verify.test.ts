// The engine's verdict next to the real NuGet client's, on packages signed by the real client.
//
// Every package is signed with `dotnet nuget sign` using certificates from a CA this file
// generates, timestamped by the project's RFC 3161 authority on 127.0.0.1, then judged by
// `dotnet nuget verify --all` and by verifyPackageSignatures. Each test asserts (1) that the
// client reached the verdict and NU code the scenario is meant to produce — so a scenario
// that silently turned into something else fails — and (2) that the engine's verdict equals
// the client's and the client's NU code is among the engine's error codes.
//
// Trust: the client trusts only the roots in its SDK bundles, so the harness runs it from
// overlay SDKs whose bundles hold the shipped roots plus the test roots (test/support/dotnet.ts);
// the installed SDK is not modified. Revocation is checked offline (the test certificates
// have no CRL or OCSP addresses, which the client reports as warnings).
//
// How each scenario is produced, and what was found out about the client on the way:
// - Expired certificate, with and without timestamp: the client refuses to sign with an
//   already expired certificate (NU3018 NotTimeValid), and a TSA lying about genTime would
//   test the lie, not the client. So a leaf that expires 30 seconds after creation signs two
//   packages (one timestamped, one not) at the start; the expiry tests run last and wait for
//   the certificate to lapse. With a timestamp inside the validity window the client
//   accepts; without one it reports NU3037.
// - Certificates the client will not sign with: without the code-signing EKU (NU3018
//   NotValidForUsage), RSA-1024 (NU3014), SHA-1 certificate signature (NU3013) and already
//   expired (NU3018). Each refusal is asserted, then an equivalent package is made by
//   signing with the good certificate through the client and replacing only the signer with
//   pkijs (test/support/resign.ts: same content and signed attributes, new
//   signing-certificate-v2, new signature, fresh timestamp). A control scenario re-signs
//   with the good certificate and must stay valid, so the re-signing itself is not what
//   either side objects to.
// - "Without code-signing EKU" means an EKU extension that lists serverAuth only. A
//   certificate with no EKU extension at all is valid for every purpose (RFC 5280), and the
//   client signs and verifies with it; that is asserted too.
// - Untrusted root: the signing SDK also trusts a second root so the client agrees to sign
//   with its leaf; the verifying SDK (and the engine) trust only the interop root. The same
//   root issues a second TSA, whose timestamps the client always treats as fatal (NU3028).
// - Content changed, signature entry compressed, two signature entries: the signed package
//   is rewritten with the raw ZIP model in test/support/zip.ts, touching nothing else. For
//   two entries the client prints "The package contains multiple package signature files."
//   with no NU code; the engine is expected to use NU3005, the code NuGet's archive reader
//   raises it under (NuGet.Client's SignedPackageArchiveIOUtility.ReadSignedArchiveMetadata).

import { readFile, writeFile } from "node:fs/promises";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runDotnet, findTestSdk } from "@/test/support/dotnet";
import { addSignatureEntry, compressSignatureEntry, replaceEntryContent, signatureOf } from "@/test/support/nupkg";

import { InteropWorld, type InteropCertificates, type Verdict } from "./harness";

const installed = await findTestSdk("test/interop/dotnet-verify.test.ts", "the engine-versus-NuGet-client comparison");

const SHORT_LIFETIME_SECONDS = 30;

interface Expected {
  valid: boolean;
  /** The client's first error code; null for a valid package. */
  code: string | null;
}

/** For failures the client reports without an NU code: its sentence, and the code NuGet files it under. */
interface Uncoded {
  clientSays: RegExp;
  engineCode: string;
}

let world: InteropWorld;
const comparisons: Array<{ scenario: string; client: Verdict; engine: Verdict }> = [];

async function rewritePackage(packagePath: string, edit: (signed: Uint8Array) => Uint8Array): Promise<void> {
  await writeFile(packagePath, edit(new Uint8Array(await readFile(packagePath))));
}

/** Asserts the two verdicts side by side; returns the client's output for scenario-specific checks. */
async function expectSameVerdict(
  scenario: string,
  packagePath: string,
  expected: Expected,
  uncoded?: Uncoded,
): Promise<string> {
  const { output, ...client } = await world.clientVerdict(packagePath);
  const engine = await world.engineVerdict(packagePath);
  comparisons.push({ scenario, client, engine });
  const sideBySide = JSON.stringify({ scenario, client, engine }, null, 2);

  expect(
    { valid: client.valid, code: client.code },
    `the client did not judge the scenario as intended:\n${output}`,
  ).toEqual(expected);
  if (uncoded) expect(output).toMatch(uncoded.clientSays);
  expect(engine.valid, sideBySide).toBe(client.valid);
  const expectedEngineCode = client.code ?? uncoded?.engineCode;
  if (expectedEngineCode) expect(engine.codes, sideBySide).toContain(expectedEngineCode);
  return output;
}

(installed ? describe : describe.skip)("engine verdict equals `dotnet nuget verify --all`", () => {
  let expiring: { timestamped: string; untimestamped: string; expiresAt: Date };

  beforeAll(async () => {
    // Only reached when the describe block is not skipped, i.e. the SDK was found.
    world = await InteropWorld.create(installed!);
    const shortLived = await world.shortLivedSigner(SHORT_LIFETIME_SECONDS);
    expiring = {
      timestamped: await world.signWithClient("ExpiredTimestamped", shortLived),
      untimestamped: await world.signWithClient("ExpiredUntimestamped", shortLived, { timestamper: null }),
      expiresAt: shortLived.certificate.notAfter.value,
    };
  }, 120_000);

  afterAll(async () => {
    console.info(
      comparisons
        .map(
          ({ scenario, client, engine }) =>
            `${scenario}: client ${client.valid ? "valid" : client.codes.join(",")} | engine ${engine.valid ? "valid" : engine.codes.join(",")}`,
        )
        .join("\n"),
    );
    await world?.dispose();
  });

  it("the client reads the overlay SDK's trust bundles, not the installed SDK's", async () => {
    const { output } = await runDotnet(world.verifyingSdk, [
      "nuget",
      "verify",
      "--all",
      await world.unsignedPackage("Unsigned"),
      "-v",
      "d",
    ]);
    expect(output).toContain(`certificate bundle at '${world.verifyingSdk.codeSigningBundle}'`);
    expect(output).toContain(`certificate bundle at '${world.verifyingSdk.timestampingBundle}'`);
  });

  it("valid: trusted chain, code-signing EKU, timestamped", async () => {
    await expectSameVerdict("valid", await world.signWithClient("Valid", world.certificates.signer), {
      valid: true,
      code: null,
    });
  });

  it("valid: a certificate with no EKU extension may sign code", async () => {
    await expectSameVerdict(
      "no EKU extension",
      await world.signWithClient("AnyPurpose", world.certificates.withoutExtendedKeyUsage),
      { valid: true, code: null },
    );
  });

  it("valid: control for re-signing — the good certificate put back by the harness", async () => {
    await expectSameVerdict(
      "re-signed with the good certificate",
      await world.resignWith("ResignedControl", world.certificates.signer),
      { valid: true, code: null },
    );
  });

  it("valid: SHA-512 package hash with a SHA-384 timestamp imprint", async () => {
    const packagePath = await world.signWithClient("Sha512", world.certificates.signer, {
      hashAlgorithm: "SHA512",
      timestampHashAlgorithm: "SHA384",
    });
    const output = await expectSameVerdict("SHA-512 / SHA-384", packagePath, { valid: true, code: null });
    expect(output).toContain("Signature Hash Algorithm: SHA512");
  });

  it("timestamp from a TSA under an untrusted root: NU3028", async () => {
    const packagePath = await world.signWithClient("UntrustedTsa", world.certificates.signer, {
      timestamper: "untrustedRoot",
    });
    await expectSameVerdict("untrusted TSA root", packagePath, { valid: false, code: "NU3028" });
  });

  it("content changed after signing: NU3008", async () => {
    const packagePath = await world.signWithClient("ContentChanged", world.certificates.signer);
    await rewritePackage(packagePath, (signed) =>
      replaceEntryContent(signed, "content/readme.txt", "changed after signing\n"),
    );
    await expectSameVerdict("content changed", packagePath, { valid: false, code: "NU3008" });
  });

  // The client refuses to sign with these certificates; the package is then re-signed with them.
  const refusedCertificates: Array<[string, string, string, keyof InteropCertificates]> = [
    ["certificate without the code-signing EKU", "NU3018", "NU3012", "serverAuthOnly"],
    ["RSA-1024 key", "NU3014", "NU3014", "rsa1024"],
    ["SHA-1 certificate signature", "NU3013", "NU3013", "sha1Signed"],
    ["certificate expired before signing (timestamped now)", "NU3018", "NU3037", "expired"],
  ];

  it.each(refusedCertificates)(
    "%s: the client refuses to sign (%s); the re-signed package fails %s",
    async (scenario, signCode, verifyCode, certificate) => {
      const scenarioId = certificate.charAt(0).toUpperCase() + certificate.slice(1);
      expect(await world.signRefusal(scenarioId, world.certificates[certificate])).toEqual({
        exitCode: 1,
        code: signCode,
      });
      await expectSameVerdict(scenario, await world.resignWith(scenarioId, world.certificates[certificate]), {
        valid: false,
        code: verifyCode,
      });
    },
  );

  it("untrusted root: NU3018", async () => {
    await expectSameVerdict(
      "untrusted root",
      await world.signWithClient("UntrustedRoot", world.certificates.fromUntrustedRoot),
      { valid: false, code: "NU3018" },
    );
  });

  it("signature entry compressed: NU3005", async () => {
    const packagePath = await world.signWithClient("CompressedSignature", world.certificates.signer);
    await rewritePackage(packagePath, compressSignatureEntry);
    await expectSameVerdict("signature entry compressed", packagePath, { valid: false, code: "NU3005" });
  });

  it("two signature files: the client says so without a code; NuGet files it under NU3005", async () => {
    const packagePath = await world.signWithClient("TwoSignatures", world.certificates.signer);
    await rewritePackage(packagePath, (signed) => addSignatureEntry(signed, signatureOf(signed)));
    await expectSameVerdict(
      "two signature files",
      packagePath,
      { valid: false, code: null },
      { clientSays: /multiple package signature files/, engineCode: "NU3005" },
    );
  });

  describe("certificate expired after signing", () => {
    beforeAll(
      async () => {
        const remaining = expiring.expiresAt.getTime() + 1500 - Date.now();
        if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
      },
      (SHORT_LIFETIME_SECONDS + 5) * 1000,
    );

    it("with a timestamp inside its validity: valid", async () => {
      await expectSameVerdict("expired, timestamped", expiring.timestamped, { valid: true, code: null });
    });

    it("without a timestamp: NU3037", async () => {
      await expectSameVerdict("expired, no timestamp", expiring.untimestamped, { valid: false, code: "NU3037" });
    });
  });
});
