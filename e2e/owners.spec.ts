// Owners in the browser: an owner invites a co-owner by username, who accepts on their account
// page; a second invitee declines (and later, invited again and accepted, is removed by the
// owner); the required-signer setting then becomes usable; a version is unlisted and relisted and
// deprecated (shown on its page); the co-owner leaves; the last owner cannot. Owner changes ask
// for a second factor, which these accounts proved when they set up their authenticator app.
import { expect, test, type Page } from "@playwright/test";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { newAccount, signUp, snapshot } from "./helpers";
import { uniquePackageId, uploadThroughPage } from "./upload-steps";

async function both(page: Page, name: string): Promise<void> {
  await snapshot(page, name);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await snapshot(page, `${name}-phone`);
  await page.setViewportSize({ width: 1280, height: 720 });
}

test("invite, accept, required signer, unlist and relist, deprecate, leave", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const alice = newAccount();
  await signUp(page, alice);
  const packageId = uniquePackageId("E2E.Owned");
  for (const version of ["1.0.0", "2.0.0"]) {
    expect(
      (await uploadThroughPage(page, `${version}.nupkg`, Buffer.from(buildUnsignedPackage({ id: packageId, version }))))
        .status,
    ).toBe("accepted");
  }
  const bobPage = await (await browser.newContext()).newPage();
  const bob = newAccount();
  await signUp(bobPage, bob);

  await page.goto(`/packages/${packageId}`);
  await page.getByRole("link", { name: "Manage package" }).click();
  await expect(page.getByRole("heading", { name: `Manage ${packageId}`, level: 1 })).toBeVisible();
  await expect(
    page.getByText("Choosing a required signer becomes possible once the package has more than one owner"),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Leave this package" })).toHaveCount(0);
  await page.getByLabel("Invite a co-owner by username").fill(bob.username);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(page.getByRole("status")).toContainText(`${bob.username} is invited to co-own '${packageId}'`);
  await expect(
    page.getByRole("list", { name: "Invitations" }).locator(`[data-invitation="${bob.username}"]`),
  ).toBeVisible();
  await both(page, "manage-invited");

  // Carol is invited too, and declines: the invitation is gone on both sides, and she owns nothing.
  const carolPage = await (await browser.newContext()).newPage();
  const carol = newAccount();
  await signUp(carolPage, carol);
  await page.getByLabel("Invite a co-owner by username").fill(carol.username);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(
    page.getByRole("list", { name: "Invitations" }).locator(`[data-invitation="${carol.username}"]`),
  ).toBeVisible();
  await carolPage.goto("/account");
  await carolPage
    .getByRole("list", { name: "Invitations" })
    .locator(`[data-invitation="${packageId}"]`)
    .getByRole("button", { name: `Decline ${packageId}` })
    .click();
  await expect(carolPage.getByRole("list", { name: "Invitations" })).toHaveCount(0);
  await page.reload();
  await expect(
    page.getByRole("list", { name: "Invitations" }).locator(`[data-invitation="${carol.username}"]`),
  ).toHaveCount(0);
  await carolPage.goto(`/packages/${packageId}`);
  await expect(carolPage.getByRole("link", { name: "Manage package" })).toHaveCount(0);

  await bobPage.goto("/account");
  const invitation = bobPage.getByRole("list", { name: "Invitations" }).locator(`[data-invitation="${packageId}"]`);
  await expect(invitation).toContainText(`${alice.username} invited you`);
  await both(bobPage, "account-invitation");
  await invitation.getByRole("button", { name: `Accept ${packageId}` }).click();
  await expect(bobPage.getByRole("list", { name: "Invitations" })).toHaveCount(0);
  await bobPage.goto(`/packages/${packageId}`);
  await expect(bobPage.getByRole("link", { name: "Manage package" })).toBeVisible();

  // Two owners: the required signer is now a choice.
  await page.reload();
  const owners = page.getByRole("list", { name: "Owners" });
  await expect(owners.locator("[data-owner]")).toHaveCount(2);
  await expect(
    page.getByRole("form", { name: "Required signer" }).getByLabel("Packages may be signed with"),
  ).toBeVisible();

  // Unlist and list again from the page.
  const first = page.getByRole("list", { name: "Versions" }).locator('[data-version="1.0.0"]');
  await first.getByRole("button", { name: "Unlist 1.0.0" }).click();
  await expect(first).toContainText("unlisted");
  await expect(first.getByRole("button", { name: "List 1.0.0 again" })).toBeVisible();
  expect(
    (
      (await (await page.request.get(`/v3-flatcontainer/${packageId.toLowerCase()}/index.json`)).json()) as {
        versions: string[];
      }
    ).versions,
  ).toContain("1.0.0");
  await first.getByRole("button", { name: "List 1.0.0 again" }).click();
  await expect(first.getByRole("button", { name: "Unlist 1.0.0" })).toBeVisible();

  // Deprecate 1.0.0: legacy, with a message and an alternate; its page says so.
  const deprecate = page.getByRole("group", { name: "Deprecate versions" });
  await deprecate.getByRole("group", { name: "Versions" }).getByLabel("1.0.0").check();
  await deprecate.getByLabel("Legacy: no longer maintained").check();
  await deprecate.getByLabel("Message (optional)").fill("Moved to 2.x.");
  await deprecate.getByLabel("Alternate package ID (optional)").fill(packageId);
  await deprecate.getByLabel("Alternate versions (optional)").fill("[2.0.0, )");
  await deprecate.getByRole("button", { name: "Deprecate" }).click();
  await expect(deprecate.getByRole("status")).toHaveText(`${packageId} 1.0.0 is marked deprecated.`);
  await expect(first).toContainText("Deprecated by its owners (legacy)");
  await page.goto(`/packages/${packageId}/1.0.0`);
  const notice = page.locator("[data-deprecation]");
  await expect(notice).toContainText("This version is deprecated");
  await expect(notice).toContainText("Moved to 2.x.");
  await expect(notice).toContainText(`Suggested instead: ${packageId} (versions [2.0.0, ))`);
  await both(page, "package-deprecated");

  // An owner removes another: Carol, invited again, accepts, and Alice removes her.
  await page.goto(`/packages/${packageId}/manage`);
  await page.getByLabel("Invite a co-owner by username").fill(carol.username);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(
    page.getByRole("list", { name: "Invitations" }).locator(`[data-invitation="${carol.username}"]`),
  ).toBeVisible();
  await carolPage.goto("/account");
  await carolPage
    .getByRole("list", { name: "Invitations" })
    .locator(`[data-invitation="${packageId}"]`)
    .getByRole("button", { name: `Accept ${packageId}` })
    .click();
  await expect(carolPage.getByRole("list", { name: "Invitations" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("list", { name: "Owners" }).locator("[data-owner]")).toHaveCount(3);
  page.once("dialog", (dialog) => void dialog.accept());
  await page
    .getByRole("list", { name: "Owners" })
    .locator(`[data-owner="${carol.username}"]`)
    .getByRole("button", { name: `Remove ${carol.username}` })
    .click();
  await expect(page.getByRole("list", { name: "Owners" }).locator("[data-owner]")).toHaveCount(2);
  await expect(page.getByRole("list", { name: "Owners" }).locator(`[data-owner="${carol.username}"]`)).toHaveCount(0);
  await carolPage.goto(`/packages/${packageId}`);
  await expect(carolPage.getByRole("link", { name: "Manage package" })).toHaveCount(0);

  // Bob leaves; Alice, the last owner, cannot.
  await bobPage.goto(`/packages/${packageId}/manage`);
  bobPage.once("dialog", (dialog) => void dialog.accept());
  await bobPage.getByRole("button", { name: "Leave this package" }).click();
  await expect(bobPage.getByRole("status").filter({ hasText: "You no longer own" })).toContainText(
    `You no longer own '${packageId}'.`,
  );
  // The manage page now refuses Bob, so the answer stays in view with a way out rather than being replaced by the refusal.
  await bobPage.getByRole("link", { name: "Go to the package's page" }).click();
  await expect(bobPage).toHaveURL(new RegExp(`/packages/${packageId}$`));
  await expect(bobPage.getByRole("link", { name: "Manage package" })).toHaveCount(0);
  await page.goto(`/packages/${packageId}/manage`);
  await expect(page.getByRole("list", { name: "Owners" }).locator("[data-owner]")).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Leave this package" })).toHaveCount(0);
  await both(page, "manage-owners");
});
