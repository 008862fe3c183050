// Packages signed in-process by a test PKI: the gallery's own trust roots decide whether a
// signature is valid, a certificate registered as a file lets its owner publish, the author
// signature must carry one valid timestamp, and each version's proven signing time is the
// timestamp, else when the gallery received the file (never the signing time the signer wrote).

import * as asn1js from "asn1js";
import { beforeAll, describe, expect, it } from "vitest";
import { registerCertificateFile } from "@/lib/certificates/registry";
import { loadPackagePage } from "@/lib/packages/package-page";
import { OID } from "@/lib/signing/oids";
import type { TimestampAuthority } from "@/lib/timestamping";
import { approveAttempt, submitPackage } from "@/lib/uploads";
import { testDialects } from "@/test/db/scratch";
import {
  addUnsignedAttribute,
  attribute,
  createTestPki,
  signedPackage,
  trustOf,
  type SignerSpec,
  type TestPki,
} from "@/test/support/signing";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import {
  createRootAuthority,
  EXTENDED_KEY_USAGE,
  generateRsaKey,
  issueCertificate,
  timestampSignerFor,
} from "@/test/support/pki";
import { timestampTokenFor } from "@/test/support/resign";
import { useUploadHarness } from "./harness";
import { fullUtc } from "@/lib/validation/rules/wording";
import { services } from "@/lib/services";

const BACKDATED = new Date("2001-01-01T00:00:00Z");

/** The signed attributes with the signing-time attribute claiming `claimed`. */
function claimingSigningTime(claimed: Date): NonNullable<SignerSpec["editAttributes"]> {
  return (attributes) =>
    attributes.map((candidate) =>
      candidate.type === OID.signingTime
        ? attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: claimed }))
        : candidate,
    );
}

let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
});

