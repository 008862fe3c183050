// Durable signer identities for short-lived certificates (issue 17, part 2). A test CA shaped like
// Azure Trusted Signing's (root → issuing CA → 3-day leaves carrying the marker EKU
// 1.3.6.1.4.1.311.97.1.0 and a subscriber identity EKU under 1.3.6.1.4.1.311.97) issues three
// successive certificates of one identity, each signing a package timestamped while it was valid.
// The account registers the identity once (issuing CA fingerprint + identity EKU); all three
// pushes are accepted, each concrete certificate is recorded under the identity, and the package
// page names the identity and the concrete certificate. A certificate from the same CA with
// another identity EKU is refused, as is one of the same identity under another CA.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { listSignerIdentities, registerSignerIdentity } from "@/lib/identity/identity-registry";
import { loadPackagePage } from "@/lib/packages/package-page";
import type { TimestampAuthority } from "@/lib/timestamping";
import { submitPackage } from "@/lib/uploads";
import { testDialects } from "@/test/db/scratch";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import {
  EXTENDED_KEY_USAGE,
  generateRsaKey,
  issueCertificate,
  timestampSignerFor,
  type TestCertificate,
} from "@/test/support/pki";
import { signedPackage } from "@/test/support/signing";
import { useUploadHarness } from "./harness";
import { services } from "@/lib/services";

const DAY = 24 * 3_600_000;
const MARKER_EKU = "1.3.6.1.4.1.311.97.1.0";
const IDENTITY_EKU = "1.3.6.1.4.1.311.97.990309390.766961637.194916062.941502583";
const OTHER_IDENTITY_EKU = "1.3.6.1.4.1.311.97.661420558.769123285.207353056.500447802";
const PACKAGE_ID = "Contoso.ShortLived";

const sha256Hex = (der: Uint8Array) => createHash("sha256").update(der).digest("hex");

interface ShortLivedPki {
  root: TestCertificate;
  issuingCa: TestCertificate;
  otherCa: TestCertificate;
  tsaRoot: TestCertificate;
  tsa: TestCertificate;
}

async function createShortLivedPki(): Promise<ShortLivedPki> {
  const longAgo = new Date(Date.now() - 60 * DAY);
  const later = new Date(Date.now() + 365 * DAY);
  const root = await issueCertificate({
    commonName: "Test Identity Verification Root",
    key: await generateRsaKey(),
    certificateAuthority: true,
    notBefore: longAgo,
    notAfter: later,
  });
  const ca = (commonName: string) =>
    generateRsaKey().then((key) =>
      issueCertificate({
        commonName,
        key,
        issuer: root,
        certificateAuthority: true,
        notBefore: longAgo,
        notAfter: later,
      }),
    );
  // Valid long before the timestamps, which lie up to 8 days back.
  const tsaRoot = await issueCertificate({
    commonName: "Test Short-Lived TSA Root",
    key: await generateRsaKey(),
    certificateAuthority: true,
    notBefore: longAgo,
    notAfter: later,
  });
  return {
    root,
    issuingCa: await ca("Test ID Verified CS AOC CA 01"),
    otherCa: await ca("Test ID Verified CS EOC CA 02"),
    tsaRoot,
    tsa: await issueCertificate({
      commonName: "Test Short-Lived TSA",
      key: await generateRsaKey(),
      issuer: tsaRoot,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
      notBefore: longAgo,
      notAfter: later,
    }),
  };
}

/** A 3-day certificate as Trusted Signing issues them: same subject, the marker and the identity EKU. */
async function shortLivedCertificate(
  issuer: TestCertificate,
  identityEku: string,
  notBefore: Date,
  commonName = "Contoso Ltd",
): Promise<TestCertificate> {
  return issueCertificate({
    commonName,
    key: await generateRsaKey(),
    issuer,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning, MARKER_EKU, identityEku],
    notBefore,
    notAfter: new Date(notBefore.getTime() + 3 * DAY),
  });
}

