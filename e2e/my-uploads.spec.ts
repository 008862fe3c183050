// "My uploads": every attempt of the signed-in account, newest first, with its outcome and
// reasons, a detail page with every issue and the signature report, paging, and nobody
// else's attempts. Attempts are made through the upload API the page uses (the page itself
// is exercised in upload.spec.ts).
import { expect, test } from "@playwright/test";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { newAccount, signUp, snapshot } from "./helpers";
import { issueSigningIdentity } from "./support/pki";
import { registerCertificate } from "./support/gallery";
import { uniquePackageId, uploadForPreview } from "./upload-steps";
import { sameOriginHeaders } from "./support/environment";

const NOT_A_ZIP = Buffer.from("this is not a zip archive at all");

function packageBytes(id: string, version: string): Buffer {
  return Buffer.from(buildUnsignedPackage({ id, version }));
}

async function previewId(response: Awaited<ReturnType<typeof uploadForPreview>>): Promise<string> {
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { preview: { attemptId: string } }).preview.attemptId;
}

test("each attempt is listed newest first with its outcome and reasons; the detail shows every issue and the signature", async ({
  page,
}) => {
  await signUp(page, newAccount());
  const accepted = uniquePackageId("E2E.Mine.Accepted");
  const refused = uniquePackageId("E2E.Mine.Refused");

  const acceptedAttempt = await previewId(
    await uploadForPreview(page, "accepted.nupkg", packageBytes(accepted, "1.0.0")),
  );
  expect(
    (await page.request.post(`/api/uploads/${acceptedAttempt}/submit`, { headers: sameOriginHeaders })).status(),
  ).toBe(201);
  await previewId(await uploadForPreview(page, "broken.nupkg", NOT_A_ZIP));
  const refusedAttempt = await previewId(await uploadForPreview(page, "refused.nupkg", packageBytes(refused, "1.0.0")));
  await registerCertificate(page.request, await issueSigningIdentity("E2E My Uploads"));
  const submit = await page.request.post(`/api/uploads/${refusedAttempt}/submit`, { headers: sameOriginHeaders });
  expect(submit.status()).toBe(400);
  expect(await submit.json()).toMatchObject({ error: { code: "PACKAGE_NOT_SIGNED" } });

  await page.goto("/account/uploads");
  await expect(page.getByRole("heading", { name: "My uploads", level: 1 })).toBeVisible();
  const items = page.getByRole("list", { name: "Uploads" }).locator("[data-attempt]");
  await expect(items).toHaveCount(3);
  await expect(items.nth(0)).toHaveAttribute("aria-label", `${refused} 1.0.0`);
  await expect(items.nth(0).locator("[data-outcome]")).toHaveText("Refused");
  await expect(items.nth(0).locator('[data-issue-code="PACKAGE_NOT_SIGNED"]')).toContainText(
    "must be signed with a certificate registered to",
  );
  await expect(items.nth(1)).toHaveAttribute("aria-label", "Unreadable package");
  // Refused on the upload page itself: recorded as refused at once, like a refused push.
  await expect(items.nth(1).locator("[data-outcome]")).toHaveText("Refused");
  await expect(items.nth(1).locator('[data-issue-code="ZIP_INVALID"]')).toBeVisible();
  await expect(items.nth(2)).toHaveAttribute("aria-label", `${accepted} 1.0.0`);
  await expect(items.nth(2).locator("[data-outcome]")).toHaveText("Accepted");
  await expect(items.nth(2).locator("[data-issue-level=error]")).toHaveCount(0);
  await expect(page.getByText("is kept with its file for an administrator to review")).toBeVisible();
  await snapshot(page, "my-uploads");
  await page.setViewportSize({ width: 390, height: 844 });
  await snapshot(page, "my-uploads-phone");
  await page.setViewportSize({ width: 1280, height: 720 });

  await items
    .nth(0)
    .getByRole("link", { name: `${refused} 1.0.0` })
    .click();
  await expect(page).toHaveURL(`/account/uploads/${refusedAttempt}`);
  await expect(page.getByRole("heading", { name: `${refused} 1.0.0`, level: 1 })).toBeVisible();
  await expect(page.locator("[data-outcome]")).toHaveText("Refused");
  await expect(
    page.getByRole("list", { name: "Reasons" }).locator('[data-issue-code="PACKAGE_NOT_SIGNED"]'),
  ).toBeVisible();
  await expect(page.locator("[data-signature-status]")).toHaveText("Not signed");
  await expect(page.getByRole("link", { name: "View the package page" })).toHaveCount(0);
  await snapshot(page, "my-uploads-refused-detail");

  await page.goto(`/account/uploads/${acceptedAttempt}`);
  await expect(page.locator("[data-outcome]")).toHaveText("Accepted");
  await expect(page.getByRole("link", { name: "View the package page" })).toHaveAttribute(
    "href",
    `/packages/${accepted}/1.0.0`,
  );
});

