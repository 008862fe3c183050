// The forged chains of issue 11 through the browser: a "CN=Microsoft Corporation" signer
// issued by an ordinary code-signing certificate from the e2e root, and a timestamp from a
// TSA certificate issued by the e2e TSA's certificate. The uploader registers the forged
// certificate first, so only the chain rules can stop it. The preview must refuse with
// NuGet's code and never show the signature, or the signer, as valid.
import { expect, test, type Page } from "@playwright/test";
import { snapshot } from "./helpers";
import { registerCertificate } from "./support/gallery";
import { issueForgedIdentity, issueGenuineCertificate, signPackageInProcess, writePackage } from "./support/pki";
import {
  blockingProblems,
  choosePackage,
  expectPreview,
  issueWithCode,
  openUploadPage,
  uniquePackageId,
} from "./upload-steps";

async function expectRefusedAsInvalid(page: Page, code: string, reason: RegExp): Promise<void> {
  await expect(page.locator("[data-signature-status]")).toHaveText("Invalid signature");
  await expect(issueWithCode(page, "Blocking problems", code).first()).toContainText(reason);
  await expect(blockingProblems(page).locator("[data-issue-level=error]").first()).toHaveAttribute(
    "data-issue-code",
    code,
  );
  // Refused at once and kept for an administrator: there is no Submit to press.
  await expect(page.getByRole("alert", { name: "The package was refused" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Submit" })).toHaveCount(0);
}

test("a 'Microsoft Corporation' signer issued by an ordinary code-signing certificate is refused (NU3012) and never shown as valid", async ({
  page,
}) => {
  const packageId = uniquePackageId("E2E.Forged");
  const forged = await issueForgedIdentity("Microsoft Corporation");
  await openUploadPage(page);
  await registerCertificate(page.request, forged);
  await choosePackage(
    page,
    await signPackageInProcess(await writePackage({ id: packageId, version: "1.0.0" }), forged.certificate),
  );

  await expectPreview(page, packageId, "1.0.0");
  await expect(page.locator('[data-field="author-subject"]')).toHaveText("CN=Microsoft Corporation");
  const author = page.getByRole("region", { name: "Author signature" });
  await expect(author.getByRole("heading")).toContainText("not valid");
  await expect(author).toContainText("Not trusted: InvalidBasicConstraints");
  await expectRefusedAsInvalid(
    page,
    "NU3012",
    /InvalidBasicConstraints: the certificate 'CN=E2E Ordinary Signer [0-9a-f]+' issued 'CN=Microsoft Corporation' but is not a certification authority/,
  );
  await snapshot(page, "upload-refused-forged-chain");
});

test("a timestamp from a TSA certificate issued by the TSA's own certificate is refused (NU3028)", async ({ page }) => {
  const packageId = uniquePackageId("E2E.ForgedTimestamp");
  const genuine = await issueGenuineCertificate("E2E Genuine Author");
  await openUploadPage(page);
  await registerCertificate(page.request, genuine);
  await choosePackage(
    page,
    await signPackageInProcess(await writePackage({ id: packageId, version: "1.0.0" }), genuine.certificate, {
      forgedTimestamp: true,
    }),
  );

  await expectPreview(page, packageId, "1.0.0");
  await expect(page.locator('[data-field="author-timestamp"]')).toHaveText(
    /by CN=Microsoft Time-Stamp Service \(not valid\)$/,
  );
  await expectRefusedAsInvalid(
    page,
    "NU3028",
    /InvalidBasicConstraints: the certificate 'CN=Signet E2E Timestamp Authority' issued 'CN=Microsoft Time-Stamp Service'/,
  );
});
