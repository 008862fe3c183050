// Issue 5 through the browser: the upload page's preview and verdict for each signing and
// reservation scenario, the progress bar, and bad files. Packages are built per test; signed
// ones are signed by the real `dotnet nuget sign` with certificates from the e2e root.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { displayFingerprint } from "@/lib/certificates/fingerprint";
import { DEMO_ACCOUNTS } from "@/scripts/db/demo-accounts";
import { snapshot } from "./helpers";
import { registerCertificate, reserveIds } from "./support/gallery";
import { skipWithoutDotnet, issueSigningIdentity, signPackage, writePackage } from "./support/pki";
import {
  blockingProblems,
  choosePackage,
  dropPackage,
  expectPreview,
  issueWithCode,
  openUploadPage,
  uniquePackageId,
  uploadForPreview,
} from "./upload-steps";
import { sameOriginHeaders } from "./support/environment";

test("signed out, the upload page sends people to sign in", async ({ page }) => {
  await page.goto("/upload");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fupload$/);
});

test("an unsigned package is accepted while its owner has registered no certificate", async ({ page }) => {
  const packageId = uniquePackageId("E2E.Unsigned");
  await openUploadPage(page);
  await choosePackage(page, await writePackage({ id: packageId, version: "1.0.0" }));

  await expectPreview(page, packageId, "1.0.0");
  await expect(page.locator('[data-field="authors"]')).toHaveText("Signet Tests");
  await expect(page.locator('[data-field="description"]')).toHaveText("A package built by the Signet test suite.");
  await expect(page.locator("[data-signature-status]")).toHaveText("Not signed");
  await expect(page.getByRole("heading", { name: "Ready to publish" })).toBeVisible();
  await snapshot(page, "upload-preview-unsigned");
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await snapshot(page, "upload-preview-phone");

  await page.getByRole("button", { name: "Submit" }).click();
  const verdict = page.getByRole("status", { name: "Upload accepted" });
  await expect(verdict.getByRole("heading")).toHaveText(`${packageId} 1.0.0 is published`);
  await expect(verdict.getByRole("link", { name: "View the package page" })).toHaveAttribute(
    "href",
    `/packages/${packageId}/1.0.0`,
  );
  await snapshot(page, "upload-accepted");
});

test("once a certificate is registered, unsigned packages are refused with the reason (at submit, then already in the preview)", async ({
  page,
}) => {
  const packageId = uniquePackageId("E2E.MustSign");
  const identity = await issueSigningIdentity("E2E Registered Signer");
  await openUploadPage(page);
  await choosePackage(page, await writePackage({ id: packageId, version: "1.0.0" }));
  await expectPreview(page, packageId, "1.0.0");
  await expect(page.getByRole("heading", { name: "Ready to publish" })).toBeVisible();

  // Registered between preview and submit: the server judges the package again at submit.
  await registerCertificate(page.request, identity);
  await page.getByRole("button", { name: "Submit" }).click();
  const verdict = page.getByRole("alert", { name: "The package was refused" });
  await expect(verdict.locator('[data-issue-code="PACKAGE_NOT_SIGNED"]')).toContainText(
    "This package must be signed with a certificate registered to",
  );
  await expect(verdict.getByRole("link", { name: "My uploads" })).toHaveAttribute("href", "/account/uploads");
  await snapshot(page, "upload-refused-unsigned");

  await verdict.getByRole("button", { name: "Upload another package" }).click();
  await choosePackage(page, await writePackage({ id: packageId, version: "1.0.1" }));
  await expectPreview(page, packageId, "1.0.1");
  await expect(issueWithCode(page, "Blocking problems", "PACKAGE_NOT_SIGNED")).toBeVisible();
  await expect(page.getByRole("button", { name: "Submit" })).toHaveCount(0);
});