test("a preview left on My uploads can be submitted from its page, or cancelled; a refused upload is not a preview", async ({
  page,
}) => {
  await signUp(page, newAccount());
  const packageId = uniquePackageId("E2E.Later");
  const later = await previewId(await uploadForPreview(page, "later.nupkg", packageBytes(packageId, "1.0.0")));
  const broken = await previewId(await uploadForPreview(page, "broken.nupkg", NOT_A_ZIP));
  const waiting = page.getByRole("region", { name: "Waiting to be submitted" });

  await page.goto(`/account/uploads/${broken}`);
  await expect(page.locator("[data-outcome]")).toHaveText("Refused");
  await expect(waiting).toHaveCount(0);
  expect((await page.request.delete(`/api/uploads/${broken}`, { headers: sameOriginHeaders })).status()).toBe(409);

  const cancelled = await previewId(
    await uploadForPreview(page, "cancelled.nupkg", packageBytes(uniquePackageId("E2E.Cancelled"), "1.0.0")),
  );
  await page.goto(`/account/uploads/${cancelled}`);
  await waiting.getByRole("button", { name: "Cancel upload" }).click();
  await expect(page).toHaveURL("/account/uploads");
  await expect(page.locator("[data-attempt]")).toHaveCount(2);

  await page.goto(`/account/uploads/${later}`);
  await expect(page.locator("[data-outcome]")).toHaveText("Preview");
  await snapshot(page, "my-uploads-preview-detail");
  await waiting.getByRole("button", { name: "Submit" }).click();
  await expect(page.locator("[data-outcome]")).toHaveText("Accepted");
  await expect(page.getByRole("link", { name: "View the package page" })).toHaveAttribute(
    "href",
    `/packages/${packageId}/1.0.0`,
  );
  await expect(waiting).toHaveCount(0);
});

test("more than a page of attempts: twenty per page, older ones on the next", async ({ page }) => {
  await signUp(page, newAccount());
  const last = uniquePackageId("E2E.Paging");
  for (let index = 0; index < 20; index += 1) await previewId(await uploadForPreview(page, "broken.nupkg", NOT_A_ZIP));
  await previewId(await uploadForPreview(page, "last.nupkg", packageBytes(last, "1.0.0")));

  await page.goto("/account/uploads");
  const items = page.getByRole("list", { name: "Uploads" }).locator("[data-attempt]");
  await expect(page.getByText("21 uploads")).toBeVisible();
  await expect(items).toHaveCount(20);
  await expect(items.first()).toHaveAttribute("aria-label", `${last} 1.0.0`);
  const pages = page.getByRole("navigation", { name: "Pages" });
  await expect(pages).toContainText("Page 1 of 2");
  await pages.getByRole("link", { name: "Older uploads" }).click();
  await expect(page).toHaveURL("/account/uploads?page=2");
  await expect(items).toHaveCount(1);
  await expect(items.first()).toHaveAttribute("aria-label", "Unreadable package");
  await pages.getByRole("link", { name: "Newer uploads" }).click();
  await expect(items).toHaveCount(20);

  await page.goto("/account/uploads?page=abc");
  await expect(items).toHaveCount(20);
});

test("someone else's upload: its page is a 404 and it cannot be submitted or cancelled", async ({ browser }) => {
  const owner = await browser.newPage();
  await signUp(owner, newAccount());
  const attemptId = await previewId(
    await uploadForPreview(owner, "theirs.nupkg", packageBytes(uniquePackageId("E2E.Theirs"), "1.0.0")),
  );

  const stranger = await browser.newPage();
  await signUp(stranger, newAccount());
  expect((await stranger.goto(`/account/uploads/${attemptId}`))?.status()).toBe(404);
  const submit = await stranger.request.post(`/api/uploads/${attemptId}/submit`, { headers: sameOriginHeaders });
  expect(submit.status()).toBe(404);
  expect((await submit.json()).error.code).toBe("UPLOAD_NOT_FOUND");
  expect((await stranger.request.delete(`/api/uploads/${attemptId}`, { headers: sameOriginHeaders })).status()).toBe(
    404,
  );
  await stranger.goto("/account/uploads");
  await expect(stranger.getByText("You have not uploaded anything yet.")).toBeVisible();

  // Still the owner's, untouched: cancelling works for them, once.
  expect((await owner.request.delete(`/api/uploads/${attemptId}`, { headers: sameOriginHeaders })).status()).toBe(204);
  expect((await owner.request.delete(`/api/uploads/${attemptId}`, { headers: sameOriginHeaders })).status()).toBe(404);
});

test("signed out, My uploads and the upload API ask for sign-in", async ({ page }) => {
  await page.goto("/account/uploads");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccount%2Fuploads$/);
  const response = await uploadForPreview(page, "anything.nupkg", NOT_A_ZIP);
  expect(response.status()).toBe(401);
});
