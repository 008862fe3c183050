// Signer identities in the browser (issue 17): an account registers a Trusted Signing identity
// (issuing CA fingerprint + subscriber identity EKU) on the Certificates page; packages signed by
// two successive short-lived certificates of it (an issuing CA under the e2e root, the marker EKU
// 1.3.6.1.4.1.311.97.1.0 and the identity EKU) are accepted; the first push proves the identity,
// both concrete certificates are listed under it, and the version page names the identity and
// shows the concrete certificate that signed it.
import { createHash, randomInt } from "node:crypto";
import { expect, test } from "@playwright/test";
import { displayFingerprint } from "@/lib/certificates/fingerprint";
import { EXTENDED_KEY_USAGE, generateRsaKey, issueCertificate, type TestCertificate } from "@/test/support/pki";
import { newAccount, signUp, snapshot } from "./helpers";
import { createPushKey, publishPackageFile } from "./support/gallery";
import { issueIssuingAuthority, signPackageInProcess, writePackage } from "./support/pki";

const HOUR = 3_600_000;
const MARKER_EKU = "1.3.6.1.4.1.311.97.1.0";

const sha256Hex = (der: Uint8Array) => createHash("sha256").update(der).digest("hex");

/** A 3-day certificate as Trusted Signing issues them: the same subject, the marker and the identity EKU. */
function shortLived(issuer: TestCertificate, identityEku: string, notBefore: Date): Promise<TestCertificate> {
  return generateRsaKey().then((key) =>
    issueCertificate({
      commonName: "E2E Contoso Ltd",
      key,
      issuer,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning, MARKER_EKU, identityEku],
      notBefore,
      notAfter: new Date(notBefore.getTime() + 72 * HOUR),
    }),
  );
}

test("register a Trusted Signing identity, publish with two of its short-lived certificates, see both under it and the identity on the version page", async ({
  page,
}) => {
  const account = newAccount();
  await signUp(page, account);
  const identityEku = `1.3.6.1.4.1.311.97.${randomInt(1, 2 ** 31)}.${randomInt(1, 2 ** 31)}.${randomInt(1, 2 ** 31)}.${randomInt(1, 2 ** 31)}`;
  const issuingCa = await issueIssuingAuthority("E2E ID Verified CS AOC CA 01");
  const certificates = [
    await shortLived(issuingCa, identityEku, new Date(Date.now() - 48 * HOUR)),
    await shortLived(issuingCa, identityEku, new Date(Date.now() - HOUR)),
  ];
  const packageId = `E2e.ShortLived.${account.username.replace(/-/g, "")}`;

  await page.goto("/account/certificates");
  const form = page.getByRole("form", { name: "Register a signer identity" });
  await form.getByLabel("Issuing CA fingerprint").fill(sha256Hex(issuingCa.der));
  await form.getByRole("textbox", { name: "Identity EKU" }).fill(identityEku);
  await form.getByRole("button", { name: "Register identity" }).click();
  const identity = page.getByRole("listitem", {
    name: `Trusted Signing identity ${identityEku} under CA ${sha256Hex(issuingCa.der).slice(0, 16).toUpperCase()}…`,
  });
  await expect(identity.locator("[data-identity-status]")).toHaveText("Awaiting proof of possession");
  await expect(identity).toContainText("No version signed under this identity yet.");

  const key = await createPushKey(page.request);
  for (const [index, certificate] of certificates.entries()) {
    await publishPackageFile(
      page.request,
      key,
      await signPackageInProcess(await writePackage({ id: packageId, version: `1.0.${index}` }), certificate),
    );
  }

  await page.reload();
  await expect(identity.locator("[data-identity-status]")).toHaveText("Active");
  await expect(identity.locator("[data-proof]")).toHaveText(/Proven by the first push signed with it/);
  const seen = identity.getByRole("table", { name: "Certificates seen under this identity" });
  for (const certificate of certificates)
    await expect(seen).toContainText(displayFingerprint(sha256Hex(certificate.der)));
  await expect(seen.getByRole("row")).toHaveCount(3);
  await snapshot(page, "signer-identity-certificates");

  await page.goto(`/packages/${packageId}/1.0.1`);
  await expect(page.locator("[data-signer-proof]")).toContainText(
    `signer identity Trusted Signing identity ${identityEku}`,
  );
  await expect(page.locator('[data-signature="author"] #author-fingerprint')).toHaveText(
    displayFingerprint(sha256Hex((certificates[1] as TestCertificate).der)),
  );
  await snapshot(page, "signer-identity-package");
});
