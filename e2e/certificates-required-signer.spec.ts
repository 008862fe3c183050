// The required-signer setting on a package's manage page. There is no upload page yet, so the
// package and its second owner are written straight into the e2e database.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { createDb } from "@/lib/db";
import { DEMO_ACCOUNTS } from "@/scripts/db/demo-accounts";
import { newAccount, signUp, snapshot } from "./helpers";
import { e2eDatabaseUrl } from "./support/environment";

async function createPackageOwnedBy(packageId: string, usernames: readonly string[]): Promise<void> {
  const db = createDb(e2eDatabaseUrl);
  try {
    const owners = await db.user.findMany({ where: { username: { in: [...usernames] } }, select: { id: true } });
    await db.packageRegistration.create({
      data: {
        packageId,
        packageIdLower: packageId.toLowerCase(),
        owners: { create: owners.map((owner) => ({ userId: owner.id })) },
      },
    });
  } finally {
    await db.$disconnect();
  }
}

test("an owner names a required signer among the owners and sees what it means", async ({ page }) => {
  const account = newAccount();
  const packageId = `E2E.Signer.${randomBytes(3).toString("hex")}`;
  await signUp(page, account);
  await createPackageOwnedBy(packageId, [account.username, DEMO_ACCOUNTS[1].username]);

  await page.goto(`/packages/${packageId}/manage`);
  await expect(page.getByRole("heading", { name: `Manage ${packageId}` })).toBeVisible();
  const form = page.getByRole("form", { name: "Required signer" });
  await form
    .getByLabel("Packages may be signed with")
    .selectOption({ label: `Only certificates registered to ${DEMO_ACCOUNTS[1].username}` });
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("status")).toHaveText(
    `Saved. Packages must be unsigned: '${DEMO_ACCOUNTS[1].username}' is the required signer but has registered no certificate.`,
  );
  await snapshot(page, "package-required-signer");

  await page.reload();
  await expect(form.getByLabel("Packages may be signed with")).toHaveValue(/.+/);
});

test("someone who does not own the package gets the 403 page", async ({ page }) => {
  const packageId = `E2E.Foreign.${randomBytes(3).toString("hex")}`;
  await createPackageOwnedBy(packageId, [DEMO_ACCOUNTS[1].username]);
  await signUp(page, newAccount());
  const response = await page.goto(`/packages/${packageId}/manage`);
  expect(response?.status()).toBe(403);
});
