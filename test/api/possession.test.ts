// Proof of possession through the route handlers on a real migrated database: a registered
// certificate awaits proof until its account signs a one-time challenge, with `openssl cms`
// (detached, or attached) or with the real NuGet client's `dotnet nuget sign` over the challenge
// package; a challenge signed by another key, expired, replayed or issued to another account is
// refused, each with its own code and sentence. next-auth's session lookup is stood in for.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db";
import { toPem } from "@/lib/timestamping";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { createOverlaySdk, runDotnet, type OverlaySdk, findTestSdk } from "@/test/support/dotnet";
import { pageRequest } from "@/test/support/api-request";
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

const execFileAsync = promisify(execFile);
const session = vi.hoisted(() => ({ userId: undefined as string | undefined }));

vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (await import("@/test/support/session-stand-in")).standInSession(session.userId),
}));

const installed = await findTestSdk("test/api/possession.test.ts", "the dotnet nuget sign challenge");

const ORIGIN = "http://gallery.test";

type ChallengeRoute = typeof import("@/app/api/account/certificates/[id]/challenge/route");
type AnswerRoute = typeof import("@/app/api/account/challenges/[challengeId]/route");
type CertificatesRoute = typeof import("@/app/api/account/certificates/route");

interface ErrorBody {
  error: { code: string; message: string };
}

