// A push of a package signed with a forged chain, through `PUT /api/v2/package`: an ordinary
// code-signing certificate (cA=false) that issued a "CN=Microsoft Corporation" certificate,
// and a TSA certificate that issued a TSA certificate. The gallery trusts the test roots
// (through the environment, as an operator would configure it) and the pusher has even
// registered the forged certificate, so only the chain rules stand between the forgery and
// a package page saying "Signed by Microsoft Corporation". Nothing may be published.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerCertificateFile } from "@/lib/certificates/registry";
import type { Db } from "@/lib/db";
import type { ErrorBody } from "@/lib/http/errors";
import type { TimestampAuthority } from "@/lib/timestamping";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { certificatePem, type TestCertificate } from "@/test/support/pki";
import { createTestPki, issueForgedChains, signedPackage, type TestPki } from "@/test/support/signing";
import { createAccounts, createKeySecret, useScratchStorage } from "./push-support";
import { forgetServices } from "@/test/support/services";
import { services } from "@/lib/services";

type PushRoute = typeof import("@/app/api/v2/package/route");

let pki: TestPki;
let forgedSigner: TestCertificate;
let forgedAuthority: TimestampAuthority;
let rootsDirectory: string;

beforeAll(async () => {
  pki = await createTestPki();
  ({ forgedSigner, forgedAuthority } = await issueForgedChains(pki));
  rootsDirectory = mkdtempSync(path.join(tmpdir(), "signet-forged-roots-"));
  writeFileSync(path.join(rootsDirectory, "code-signing.pem"), certificatePem(pki.codeSigningRoot));
  writeFileSync(path.join(rootsDirectory, "timestamping.pem"), certificatePem(pki.timestampingRoot));
});

afterAll(() => {
  forgetServices("trustStore");
  rmSync(rootsDirectory, { recursive: true, force: true });
});

describe.each(testDialects())("pushing a package signed through a forged chain on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  useScratchStorage();
  let db: Db;
  let push: PushRoute;
  let key: string;

  beforeAll(async () => {
    // Per database: useAppDatabase drops every stubbed variable when the one before it is done.
    vi.stubEnv("SIGNET_CODE_SIGNING_ROOTS", path.join(rootsDirectory, "code-signing.pem"));
    vi.stubEnv("SIGNET_TIMESTAMPING_ROOTS", path.join(rootsDirectory, "timestamping.pem"));
    forgetServices("trustStore");
    push = await import("@/app/api/v2/package/route");
    db = database();
    const { mallory } = await createAccounts(db, ["mallory"]);
    key = await createKeySecret(db, mallory);
    for (const certificate of [forgedSigner, pki.author])
      expect(
        (await registerCertificateFile(db, mallory, certificate.der, services.getTrustStore().codeSigningRoots))
          .registered,
      ).toBe(true);
  });

  async function pushSigned(
    id: string,
    spec: Parameters<typeof signedPackage>[0],
  ): Promise<{ status: number; body: ErrorBody["error"] }> {
    const form = new FormData();
    const bytes = await signedPackage(spec, buildUnsignedPackage({ id, version: "1.0.0" }));
    form.append("package", new Blob([new Uint8Array(bytes)], { type: "application/octet-stream" }), "package.nupkg");
    const response = await push.PUT(
      new Request("http://gallery.test/api/v2/package", {
        method: "PUT",
        body: form,
        headers: { "X-NuGet-ApiKey": key },
      }),
    );
    return { status: response.status, body: ((await response.json()) as ErrorBody).error };
  }

  it("publishes the control: the same pusher's package signed by its genuine certificate", async () => {
    const { status } = await pushSigned("Contoso.Genuine", {
      primary: { signer: pki.author, kind: "author", authority: pki.authority },
    });
    expect(status).toBe(201);
  });

  it("refuses the 'Microsoft Corporation' signer issued by a code-signing certificate (NU3012, InvalidBasicConstraints)", async () => {
    const { status, body } = await pushSigned("Contoso.Forged", {
      primary: { signer: forgedSigner, kind: "author", authority: pki.authority },
    });
    expect(status).toBe(400);
    expect(body.code).toBe("NU3012");
    expect(body.message).toMatch(
      /InvalidBasicConstraints: the certificate 'CN=Signet Test Author' issued 'CN=Microsoft Corporation' but is not a certification authority/,
    );
    expect(await db.packageVersion.count({ where: { registration: { packageIdLower: "contoso.forged" } } })).toBe(0);
  });

  it("refuses the timestamp twin: a TSA certificate issued by a TSA certificate (NU3028)", async () => {
    const { status, body } = await pushSigned("Contoso.ForgedTimestamp", {
      primary: { signer: pki.author, kind: "author", authority: forgedAuthority },
    });
    expect(status).toBe(400);
    expect(body.code).toBe("NU3028");
    expect(body.message).toMatch(
      /InvalidBasicConstraints: the certificate 'CN=Signet Forged TSA Issuer' issued 'CN=Microsoft Time-Stamp Service'/,
    );
    expect(
      await db.packageVersion.count({ where: { registration: { packageIdLower: "contoso.forgedtimestamp" } } }),
    ).toBe(0);
  });
});
