// The admin console in Chromium (issue 7): refused uploads in the table with their reason,
// revalidate after the missing certificate is registered, approve with a reason and find it in
// the audit log, reserve a prefix and watch a foreign upload be refused (and the Verified
// badge follow the owners), mark a certificate compromised and see the package page warn,
// lock an account. Authors act in their own browser context, through the upload API the
// upload page uses; the admin is the seeded demo admin. Every admin page is photographed.
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS } from "@/scripts/db/demo-accounts";
import {
  certificatePem,
  createRootAuthority,
  EXTENDED_KEY_USAGE,
  generateRsaKey,
  issueCertificate,
  temporaryDirectory,
} from "@/test/support/pki";
import { newAccount, signIn, signUp, snapshot, type TestAccount } from "./helpers";
import { createPushKey, pushPackageFile, registerCertificate, reserveIds } from "./support/gallery";
import {
  skipWithoutDotnet,
  issueSigningIdentity,
  signPackage,
  signPackageInProcess,
  writePackage,
} from "./support/pki";
import { uploadThroughPage, type PageUploadVerdict } from "./upload-steps";

const ADMIN = DEMO_ACCOUNTS[0];

// Each scenario runs several accounts, uploads and signings through the real client: give them
// room on a busy machine.
test.describe.configure({ timeout: 180_000 });

function uniqueId(prefix: string): string {
  return `${prefix}${randomBytes(4).toString("hex")}`;
}

/** Signs in through the sign-in redirect of /admin, then opens `target`. */
async function signInAsAdmin(page: Page, target = "/admin"): Promise<void> {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin$/);
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/admin$/);
  if (target !== "/admin") await page.goto(target);
}

/** A freshly signed-up author in a browser context of their own. */
async function newAuthor(browser: Browser): Promise<{ page: Page; account: TestAccount }> {
  const page = await (await browser.newContext()).newPage();
  const account = newAccount();
  await signUp(page, account);
  return { page, account };
}

/** Uploads (and, unless refused at once, submits) a package as the signed-in author, as the upload page does. */
async function uploadAs(author: Page, file: string): Promise<PageUploadVerdict> {
  return uploadThroughPage(author, path.basename(file), await readFile(file));
}

/** Pushes a package as `dotnet nuget push` does, with a fresh push key of the signed-in author. */
async function pushAs(author: Page, file: string): Promise<number> {
  const response = await pushPackageFile(author.request, await createPushKey(author.request, ["push"]), file);
  return response.status();
}

/** The upload's row in the admin table, found through the table's own package ID filter. */
async function findRefusedUpload(page: Page, packageId: string) {
  await page.goto("/admin/uploads");
  await page.getByLabel("Package ID contains").fill(packageId);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`packageId=${packageId}`));
  return page.getByRole("table", { name: "Uploads" }).getByRole("row").filter({ hasText: packageId });
}