describe.each(testDialects())("proof of possession on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  let db: Db;
  let challengeRoute: ChallengeRoute;
  let answerRoute: AnswerRoute;
  let certificatesRoute: CertificatesRoute;
  let directory: string;
  let root: TestCertificate;
  let alicesCertificate: TestCertificate;
  let otherCertificate: TestCertificate;
  const ids = { alice: "", bob: "" };

  async function register(userId: string, certificate: TestCertificate): Promise<string> {
    session.userId = userId;
    const response = await certificatesRoute.POST(
      pageRequest(`${ORIGIN}/api/account/certificates`, "POST", {
        file: Buffer.from(certificatePem(certificate)).toString("base64"),
      }),
    );
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { certificate: { id: string } }).certificate.id;
  }

  async function challenge(
    userId: string,
    registrationId: string,
  ): Promise<{ id: string; text: string; packageFileName: string }> {
    session.userId = userId;
    const response = await challengeRoute.POST(
      pageRequest(`${ORIGIN}/api/account/certificates/${registrationId}/challenge`, "POST"),
      { params: Promise.resolve({ id: registrationId }) },
    );
    expect(response.status).toBe(201);
    return ((await response.json()) as { challenge: { id: string; text: string; packageFileName: string } }).challenge;
  }

  async function downloadResponse(userId: string, challengeId: string, format: "txt" | "nupkg"): Promise<Response> {
    session.userId = userId;
    const response = await answerRoute.GET(
      new Request(`${ORIGIN}/api/account/challenges/${challengeId}?format=${format}`),
      { params: Promise.resolve({ challengeId }) },
    );
    expect(response.status).toBe(200);
    return response;
  }

  async function download(userId: string, challengeId: string, format: "txt" | "nupkg"): Promise<Uint8Array> {
    return new Uint8Array(await (await downloadResponse(userId, challengeId, format)).arrayBuffer());
  }

  function answer(userId: string, challengeId: string, signed: Uint8Array): Promise<Response> {
    session.userId = userId;
    return answerRoute.POST(
      pageRequest(`${ORIGIN}/api/account/challenges/${challengeId}`, "POST", {
        file: Buffer.from(signed).toString("base64"),
      }),
      {
        params: Promise.resolve({ challengeId }),
      },
    );
  }

  async function refusal(response: Response): Promise<ErrorBody["error"]> {
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    return ((await response.json()) as ErrorBody).error;
  }

  /** `openssl cms -sign` over `content` with the certificate's key, as the Certificates page shows it (with -certfile for a signer identity). */
  async function opensslSign(
    signer: TestCertificate,
    content: Uint8Array,
    { attached = false, certfile = null as TestCertificate | null } = {},
  ): Promise<Uint8Array> {
    const work = await temporaryDirectory("signet-cms-");
    const files = {
      key: path.join(work, "key.pem"),
      certificate: path.join(work, "certificate.pem"),
      input: path.join(work, "challenge.txt"),
      output: path.join(work, "challenge.p7s"),
      ca: path.join(work, "issuing-ca.pem"),
    };
    await writeFile(files.key, toPem(await privateKeyPkcs8(signer.key), "PRIVATE KEY"), { mode: 0o600 });
    await writeFile(files.certificate, certificatePem(signer));
    await writeFile(files.input, content);
    if (certfile) await writeFile(files.ca, certificatePem(certfile));
    await execFileAsync("openssl", [
      "cms",
      "-sign",
      "-binary",
      "-in",
      files.input,
      "-signer",
      files.certificate,
      "-inkey",
      files.key,
      "-md",
      "sha256",
      "-outform",
      "DER",
      "-out",
      files.output,
      ...(attached ? ["-nodetach"] : []),
      ...(certfile ? ["-certfile", files.ca] : []),
    ]);
    return new Uint8Array(await readFile(files.output));
  }

  async function proofOf(registrationId: string): Promise<string | null> {
    return (
      await db.registeredCertificate.findUniqueOrThrow({ where: { id: registrationId }, select: { provenBy: true } })
    ).provenBy;
  }

  beforeAll(async () => {
    challengeRoute = await import("@/app/api/account/certificates/[id]/challenge/route");
    answerRoute = await import("@/app/api/account/challenges/[challengeId]/route");
    certificatesRoute = await import("@/app/api/account/certificates/route");
    db = database();
    directory = await temporaryDirectory("signet-possession-");
    root = await createRootAuthority("Possession Test Root", await generateRsaKey());
    const codeSigning = [EXTENDED_KEY_USAGE.codeSigning];
    alicesCertificate = await issueCertificate({
      commonName: "Alice Signing",
      key: await generateRsaKey(),
      issuer: root,
      extendedKeyUsages: codeSigning,
    });
    otherCertificate = await issueCertificate({
      commonName: "Someone Else",
      key: await generateRsaKey(),
      issuer: root,
      extendedKeyUsages: codeSigning,
    });
    ids.alice = (await db.user.create({ data: { email: "alice@example.test", username: "alice" } })).id;
    ids.bob = (await db.user.create({ data: { email: "bob@example.test", username: "bob" } })).id;
  });

  beforeEach(async () => {
    await db.possessionChallenge.deleteMany();
    await db.registeredCertificate.deleteMany();
    await db.certificate.deleteMany();
  });

  it("a registered certificate awaits proof; a detached openssl cms signature of the challenge activates it", async () => {
    const registrationId = await register(ids.alice, alicesCertificate);
    expect(await proofOf(registrationId)).toBeNull();
    const { id, text } = await challenge(ids.alice, registrationId);
    expect(text).toContain("Account: alice");
    expect(new TextDecoder().decode(await download(ids.alice, id, "txt"))).toBe(text);

    const response = await answer(ids.alice, id, await opensslSign(alicesCertificate, new TextEncoder().encode(text)));
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await proofOf(registrationId)).toBe("CHALLENGE");
    session.userId = ids.alice;
    const listed = (await (await certificatesRoute.GET(new Request(`${ORIGIN}/api/account/certificates`))).json()) as {
      certificates: { status: string; provenBy: string }[];
    };
    expect(listed.certificates).toMatchObject([{ status: "active", provenBy: "CHALLENGE" }]);
  });

  it("accepts an attached openssl cms signature whose content is the challenge", async () => {
    const registrationId = await register(ids.alice, alicesCertificate);
    const { id, text } = await challenge(ids.alice, registrationId);
    expect(
      (
        await answer(
          ids.alice,
          id,
          await opensslSign(alicesCertificate, new TextEncoder().encode(text), { attached: true }),
        )
      ).status,
    ).toBe(200);
    expect(await proofOf(registrationId)).toBe("CHALLENGE");
  });

  it("refuses a challenge signed by another key, naming both certificates", async () => {
    const registrationId = await register(ids.alice, alicesCertificate);
    const { id, text } = await challenge(ids.alice, registrationId);
    const error = await refusal(
      await answer(ids.alice, id, await opensslSign(otherCertificate, new TextEncoder().encode(text))),
    );
    expect(error.code).toBe("CHALLENGE_WRONG_SIGNER");
    expect(error.message).toContain("signed with the certificate 'CN=Someone Else'");
    expect(error.message).toContain("not with the registered certificate");
    expect(await proofOf(registrationId)).toBeNull();
  });

  it("refuses an expired challenge", async () => {
    const registrationId = await register(ids.alice, alicesCertificate);
    const { id, text } = await challenge(ids.alice, registrationId);
    await db.possessionChallenge.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const error = await refusal(
      await answer(ids.alice, id, await opensslSign(alicesCertificate, new TextEncoder().encode(text))),
    );
    expect(error.code).toBe("CHALLENGE_EXPIRED");
    expect(error.message).toContain("challenges last 60 minutes");
    expect(await proofOf(registrationId)).toBeNull();
  });

  it("refuses a replayed answer: the same upload again, and an old answer for a new challenge", async () => {
    const registrationId = await register(ids.alice, alicesCertificate);
    const first = await challenge(ids.alice, registrationId);
    const signed = await opensslSign(alicesCertificate, new TextEncoder().encode(first.text), { attached: true });
    expect((await answer(ids.alice, first.id, signed)).status).toBe(200);
    const again = await refusal(await answer(ids.alice, first.id, signed));
    expect(again.code).toBe("CHALLENGE_ALREADY_ANSWERED");
    expect(again.message).toContain("a challenge proves possession once");
    const second = await challenge(ids.alice, registrationId);
    const replayed = await refusal(await answer(ids.alice, second.id, signed));
    expect(replayed.code).toBe("CHALLENGE_MISMATCH");
    expect(replayed.message).toContain(`answers another challenge (${first.id})`);
  });

  it("refuses a challenge issued to another account, whichever way it is sent", async () => {
    const alicesRegistration = await register(ids.alice, alicesCertificate);
    const alices = await challenge(ids.alice, alicesRegistration);
    const bobsRegistration = await register(ids.bob, alicesCertificate);
    const bobs = await challenge(ids.bob, bobsRegistration);
    const signedForAlice = await opensslSign(alicesCertificate, new TextEncoder().encode(alices.text), {
      attached: true,
    });

    const onAlicesChallenge = await refusal(await answer(ids.bob, alices.id, signedForAlice));
    expect(onAlicesChallenge.code).toBe("CHALLENGE_OTHER_ACCOUNT");
    expect(onAlicesChallenge.message).toContain("issued to the account 'alice', not to yours");
    const onBobsChallenge = await refusal(await answer(ids.bob, bobs.id, signedForAlice));
    expect(onBobsChallenge.code).toBe("CHALLENGE_OTHER_ACCOUNT");
    expect(onBobsChallenge.message).toContain("issued to the account 'alice', not to 'bob'");
    expect(await proofOf(bobsRegistration)).toBeNull();
    expect(await proofOf(alicesRegistration)).toBeNull();
  });

  it("proves a signer identity with a certificate its CA issued, and refuses a look-alike that only carries the CA certificate", async () => {
    const { registerSignerIdentity } = await import("@/lib/identity/identity-registry");
    const identityRoute = await import("@/app/api/account/identities/[id]/challenge/route");
    const caFingerprint = createHash("sha256").update(root.der).digest("hex");
    const identity = await registerSignerIdentity(db, ids.alice, {
      kind: "ISSUER_SUBJECT",
      caFingerprint,
      subjectFields: [{ type: "CN", value: "Alice Signing" }],
    });
    async function identityChallenge(): Promise<{ id: string; text: string }> {
      session.userId = ids.alice;
      const response = await identityRoute.POST(
        pageRequest(`${ORIGIN}/api/account/identities/${identity.id}/challenge`, "POST"),
        { params: Promise.resolve({ id: identity.id }) },
      );
      expect(response.status).toBe(201);
      return ((await response.json()) as { challenge: { id: string; text: string } }).challenge;
    }
    // Same subject, own key, self-signed: it carries the real CA certificate, which did not issue it.
    const lookAlike = await issueCertificate({
      commonName: "Alice Signing",
      key: await generateRsaKey(),
      extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
    });
    const forged = await identityChallenge();
    const refused = await refusal(
      await answer(
        ids.alice,
        forged.id,
        await opensslSign(lookAlike, new TextEncoder().encode(forged.text), { certfile: root }),
      ),
    );
    expect(refused.code).toBe("CHALLENGE_WRONG_SIGNER");
    expect(refused.message).toContain("does not match the signer identity CN=Alice Signing");

    const genuine = await identityChallenge();
    const response = await answer(
      ids.alice,
      genuine.id,
      await opensslSign(alicesCertificate, new TextEncoder().encode(genuine.text), { certfile: root }),
    );
    expect(response.status, await response.clone().text()).toBe(200);
    expect(
      (await db.signerIdentity.findUniqueOrThrow({ where: { id: identity.id }, select: { provenBy: true } })).provenBy,
    ).toBe("CHALLENGE");
    await db.signerIdentity.deleteMany();
  });

  it("refuses files that are no signature at all with a sentence, not a 500", async () => {
    const registrationId = await register(ids.alice, alicesCertificate);
    const { id } = await challenge(ids.alice, registrationId);
    expect((await refusal(await answer(ids.alice, id, new TextEncoder().encode("not a signature")))).code).toBe(
      "POSSESSION_SIGNATURE_INVALID",
    );
    expect(
      (await refusal(await answer(ids.alice, id, new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])))).code,
    ).toMatch(/^(POSSESSION_SIGNATURE_INVALID|ZIP_)/);
  });

  describe.skipIf(!installed)("with dotnet nuget sign", () => {
    let client: OverlaySdk;

    beforeAll(async () => {
      if (!installed) return;
      client = await createOverlaySdk(installed, path.join(directory, "sdk"), {
        codeSigning: [certificatePem(root)],
        timestamping: [],
      });
    }, 120_000);

    it("accepts the challenge package signed by the real client, and refuses it signed with another certificate", async () => {
      const registrationId = await register(ids.alice, alicesCertificate);
      // Run as the Certificates page words it: the downloaded file under the name the page's command uses.
      async function signedChallenge(signer: TestCertificate): Promise<{ id: string; signed: Uint8Array }> {
        const { id, packageFileName } = await challenge(ids.alice, registrationId);
        const response = await downloadResponse(ids.alice, id, "nupkg");
        expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${packageFileName}"`);
        const work = await temporaryDirectory("signet-challenge-");
        await writeFile(path.join(work, packageFileName), new Uint8Array(await response.arrayBuffer()));
        const result = await runDotnet(client, [
          "nuget",
          "sign",
          path.join(work, packageFileName),
          "--certificate-path",
          await writePkcs12(signer, directory, "pw"),
          "--certificate-password",
          "pw",
          "--output",
          path.join(work, "signed"),
        ]);
        expect(result.exitCode, result.output).toBe(0);
        return { id, signed: new Uint8Array(await readFile(path.join(work, "signed", packageFileName))) };
      }
      const wrong = await signedChallenge(otherCertificate);
      expect((await refusal(await answer(ids.alice, wrong.id, wrong.signed))).code).toBe("CHALLENGE_WRONG_SIGNER");
      const right = await signedChallenge(alicesCertificate);
      const response = await answer(ids.alice, right.id, right.signed);
      expect(response.status, await response.clone().text()).toBe(200);
      expect(await proofOf(registrationId)).toBe("CHALLENGE");
    }, 180_000);
  });
});