describe.each(testDialects())("signer identities for short-lived certificates on %s", (dialect) => {
  const harness = useUploadHarness(dialect);
  let pki: ShortLivedPki;
  let owner = "";
  const trust = () => ({ codeSigningRoots: [pki.root.der], timestampingRoots: [pki.tsaRoot.der] });

  /** The package signed with `signer`, timestamped by an authority whose clock says `at`. */
  async function signedAt(signer: TestCertificate, version: string, at: Date, id = PACKAGE_ID): Promise<Uint8Array> {
    const authority: TimestampAuthority = {
      signer: await timestampSignerFor(pki.tsa),
      policy: "1.3.6.1.4.1.55555.1.1",
      clock: () => at,
    };
    return signedPackage({ primary: { signer, kind: "author", authority } }, buildUnsignedPackage({ id, version }));
  }

  const push = async (bytes: Uint8Array, uploaderId = owner) =>
    submitPackage(harness.db(), harness.storage(), await harness.stage(bytes), {
      ...services.judging(),
      uploaderId,
      source: "API",
      trust: trust(),
    });
  const errorCodes = (issues: { code: string; level: string }[]) =>
    issues.filter((issue) => issue.level === "error").map((issue) => issue.code);

  beforeAll(async () => {
    pki = await createShortLivedPki();
    owner = await harness.createUser("contoso");
  }, 120_000);

  it("accepts three successive 3-day certificates of one identity registered once, records each, and refuses another identity of the same CA", async () => {
    const identity = await registerSignerIdentity(harness.db(), owner, {
      kind: "TRUSTED_SIGNING_EKU",
      caFingerprint: sha256Hex(pki.issuingCa.der),
      identityOid: IDENTITY_EKU,
    });
    expect(identity).toMatchObject({ provenBy: null, certificates: [] });

    // Days -8..-5, -5..-2 and -2..+1: the first two have expired by now; their timestamps vouch for them.
    const starts = [-8, -5, -2].map((days) => new Date(Date.now() + days * DAY));
    const certificates = await Promise.all(
      starts.map((start) => shortLivedCertificate(pki.issuingCa, IDENTITY_EKU, start)),
    );
    for (const [index, certificate] of certificates.entries()) {
      const at = new Date((starts[index] as Date).getTime() + DAY);
      const outcome = await push(await signedAt(certificate, `1.0.${index}`, at));
      expect(outcome.status, JSON.stringify(outcome.issues)).toBe("accepted");
    }

    const [listed] = await listSignerIdentities(harness.db(), owner);
    // The first push proved the identity (no certificate of it had been seen); the others rode on that.
    expect(listed?.provenBy).toBe("FIRST_PUSH");
    expect(listed?.certificates.map((certificate) => certificate.sha256Fingerprint).sort()).toEqual(
      certificates.map((certificate) => sha256Hex(certificate.der)).sort(),
    );
    expect(listed?.certificates.every((certificate) => certificate.subject === "CN=Contoso Ltd")).toBe(true);

    const page = await loadPackagePage(harness.db(), PACKAGE_ID, "1.0.2");
    expect(page?.signerProof).toMatchObject({
      by: "uploader",
      identityLabel: `Trusted Signing identity ${IDENTITY_EKU} under CA ${sha256Hex(pki.issuingCa.der).slice(0, 16).toUpperCase()}…`,
    });
    expect(page?.signerProof?.sentence).toContain(`signer identity Trusted Signing identity ${IDENTITY_EKU}`);
    expect(page?.signer?.author?.signer?.sha256Fingerprint).toBe(sha256Hex((certificates[2] as TestCertificate).der));

    const otherIdentity = await shortLivedCertificate(pki.issuingCa, OTHER_IDENTITY_EKU, new Date(Date.now() - DAY));
    const refused = await push(await signedAt(otherIdentity, "1.1.0", new Date()));
    expect(errorCodes(refused.issues)).toEqual(["SIGNER_NOT_REGISTERED"]);

    const sameIdentityOtherCa = await shortLivedCertificate(pki.otherCa, IDENTITY_EKU, new Date(Date.now() - DAY));
    expect(errorCodes((await push(await signedAt(sameIdentityOtherCa, "1.2.0", new Date()))).issues)).toEqual([
      "SIGNER_NOT_REGISTERED",
    ]);
  }, 180_000);

  it("matches an issuer-and-subject identity on the pinned subject field, and refuses a certificate of the same CA whose subject differs", async () => {
    const fabrikam = await harness.createUser("fabrikam");
    await registerSignerIdentity(harness.db(), fabrikam, {
      kind: "ISSUER_SUBJECT",
      caFingerprint: sha256Hex(pki.issuingCa.der),
      subjectFields: [{ type: "cn", value: "Fabrikam Signing" }],
    });
    const yesterday = new Date(Date.now() - DAY);
    const pushSigned = async (commonName: string, version: string) =>
      push(
        await signedAt(
          await shortLivedCertificate(pki.issuingCa, IDENTITY_EKU, yesterday, commonName),
          version,
          new Date(),
          "Fabrikam.Tools",
        ),
        fabrikam,
      );
    for (const version of ["1.0.0", "1.1.0"]) {
      const outcome = await pushSigned("Fabrikam Signing", version);
      expect(outcome.status, JSON.stringify(outcome.issues)).toBe("accepted");
    }
    expect((await listSignerIdentities(harness.db(), fabrikam))[0]?.certificates).toHaveLength(2);
    expect(errorCodes((await pushSigned("Fabrikam Signing Ltd", "1.2.0")).issues)).toEqual(["SIGNER_NOT_REGISTERED"]);
  }, 120_000);
});