describe.each(testDialects())("uploads signed by a test PKI on %s", (dialect) => {
  const harness = useUploadHarness(dialect);

  async function signed(version: string): Promise<Uint8Array> {
    return signedPackage(
      { primary: { signer: pki.author, kind: "author", authority: pki.authority } },
      buildUnsignedPackage({ id: "Signet.Engine.Tests", version }),
    );
  }

  it("publishes a package signed with the owner's registered certificate when the gallery trusts its roots", async () => {
    const owner = await harness.createUser("owner");
    const registration = await registerCertificateFile(
      harness.db(),
      owner,
      pki.author.der,
      services.getTrustStore().codeSigningRoots,
    );
    expect(registration.registered).toBe(true);
    const outcome = await submitPackage(harness.db(), harness.storage(), await harness.stage(await signed("1.0.0")), {
      ...services.judging(),
      uploaderId: owner,
      source: "API",
      trust: trustOf(pki),
    });
    expect(outcome).toMatchObject({ status: "accepted", packageVersion: { packageId: "Signet.Engine.Tests" } });
    const version = await harness.db().packageVersion.findFirstOrThrow({
      where: { registration: { packageIdLower: "signet.engine.tests" } },
      include: { signerCertificate: true },
    });
    expect(version.signatureStatus).toBe("VALID");
    expect(version.signerCertificate?.subject).toContain("CN=Signet Test Author");
  });

  it("refuses the same signature where the gallery does not trust the test root", async () => {
    const owner = await harness.db().user.findUniqueOrThrow({ where: { username: "owner" } });
    // The default trust store (the .NET SDK's roots) knows nothing of the test PKI: neither the
    // signer's chain (NU3018) nor the timestamp authority's (NU3028) is trusted, so the author
    // signature also lacks the valid timestamp the gallery requires.
    const outcome = await submitPackage(harness.db(), harness.storage(), await harness.stage(await signed("2.0.0")), {
      ...services.judging(),
      uploaderId: owner.id,
      source: "API",
    });
    expect(outcome.status).toBe("rejected");
    expect(
      outcome.issues
        .filter((issue) => issue.level === "error")
        .map((issue) => issue.code)
        .sort(),
    ).toEqual(["AUTHOR_TIMESTAMP_INVALID", "NU3018", "NU3028"]);
  });

  it("refuses a package whose author signature carries a countersignature with the author commitment type, as nuget.org does, also beside another repository's countersignature", async () => {
    const owner = await harness.db().user.findUniqueOrThrow({ where: { username: "owner" } });
    const countersigned = (version: string, countersigners: SignerSpec[]) =>
      signedPackage(
        { primary: { signer: pki.author, kind: "author", authority: pki.authority }, countersigners },
        buildUnsignedPackage({ id: "Signet.Engine.Tests", version }),
      );
    const authorCountersigner: SignerSpec = { signer: pki.author, kind: "author", authority: pki.authority };
    const foreignRepository: SignerSpec = { signer: pki.repository, kind: "repository", authority: pki.authority };
    for (const [version, countersigners] of [
      ["3.0.0", [authorCountersigner]],
      ["3.1.0", [foreignRepository, authorCountersigner]],
    ] as const) {
      const outcome = await submitPackage(
        harness.db(),
        harness.storage(),
        await harness.stage(await countersigned(version, [...countersigners])),
        { ...services.judging(), uploaderId: owner.id, source: "API", trust: trustOf(pki) },
      );
      expect(outcome.status, version).toBe("rejected");
      expect(
        outcome.issues.filter((issue) => issue.level === "error").map((issue) => issue.code),
        version,
      ).toEqual(["AUTHOR_COUNTERSIGNATURE"]);
    }
    // The same author signature without it is published.
    expect(
      (
        await submitPackage(harness.db(), harness.storage(), await harness.stage(await countersigned("3.2.0", [])), {
          ...services.judging(),
          uploaderId: owner.id,
          source: "API",
          trust: trustOf(pki),
        })
      ).status,
    ).toBe("accepted");
  });

  describe("the author timestamp the gallery requires, and the proven signing time", () => {
    const errorCodes = (issues: { code: string; level: string }[]) =>
      issues.filter((issue) => issue.level === "error").map((issue) => issue.code);
    let signer = "";
    const push = async (bytes: Uint8Array, now?: Date) =>
      submitPackage(harness.db(), harness.storage(), await harness.stage(bytes), {
        ...services.judging(),
        uploaderId: signer,
        source: "API",
        trust: trustOf(pki),
        ...(now ? { now } : {}),
      });
    const untimestamped = (version: string) =>
      signedPackage(
        {
          primary: {
            signer: pki.author,
            kind: "author",
            authority: null,
            editAttributes: claimingSigningTime(BACKDATED),
          },
        },
        buildUnsignedPackage({ id: "Proven.Time", version }),
      );
    const timestamped = (version: string) =>
      signedPackage(
        {
          primary: {
            signer: pki.author,
            kind: "author",
            authority: pki.authority,
            editAttributes: claimingSigningTime(BACKDATED),
          },
        },
        buildUnsignedPackage({ id: "Proven.Time", version }),
      );
    const versionRow = (version: string) =>
      harness.db().packageVersion.findFirstOrThrow({
        where: { registration: { packageIdLower: "proven.time" }, version },
        select: { provenSigningTime: true, provenSigningTimeSource: true, signatureReport: true },
      });
    const markCompromised = (compromisedAt: Date | null) =>
      harness.db().certificate.updateMany({
        where: { der: { not: null } },
        data: { compromisedAt, compromisedReason: compromisedAt ? "key stolen" : null },
      });

    beforeAll(async () => {
      signer = await harness.createUser("signer");
      await registerCertificateFile(harness.db(), signer, pki.author.der, services.getTrustStore().codeSigningRoots);
    });

    it("refuses a second account's registration of a key the gallery has already seen until it proves possession", async () => {
      // The owner above pushed with this key, so pushing a package signed with it proves nothing now.
      const outcome = await push(await timestamped("0.9.0"));
      expect(errorCodes(outcome.issues)).toEqual(["SIGNER_NOT_PROVEN"]);
      // The account then answers a challenge (test/api/possession.test.ts covers how).
      await harness.db().registeredCertificate.updateMany({
        where: { userId: signer },
        data: { provenBy: "CHALLENGE", provenAt: new Date() },
      });
    });

    it("publishes a timestamped package with its timestamp as the proven signing time, not the backdated claim", async () => {
      const outcome = await push(await timestamped("1.0.0"));
      expect(outcome.status).toBe("accepted");
      const row = await versionRow("1.0.0");
      const token = JSON.parse(row.signatureReport ?? "null").author.timestamps[0].time as string;
      expect(row).toMatchObject({ provenSigningTime: new Date(token), provenSigningTimeSource: "TIMESTAMP" });
      expect(Math.abs(row.provenSigningTime.getTime() - Date.now())).toBeLessThan(10 * 60_000);
    });

    it("refuses an untimestamped author signature, which the client itself only warns about (NU3027)", async () => {
      const outcome = await push(await untimestamped("2.0.0"));
      expect(errorCodes(outcome.issues)).toEqual(["AUTHOR_TIMESTAMP_MISSING"]);
      expect(outcome.issues.map((issue) => issue.code)).toContain("NU3027");
    });

    it("refuses an author signature with two timestamps", async () => {
      const twice = await signedPackage(
        {
          primary: {
            signer: pki.author,
            kind: "author",
            authority: pki.authority,
            editSignerInfo: async (signerInfo) => {
              const token = await timestampTokenFor(
                pki.authority,
                new Uint8Array(signerInfo.signature.valueBlock.valueHexView),
              );
              addUnsignedAttribute(signerInfo, attribute(OID.timestampToken, token.toSchema()));
            },
          },
        },
        buildUnsignedPackage({ id: "Proven.Time", version: "2.1.0" }),
      );
      expect(errorCodes((await push(twice)).issues)).toEqual(["AUTHOR_TIMESTAMP_MULTIPLE"]);
    });

    it("refuses a push proven signed at or after the compromise: the receipt for an untimestamped one, whatever it claims", async () => {
      const receivedAt = new Date();
      await markCompromised(new Date(receivedAt.getTime() - 60_000));
      const backdated = await push(await untimestamped("3.0.0"), receivedAt);
      expect(errorCodes(backdated.issues)).toEqual(["AUTHOR_TIMESTAMP_MISSING", "CERTIFICATE_COMPROMISED"]);
      expect(backdated.issues.find((issue) => issue.code === "CERTIFICATE_COMPROMISED")?.message).toContain(
        `proven signed at ${fullUtc(receivedAt)} by its arrival here`,
      );
      expect(errorCodes((await push(await timestamped("3.1.0"), receivedAt)).issues)).toEqual([
        "CERTIFICATE_COMPROMISED",
      ]);
      await markCompromised(new Date(receivedAt.getTime() + 60 * 60_000));
      expect(errorCodes((await push(await untimestamped("3.2.0"), receivedAt)).issues)).toEqual([
        "AUTHOR_TIMESTAMP_MISSING",
      ]);
      expect((await push(await timestamped("3.3.0"), receivedAt)).status).toBe("accepted");
      await markCompromised(null);
    });

    it("publishes an approved untimestamped package with the time it arrived, not the approval's nor the claim's; a later compromise mark before that time flags it", async () => {
      const refused = await push(await untimestamped("4.0.0"));
      expect(refused.status).toBe("rejected");
      const attempt = await harness
        .db()
        .uploadAttempt.findUniqueOrThrow({ where: { id: refused.attemptId }, select: { createdAt: true } });
      const admin = await harness.createUser("approver", "ADMIN");
      const approvedAt = new Date(attempt.createdAt.getTime() + 5 * 60_000);
      const approved = await approveAttempt(harness.db(), harness.storage(), refused.attemptId, {
        ...services.judging(),
        reviewerId: admin,
        reason: "timestamp server was down",
        now: approvedAt,
        trust: trustOf(pki),
      });
      expect(approved.status).toBe("accepted");
      expect(await versionRow("4.0.0")).toMatchObject({
        provenSigningTime: attempt.createdAt,
        provenSigningTimeSource: "RECEIVED",
      });

      await markCompromised(new Date(attempt.createdAt.getTime() + 1));
      expect((await loadPackagePage(harness.db(), "Proven.Time", "4.0.0"))?.signing.kind).toBe("signed");
      await markCompromised(attempt.createdAt);
      expect((await loadPackagePage(harness.db(), "Proven.Time", "4.0.0"))?.signing.kind).toBe("compromised");
      // The timestamped 1.0.0 was proven signed before the mark and stays trusted.
      expect((await loadPackagePage(harness.db(), "Proven.Time", "1.0.0"))?.signing.kind).toBe("signed");
      await markCompromised(null);
    });

    it("proves the time by the first timestamp alone, as NuGet judges it: an untrusted first timestamp leaves the receipt, however valid the second", async () => {
      const untrustedRoot = await createRootAuthority("Signet Untrusted Timestamping Root", await generateRsaKey());
      const untrustedTsa = await issueCertificate({
        commonName: "Signet Untrusted TSA",
        key: await generateRsaKey(),
        issuer: untrustedRoot,
        extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
      });
      const untrusted: TimestampAuthority = {
        signer: await timestampSignerFor(untrustedTsa),
        policy: pki.authority.policy,
      };
      const stampedBy = (version: string, authorities: TimestampAuthority[]) =>
        signedPackage(
          {
            primary: {
              signer: pki.author,
              kind: "author",
              authority: null,
              editSignerInfo: async (signerInfo) => {
                const signature = new Uint8Array(signerInfo.signature.valueBlock.valueHexView);
                for (const authority of authorities)
                  addUnsignedAttribute(
                    signerInfo,
                    attribute(OID.timestampToken, (await timestampTokenFor(authority, signature)).toSchema()),
                  );
              },
            },
          },
          buildUnsignedPackage({ id: "Proven.Time", version }),
        );
      // Received an hour after both tokens were made, and compromised in between.
      const receivedAt = new Date(Date.now() + 60 * 60_000);
      await markCompromised(new Date(Date.now() + 30 * 60_000));
      const untrustedFirst = await push(await stampedBy("5.0.0", [untrusted, pki.authority]), receivedAt);
      expect(errorCodes(untrustedFirst.issues)).toEqual([
        "NU3028",
        "AUTHOR_TIMESTAMP_MULTIPLE",
        "CERTIFICATE_COMPROMISED",
      ]);
      expect(untrustedFirst.issues.find((issue) => issue.code === "CERTIFICATE_COMPROMISED")?.message).toContain(
        `proven signed at ${fullUtc(receivedAt)} by its arrival here`,
      );
      const trustedFirst = await push(await stampedBy("5.1.0", [pki.authority, untrusted]), receivedAt);
      expect(errorCodes(trustedFirst.issues)).toEqual(["AUTHOR_TIMESTAMP_MULTIPLE"]);
      await markCompromised(null);

      // Published on review, the version keeps the receipt as its proven time, not the second token's
      // (judged on the file as uploaded: the gallery's countersigning re-encodes the author's
      // unsigned attributes in DER order, as .NET does, which may put the tokens in another order).
      const admin = await harness.createUser("second-token-approver", "ADMIN");
      const attempt = await harness
        .db()
        .uploadAttempt.findUniqueOrThrow({ where: { id: untrustedFirst.attemptId }, select: { createdAt: true } });
      const approved = await approveAttempt(harness.db(), harness.storage(), untrustedFirst.attemptId, {
        ...services.judging(),
        reviewerId: admin,
        reason: "reviewed",
        now: receivedAt,
        trust: trustOf(pki),
      });
      expect(approved.status).toBe("accepted");
      const row = await versionRow("5.0.0");
      expect(row).toMatchObject({ provenSigningTime: attempt.createdAt, provenSigningTimeSource: "RECEIVED" });
    });
  });
});