test("the console is for admins only: signed out goes to sign-in, members get 403", async ({ page, browser }) => {
  await page.goto("/admin/reservations");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin%2Freservations$/);
  const member = await newAuthor(browser);
  const response = await member.page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(member.page.getByRole("heading", { name: "Not allowed" })).toBeVisible();

  await signInAsAdmin(page);
  await expect(page.getByRole("heading", { name: "Admin console", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Admin" }).getByRole("link")).toHaveCount(6);
  await snapshot(page, "admin-dashboard");
});

test.describe("signed uploads", () => {
  skipWithoutDotnet();

  test("a refused upload appears with its reason; revalidated after the certificate is registered, it is published", async ({
    page,
    browser,
  }) => {
    const author = await newAuthor(browser);
    const packageId = uniqueId("E2E.Review.");
    const identity = await issueSigningIdentity(`E2E Review ${packageId}`);
    const refused = await uploadAs(
      author.page,
      await signPackage(await writePackage({ id: packageId, version: "1.0.0" }), identity),
    );
    expect(refused).toMatchObject({ status: "rejected", refusedAt: "upload", errorCodes: ["SIGNER_NOT_REGISTERED"] });

    await signInAsAdmin(page);
    const row = await findRefusedUpload(page, packageId);
    await expect(row).toHaveCount(1);
    await expect(row.locator('[data-issue-code="SIGNER_NOT_REGISTERED"]')).toContainText(
      "is not registered to any owner",
    );
    await expect(row).toContainText(author.account.username);
    await snapshot(page, "admin-uploads");

    // The same upload is found by issue code and uploader too, with the filters in the URL.
    await page.goto(`/admin/uploads?code=SIGNER_NOT_REGISTERED&uploader=${author.account.username}`);
    await expect(
      page.getByRole("table", { name: "Uploads" }).getByRole("row").filter({ hasText: packageId }),
    ).toHaveCount(1);

    await row.getByRole("link", { name: `${packageId} 1.0.0` }).click();
    await expect(page.getByRole("heading", { name: `${packageId} 1.0.0`, level: 1 })).toBeVisible();
    await expect(
      page.getByRole("list", { name: "Issues" }).locator('[data-issue-code="SIGNER_NOT_REGISTERED"]'),
    ).toBeVisible();
    await expect(page.locator("pre")).toContainText(`<id>${packageId}</id>`);
    await expect(page.locator('[data-field="author-subject"]')).toContainText(`E2E Review ${packageId}`);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download the quarantined file" }).click();
    expect((await download).suggestedFilename()).toBe(`${packageId}.1.0.0.nupkg`);
    await snapshot(page, "admin-upload-detail");

    await page.getByRole("button", { name: "Revalidate" }).click();
    await expect(page.getByRole("status")).toHaveText(
      "Still refused (SIGNER_NOT_REGISTERED); the upload stays in quarantine with the new issues.",
    );

    await registerCertificate(author.page.request, identity);
    await page.getByRole("button", { name: "Revalidate" }).click();
    // The page then shows the new state, who decided and when; the forms that no longer apply are gone.
    const decision = page.getByRole("status", { name: "Decision" });
    await expect(decision).toContainText(`Published as ${packageId} 1.0.0 after revalidation by ${ADMIN.username}`);
    await expect(decision.locator("time")).toHaveAttribute("title", /UTC$/);
    await expect(page.locator('[data-field="status"]')).toHaveText("accepted and published");
    await expect(page.getByRole("button", { name: "Revalidate" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Delete the file" })).toHaveCount(0);
    await snapshot(page, "admin-upload-revalidated");
    await page.setViewportSize({ width: 390, height: 844 });
    await snapshot(page, "admin-upload-revalidated-phone");
    await page.setViewportSize({ width: 1280, height: 720 });
    const published = await page.request.get(
      `/v3-flatcontainer/${packageId.toLowerCase()}/1.0.0/${packageId.toLowerCase()}.1.0.0.nupkg`,
    );
    expect(published.status()).toBe(200);
  });

  test("approving a refused upload needs a reason, publishes it, and the audit log shows who and why", async ({
    page,
    browser,
  }) => {
    const author = await newAuthor(browser);
    const packageId = uniqueId("E2E.Approve.");
    const identity = await issueSigningIdentity(`E2E Approve ${packageId}`);
    const refused = await uploadAs(
      author.page,
      await signPackage(await writePackage({ id: packageId, version: "2.0.0" }), identity),
    );
    expect(refused.errorCodes).toEqual(["SIGNER_NOT_REGISTERED"]);

    await signInAsAdmin(page, `/admin/uploads/${refused.attemptId}`);
    const reason = `Checked with ${author.account.username} by phone`;
    const card = page.getByRole("region", { name: "Approve despite the issues" });
    await card.getByRole("button", { name: "Approve and publish" }).click();
    await expect(card.getByRole("alert")).toContainText("reason: Give a reason; it is kept in the audit log.");
    await card.getByLabel("Reason (required)").fill(reason);
    await card.getByRole("button", { name: "Approve and publish" }).click();
    const decision = page.getByRole("status", { name: "Decision" });
    await expect(decision).toContainText(`Approved and published as ${packageId} 2.0.0 by ${ADMIN.username}`);
    await expect(decision).toContainText(reason);
    await expect(page.locator('[data-field="status"]')).toHaveText("approved and published");
    await expect(page.getByRole("button", { name: "Approve and publish" })).toHaveCount(0);

    // The exception is public on the package page: who approved it, when, and why.
    await page.goto(`/packages/${packageId}/2.0.0`);
    const exception = page.locator("[data-approved-exception]");
    await expect(exception).toContainText(`${ADMIN.username} approved it`);
    await expect(exception).toContainText(reason);
    await snapshot(page, "package-approved-exception");
    await page.setViewportSize({ width: 390, height: 844 });
    await snapshot(page, "package-approved-exception-phone");
    await page.setViewportSize({ width: 1280, height: 720 });

    await page.goto("/admin/audit?action=upload.approve");
    const entry = page.getByRole("row").filter({ hasText: reason });
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText(ADMIN.username);
    await expect(entry).toContainText("upload.approve");
    await expect(page.getByLabel("Action")).toHaveValue("upload.approve");
    await snapshot(page, "admin-audit");
  });

  test("a certificate marked compromised puts a warning on the package page", async ({ page, browser }) => {
    const author = await newAuthor(browser);
    const packageId = uniqueId("E2E.Compromised.");
    const identity = await issueSigningIdentity(`E2E Compromised ${packageId}`);
    await registerCertificate(author.page.request, identity);
    const accepted = await uploadAs(
      author.page,
      await signPackage(await writePackage({ id: packageId, version: "1.0.0" }), identity),
    );
    expect(accepted.status).toBe("accepted");

    // Found by part of its fingerprint, as copied from openssl's output (upper case, colons); its
    // status says what it means, not "Trusted".
    const partial = identity.sha256Fingerprint.toUpperCase().slice(20, 32).match(/../g)?.join(":") ?? "";
    await signInAsAdmin(page, `/admin/certificates?q=${encodeURIComponent(partial)}`);
    const listed = page.getByRole("row").filter({ hasText: `E2E Compromised ${packageId}` });
    await expect(listed).toHaveCount(1);
    await expect(listed.getByRole("cell").last()).toHaveText("Not compromised");
    await page.getByRole("link", { name: `CN=E2E Compromised ${packageId}` }).click();
    await expect(page.getByRole("link", { name: author.account.username })).toBeVisible();
    await expect(page.getByRole("link", { name: `${packageId} 1.0.0` })).toBeVisible();
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel("Compromised from").fill(today);
    await page.getByLabel("Reason").fill("Private key published on a paste site");
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Mark compromised" }).click();
    await expect(page.getByRole("status")).toContainText("1 published version now carry a warning");
    await expect(page.getByRole("heading", { name: /^Compromised since/ })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: `${packageId} 1.0.0` })).toContainText(
      "Signed at or after the compromise",
    );
    await snapshot(page, "admin-certificate-compromised");

    await page.goto(`/admin/certificates?q=${encodeURIComponent(`E2E Compromised ${packageId}`)}`);
    await expect(page.getByRole("row").filter({ hasText: packageId })).toContainText("Compromised");
    await snapshot(page, "admin-certificates");

    await page.goto(`/packages/${packageId}/1.0.0`);
    const warning = page.locator('[data-warning="signature"]');
    await expect(warning).toContainText("Do not trust this version.");
    await expect(warning).toContainText(`that certificate was marked compromised on ${today}`);
    await expect(warning).toContainText("Reason given: Private key published on a paste site");

    // New pushes signed with it are refused.
    const again = await uploadAs(
      author.page,
      await signPackage(await writePackage({ id: packageId, version: "1.0.1" }), identity),
    );
    expect(again).toMatchObject({
      status: "rejected",
      errorCodes: expect.arrayContaining(["CERTIFICATE_COMPROMISED"]),
    });
  });
});

test("approved although signed under a root the gallery does not trust: the page names the authority, shows the exception publicly, and the Verified check only says the ID is reserved", async ({
  page,
  browser,
}) => {
  const author = await newAuthor(browser);
  const packageId = uniqueId("E2E.Untrusted.");
  const rootName = `E2E Untrusted Root ${packageId}`;
  const key = await generateRsaKey();
  const root = await createRootAuthority(rootName, key);
  const leaf = await issueCertificate({
    commonName: `E2E Untrusted Signer ${packageId}`,
    key: await generateRsaKey(),
    issuer: root,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
  });
  const certificatePath = path.join(await temporaryDirectory("signet-e2e-untrusted-"), "certificate.pem");
  await writeFile(certificatePath, certificatePem(leaf));
  await registerCertificate(author.page.request, { certificatePath });
  const signed = await signPackageInProcess(await writePackage({ id: packageId, version: "1.0.0" }), leaf);
  const refused = await uploadAs(author.page, signed);
  expect(refused).toMatchObject({
    status: "rejected",
    refusedAt: "upload",
    errorCodes: expect.arrayContaining(["NU3018"]),
  });

  await signInAsAdmin(page, `/admin/uploads/${refused.attemptId}`);
  const reason = `Root ${rootName} checked out of band`;
  const card = page.getByRole("region", { name: "Approve despite the issues" });
  await card.getByLabel("Reason (required)").fill(reason);
  await card.getByRole("button", { name: "Approve and publish" }).click();
  await expect(page.getByRole("status", { name: "Decision" })).toContainText(
    `Approved and published as ${packageId} 1.0.0 by ${ADMIN.username}`,
  );
  await reserveIds(packageId, author.account.username, { isPrefix: false });

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`/packages/${packageId}/1.0.0`);
  // One verdict: a caution naming the authority, never a green "Signed" nor a red "invalid".
  const header = visitor.locator("article > header");
  const badge = header.locator('dl[aria-label="At a glance"] [data-signing]');
  await expect(badge).toHaveAttribute("data-verdict", "untrusted");
  await expect(badge).toContainText(`Signed by an untrusted certificate (${rootName})`);
  await expect(header.getByText("Signature invalid")).toHaveCount(0);
  const warning = visitor.locator('[data-warning="signature"]');
  await expect(warning).toHaveAttribute("data-verdict", "untrusted");
  await expect(warning).toContainText(`with a certificate from ${rootName}, an authority this gallery does not trust`);
  await expect(warning).not.toContainText("Do not trust this version.");
  // The exception, publicly: who, when and why.
  const exception = warning.locator("[data-approved-exception]");
  await expect(exception).toContainText(`${ADMIN.username} approved it`);
  await expect(exception.locator("time")).toHaveAttribute("title", /UTC$/);
  await expect(exception).toContainText(reason);
  // The Verified check says who may publish under the ID, and that it is no safety verdict.
  const verified = visitor.getByRole("heading", { level: 1 }).locator("[data-verified]");
  await expect(verified).toContainText("ID reserved");
  await expect(verified).toHaveAttribute("title", /not whether a version is safe/);
  // The versions table says what the header says of the shown version.
  const row = visitor.locator('table tr[data-version="1.0.0"] [data-signing]');
  await expect(row).toHaveAttribute("data-verdict", "untrusted");
  await expect(row).toContainText(`Signed by an untrusted certificate (${rootName})`);
  await snapshot(visitor, "package-untrusted-approved");
  // A search card knows only that the signature was not accepted, and names no cause the page would contradict.
  const search = await (await browser.newContext()).newPage();
  await search.goto(`/packages?q=${encodeURIComponent(packageId)}`);
  const cardBadge = search.locator(`[data-package="${packageId}"] [data-signing]`);
  await expect(cardBadge).toHaveAttribute("data-signing", "invalid");
  await expect(cardBadge).toHaveText(/Signature not accepted/);
  await expect(cardBadge).toHaveAttribute("title", /the version's page says which/);
  await visitor.setViewportSize({ width: 390, height: 844 });
  expect(await visitor.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await snapshot(visitor, "package-untrusted-approved-phone");
});

test("deleting a refused upload's file: the page then says who deleted it, when and why, and the review forms are gone", async ({
  page,
  browser,
}) => {
  const author = await newAuthor(browser);
  const packageId = uniqueId("E2E.Delete.");
  await reserveIds(packageId, ADMIN.username, { isPrefix: false });
  const refused = await uploadAs(author.page, await writePackage({ id: packageId, version: "1.0.0" }));
  expect(refused).toMatchObject({ status: "rejected", refusedAt: "upload", errorCodes: ["PACKAGE_ID_RESERVED"] });

  await signInAsAdmin(page, `/admin/uploads/${refused.attemptId}`);
  await expect(page.getByRole("link", { name: "Download the quarantined file" })).toBeVisible();
  const reason = "Squatting on a reserved ID";
  const card = page.getByRole("region", { name: "Delete" });
  await card.getByLabel("Reason (required)").fill(reason);
  page.once("dialog", (dialog) => void dialog.accept());
  await card.getByRole("button", { name: "Delete the file" }).click();
  const decision = page.getByRole("status", { name: "Decision" });
  await expect(decision).toContainText(`File deleted by ${ADMIN.username}`);
  await expect(decision).toContainText(reason);
  await expect(decision.locator("time")).toHaveAttribute("title", /UTC$/);
  await expect(page.locator('[data-field="status"]')).toHaveText("file deleted");
  for (const name of ["Revalidate", "Approve and publish", "Delete the file"])
    await expect(page.getByRole("button", { name })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Download the quarantined file" })).toHaveCount(0);
  await snapshot(page, "admin-upload-deleted");
  await page.setViewportSize({ width: 390, height: 844 });
  await snapshot(page, "admin-upload-deleted-phone");
});

test("a private prefix refuses a foreign push; adding the author as owner lets it in, with the Verified badge", async ({
  page,
  browser,
}) => {
  const prefix = uniqueId("E2EAdm");
  const author = await newAuthor(browser);
  await signInAsAdmin(page, "/admin/reservations");
  const reserve = page.getByRole("region", { name: "Reserve an ID or prefix" });
  await reserve.getByLabel("Package ID or prefix").fill(`${prefix}.*`);
  await reserve.getByLabel("Owners").fill("nobody-by-that-name");
  await reserve.getByRole("button", { name: "Reserve" }).click();
  await expect(reserve.getByRole("alert")).toHaveText("No account has the username 'nobody-by-that-name'.");
  await reserve.getByLabel("Owners").fill(ADMIN.username);
  await reserve.getByRole("button", { name: "Reserve" }).click();
  await expect(reserve.getByRole("status")).toHaveText(`'${prefix}.*' is reserved.`);

  // Refused with a 4xx (which one is the push API's choice); the reason is checked in the table.
  const refusal = await pushAs(author.page, await writePackage({ id: `${prefix}.Tools`, version: "1.0.0" }));
  expect(refusal).toBeGreaterThanOrEqual(400);
  expect(refusal).toBeLessThan(500);
  const refused = await findRefusedUpload(page, prefix);
  await expect(refused).toContainText("Push");
  await expect(refused.locator('[data-issue-code="PACKAGE_ID_RESERVED"]')).toContainText(`'${prefix}.*'`);

  await page.goto("/admin/reservations");
  const row = page.locator(`tr[data-reservation="${prefix}.*"]`);
  await row.getByText("Edit").click();
  await row.getByLabel("Owners").fill(`${ADMIN.username}, ${author.account.username}`);
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("status")).toHaveText(`'${prefix}.*' is saved.`);

  expect(await pushAs(author.page, await writePackage({ id: `${prefix}.Tools`, version: "1.0.0" }))).toBe(201);
  await page.reload();
  await expect(row.locator(`[data-package="${prefix}.Tools"]`)).toContainText("Verified");
  await snapshot(page, "admin-reservations");
  const packagePage = await (await browser.newContext()).newPage();
  await packagePage.goto(`/packages/${prefix}.Tools`);
  await expect(packagePage.locator("[data-verified]")).toHaveCount(1);

  // Without the author among the owners the same package loses the badge at once, here and on its page.
  await row.getByText("Edit").click();
  await row.getByLabel("Owners").fill(ADMIN.username);
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("status")).toBeVisible();
  await page.reload();
  await expect(row.locator(`[data-package="${prefix}.Tools"]`)).toContainText("Not verified");
  await packagePage.reload();
  await expect(packagePage.getByRole("heading", { level: 1 })).toContainText(`${prefix}.Tools`);
  await expect(packagePage.locator("[data-verified]")).toHaveCount(0);
});

test("a locked account is signed out at once and cannot sign in; unlocking restores it", async ({ page, browser }) => {
  const member = await newAuthor(browser);
  await signInAsAdmin(page, `/admin/users?q=${member.account.username}`);
  const row = page.locator(`tr[data-user="${member.account.username}"]`);
  await row.getByRole("button", { name: "Lock account" }).click();
  await expect(row.getByLabel("Reason for locking")).toBeFocused();
  await row.getByLabel("Reason for locking").fill("Pushing malware");
  await row.getByRole("button", { name: "Lock account" }).click();
  await expect(row.getByRole("status")).toHaveText(
    `${member.account.username} is locked: they cannot sign in or push.`,
  );
  await expect(row).toContainText("Pushing malware");
  await snapshot(page, "admin-users");

  await member.page.goto("/account");
  await expect(member.page).toHaveURL(/\/signin\?callbackUrl=%2Faccount$/);
  await signIn(member.page, member.account.email, member.account.password);
  await expect(member.page.getByText("This account is locked.")).toHaveText(
    "This account is locked. Contact an administrator of this gallery.",
  );

  await row.getByRole("button", { name: "Unlock" }).click();
  await expect(row.getByRole("status")).toHaveText(`${member.account.username} is unlocked.`);
  await signIn(member.page, member.account.email, member.account.password);
  await expect(member.page).toHaveURL(/\/account$/);

  // Admins cannot change their own account.
  await page.goto(`/admin/users?q=${ADMIN.username}`);
  await expect(page.locator(`tr[data-user="${ADMIN.username}"]`)).toContainText("This is you");
});