test.describe("signed packages", () => {
  skipWithoutDotnet();

  test("signed with the uploader's registered certificate: accepted, with the signer shown", async ({ page }) => {
    const packageId = uniquePackageId("E2E.Signed");
    const identity = await issueSigningIdentity(`E2E Author ${randomBytes(3).toString("hex")}`);
    await openUploadPage(page);
    await registerCertificate(page.request, identity);
    await choosePackage(page, await signPackage(await writePackage({ id: packageId, version: "2.0.0" }), identity));

    await expectPreview(page, packageId, "2.0.0");
    await expect(page.locator("[data-signature-status]")).toHaveText("Valid signature");
    await expect(page.locator('[data-field="author-subject"]')).toHaveText(`CN=${identity.commonName}`);
    await expect(page.locator('[data-field="author-fingerprint"]')).toHaveText(
      displayFingerprint(identity.sha256Fingerprint),
    );
    await expect(page.locator('[data-field="author-timestamp"]')).toContainText("CN=Signet E2E Timestamp Authority");
    await expect(page.getByRole("heading", { name: "Ready to publish" })).toBeVisible();
    await snapshot(page, "upload-preview-signed");

    await page.getByRole("button", { name: "Submit" }).click();
    await expect(page.getByRole("status", { name: "Upload accepted" }).getByRole("heading")).toHaveText(
      `${packageId} 2.0.0 is published`,
    );
  });

  test("signed with a certificate nobody registered: refused, naming the certificate", async ({ page }) => {
    const packageId = uniquePackageId("E2E.OtherSigner");
    const registered = await issueSigningIdentity("E2E Registered");
    const other = await issueSigningIdentity("E2E Somebody Else");
    await openUploadPage(page);
    await registerCertificate(page.request, registered);
    await choosePackage(page, await signPackage(await writePackage({ id: packageId, version: "1.0.0" }), other));

    await expectPreview(page, packageId, "1.0.0");
    await expect(page.locator('[data-field="author-fingerprint"]')).toHaveText(
      displayFingerprint(other.sha256Fingerprint),
    );
    const reason = issueWithCode(page, "Blocking problems", "SIGNER_NOT_REGISTERED");
    await expect(reason).toContainText(other.sha256Fingerprint.toLowerCase());
    await expect(reason).toContainText("is not registered to any owner of the package");
    // Refused at once (kept for an administrator), each reason listed once, no Submit to press.
    await expect(page.getByRole("alert", { name: "The package was refused" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Submit" })).toHaveCount(0);
    await expect(page.locator('[data-issue-code="SIGNER_NOT_REGISTERED"]')).toHaveCount(1);
    await snapshot(page, "upload-refused-other-signer");
    await page.setViewportSize({ width: 390, height: 844 });
    await snapshot(page, "upload-refused-other-signer-phone");
    await page.setViewportSize({ width: 1280, height: 720 });

    // One click registers the signer's certificate; the same package then publishes.
    await reason.getByRole("button", { name: "Register this certificate" }).click();
    await expect(reason.getByRole("status")).toContainText("Registered on your account.");
    await page.getByRole("button", { name: "Upload another package" }).first().click();
    await choosePackage(page, await signPackage(await writePackage({ id: packageId, version: "1.0.0" }), other));
    await expectPreview(page, packageId, "1.0.0");
    await page.getByRole("button", { name: "Submit" }).click();
    await expect(page.getByRole("status", { name: "Upload accepted" }).getByRole("heading")).toHaveText(
      `${packageId} 1.0.0 is published`,
    );
  });

  test("signed without a timestamp: refused, saying the gallery requires one and how to sign again", async ({
    page,
  }) => {
    const packageId = uniquePackageId("E2E.Untimestamped");
    const identity = await issueSigningIdentity(`E2E Untimestamped ${randomBytes(3).toString("hex")}`);
    await openUploadPage(page);
    await registerCertificate(page.request, identity);
    await choosePackage(
      page,
      await signPackage(await writePackage({ id: packageId, version: "1.0.0" }), identity, { timestamp: false }),
    );

    await expectPreview(page, packageId, "1.0.0");
    const reason = issueWithCode(page, "Blocking problems", "AUTHOR_TIMESTAMP_MISSING");
    await expect(reason).toContainText("requires exactly one valid RFC 3161 timestamp");
    await expect(reason).toContainText("--timestamper");
    await expect(page.getByRole("button", { name: "Submit" })).toHaveCount(0);
  });
});

test("a package dropped with an ID inside another account's reserved prefix is refused, naming the reservation", async ({
  page,
}) => {
  const prefix = `E2EReserved${randomBytes(3).toString("hex")}.`;
  await reserveIds(prefix, DEMO_ACCOUNTS[1].username, { isPrefix: true });
  await openUploadPage(page);
  await dropPackage(page, await writePackage({ id: `${prefix}Tools`, version: "1.0.0" }));

  await expectPreview(page, `${prefix}Tools`, "1.0.0");
  await expect(issueWithCode(page, "Blocking problems", "PACKAGE_ID_RESERVED")).toContainText(`${prefix}*`);
  await expect(page.locator('[data-field="verified"]')).toHaveText(/^No:/);
  await expect(page.getByRole("button", { name: "Submit" })).toHaveCount(0);
  await snapshot(page, "upload-refused-reserved-prefix");
});

test("a large upload shows the progress bar with percent and bytes; Cancel removes the preview", async ({ page }) => {
  const packageId = uniquePackageId("E2E.Large");
  // Random text compresses poorly, so the package stays large (about 18 MB).
  const file = await writePackage({
    id: packageId,
    version: "1.0.0",
    files: { "content/data.txt": randomBytes(18 * 1024 * 1024).toString("base64") },
  });
  await openUploadPage(page);

  // Slow the upload to 8 MB/s so the bar has time to be seen between 0% and 100%.
  const devtools = await page.context().newCDPSession(page);
  await devtools.send("Network.enable");
  await devtools.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 8 * 1024 * 1024,
  });
  await page.evaluate(() => {
    const seen: number[] = [];
    Object.assign(window, { progressSeen: seen });
    new MutationObserver(() => {
      const bar = document.querySelector('[role="progressbar"]');
      if (bar) seen.push(Number(bar.getAttribute("aria-valuenow")));
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-valuenow"] });
  });
  await choosePackage(page, file);
  await expect(page.locator("[data-progress-text]")).toHaveText(/^\d+% \([\d.]+ MB of [\d.]+ MB\)$/);
  await snapshot(page, "upload-progress");
  await expectPreview(page, packageId, "1.0.0");
  const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
  expect(
    seen.some((percent) => percent > 0 && percent < 100),
    `progress values seen: ${seen.join(", ")}`,
  ).toBe(true);
  expect(seen).toEqual([...seen].sort((a, b) => a - b));

  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("status")).toHaveText("The upload was cancelled and its file deleted.");
  await expect(page.getByLabel("Choose a package file")).toBeAttached();
  await page.goto("/account/uploads");
  await expect(page.getByText("You have not uploaded anything yet.")).toBeVisible();
});

test("bad files get a clear message: not a zip, empty, not a .nupkg", async ({ page }) => {
  await openUploadPage(page);

  await choosePackage(page, {
    name: "broken.nupkg",
    mimeType: "application/octet-stream",
    buffer: Buffer.from("this is not a zip archive at all"),
  });
  await expect(page.getByRole("heading", { name: "Package details could not be read" })).toBeVisible({
    timeout: 30_000,
  });
  await expect(blockingProblems(page).locator("[data-issue-level=error]")).toHaveCount(1);
  await expect(issueWithCode(page, "Blocking problems", "ZIP_INVALID")).toBeVisible();
  await expect(page.getByRole("button", { name: "Submit" })).toHaveCount(0);
  await expect(page.getByRole("alert", { name: "The package was refused" })).toBeVisible();
  await snapshot(page, "upload-not-a-zip");
  await page.getByRole("button", { name: "Upload another package" }).click();

  await choosePackage(page, { name: "empty.nupkg", mimeType: "application/octet-stream", buffer: Buffer.alloc(0) });
  await expect(page.locator("[data-file-problem]")).toHaveText(
    "'empty.nupkg' is empty (0 bytes). Choose the package file again, or rebuild it with dotnet pack.",
  );
  await snapshot(page, "upload-empty");

  await choosePackage(page, { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
  await expect(page.locator("[data-file-problem]")).toHaveText(
    "'notes.txt' is not a .nupkg file. Choose a NuGet package (a file ending in .nupkg).",
  );

  // The server refuses on its own too, whatever the page checked.
  const empty = await uploadForPreview(page, "empty.nupkg", Buffer.alloc(0));
  expect(empty.status()).toBe(400);
  expect((await empty.json()).error.code).toBe("PACKAGE_EMPTY");
});

test("a preview cancelled in another tab cannot be submitted: the page says why", async ({ page, context }) => {
  const packageId = uniquePackageId("E2E.Gone");
  await openUploadPage(page);
  await choosePackage(page, await writePackage({ id: packageId, version: "1.0.0" }));
  await expectPreview(page, packageId, "1.0.0");

  const other = await context.newPage();
  await other.goto("/account/uploads");
  const attemptId = await other.locator("[data-attempt]").first().getAttribute("data-attempt");
  expect((await other.request.delete(`/api/uploads/${attemptId}`, { headers: sameOriginHeaders })).status()).toBe(204);

  await page.getByRole("button", { name: "Submit" }).click();
  const verdict = page.getByRole("alert", { name: "The upload did not go through" });
  await expect(verdict.locator('[data-issue-code="UPLOAD_NOT_FOUND"]')).toContainText("upload the package again");
  await expect(page.getByRole("link", { name: "My uploads" })).toBeVisible();
});
