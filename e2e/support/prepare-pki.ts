// Run by playwright.config.ts before the servers start: a fresh code-signing root that the
// e2e gallery trusts, a timestamping authority (served on e2eTimestampPort), and an overlay
// of the installed .NET SDK that trusts both, so specs can sign packages with the real
// `dotnet nuget sign`. Keys are written unencrypted: they exist only for this test run.
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { toPem } from "@/lib/timestamping";
import { createOverlaySdk, findInstalledSdk } from "@/test/support/dotnet";
import {
  EXTENDED_KEY_USAGE,
  certificatePem,
  createRootAuthority,
  generateRsaKey,
  issueCertificate,
  privateKeyPkcs8,
} from "@/test/support/pki";

import { E2E_PKI_FILES, e2ePkiDir } from "./environment";

async function main(): Promise<void> {
  await rm(e2ePkiDir, { recursive: true, force: true });
  await mkdir(e2ePkiDir, { recursive: true });
  const [codeSigningRootKey, timestampingRootKey, timestampKey] = await Promise.all([
    generateRsaKey(),
    generateRsaKey(),
    generateRsaKey(),
  ]);
  const codeSigningRoot = await createRootAuthority("Signet E2E Code Signing Root", codeSigningRootKey);
  const timestampingRoot = await createRootAuthority("Signet E2E Timestamping Root", timestampingRootKey);
  const timestampAuthority = await issueCertificate({
    commonName: "Signet E2E Timestamp Authority",
    key: timestampKey,
    issuer: timestampingRoot,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
  });

  await writeFile(E2E_PKI_FILES.codeSigningRoot, certificatePem(codeSigningRoot));
  await writeFile(E2E_PKI_FILES.codeSigningRootKey, toPem(await privateKeyPkcs8(codeSigningRootKey), "PRIVATE KEY"), {
    mode: 0o600,
  });
  await writeFile(E2E_PKI_FILES.timestampingRoot, certificatePem(timestampingRoot));
  await writeFile(E2E_PKI_FILES.timestampKey, toPem(await privateKeyPkcs8(timestampKey), "PRIVATE KEY"), {
    mode: 0o600,
  });
  await writeFile(E2E_PKI_FILES.timestampChain, certificatePem(timestampAuthority) + certificatePem(timestampingRoot));

  const installed = await findInstalledSdk();
  if (!installed) {
    process.stdout.write("\n*** dotnet is not installed: e2e specs that sign packages will be SKIPPED ***\n\n");
    return;
  }
  const overlay = await createOverlaySdk(installed, path.join(e2ePkiDir, "sdk"), {
    codeSigning: [certificatePem(codeSigningRoot)],
    timestamping: [certificatePem(timestampingRoot)],
  });
  await writeFile(E2E_PKI_FILES.dotnetOverlay, JSON.stringify(overlay, null, 2));
}

main().catch((error: unknown) => {
  process.stderr.write(`Could not prepare the e2e PKI: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
