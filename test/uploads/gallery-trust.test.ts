// Packages signed in-process by a test PKI: the gallery's own trust roots decide whether a
// signature is valid, and a certificate registered as a file lets its owner publish.

import { beforeAll, describe, expect, it } from "vitest";
import { registerCertificateFile } from "@/lib/certificates/registry";
import { submitPackage } from "@/lib/uploads";
import { testDialects } from "@/test/db/scratch";
import { createTestPki, signedPackage, trustOf, type TestPki } from "@/test/hostile/signing-fixture";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { useUploadHarness } from "./harness";

let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
});

describe.each(testDialects())("uploads signed by a test PKI on %s", (dialect) => {
  const harness = useUploadHarness(dialect);

  async function signed(version: string): Promise<Uint8Array> {
    return signedPackage({ primary: { signer: pki.author, kind: "author", authority: pki.authority } }, buildUnsignedPackage({ id: "Signet.Engine.Tests", version }));
  }

  it("publishes a package signed with the owner's registered certificate when the gallery trusts its roots", async () => {
    const owner = await harness.createUser("owner");
    const registration = await registerCertificateFile(harness.db(), owner, pki.author.der);
    expect(registration.registered).toBe(true);
    const outcome = await submitPackage(harness.db(), harness.storage(), await harness.stage(await signed("1.0.0")), { uploaderId: owner, source: "API", trust: trustOf(pki) });
    expect(outcome).toMatchObject({ status: "accepted", packageVersion: { packageId: "Signet.Engine.Tests" } });
    const version = await harness.db().packageVersion.findFirstOrThrow({ where: { registration: { packageIdLower: "signet.engine.tests" } }, include: { signerCertificate: true } });
    expect(version.signatureStatus).toBe("VALID");
    expect(version.signerCertificate?.subject).toContain("CN=Signet Test Author");
  });

  it("refuses the same signature where the gallery does not trust the test root", async () => {
    const owner = await harness.db().user.findUniqueOrThrow({ where: { username: "owner" } });
    // The default trust store (the .NET SDK's roots) knows nothing of the test PKI: neither the
    // signer's chain (NU3018) nor the timestamp authority's (NU3028) is trusted.
    const outcome = await submitPackage(harness.db(), harness.storage(), await harness.stage(await signed("2.0.0")), { uploaderId: owner.id, source: "API" });
    expect(outcome.status).toBe("rejected");
    expect(outcome.issues.filter((issue) => issue.level === "error").map((issue) => issue.code).sort()).toEqual(["NU3018", "NU3028"]);
  });
});
