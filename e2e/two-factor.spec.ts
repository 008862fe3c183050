// Two-factor authentication in Chromium (issue 14): an account without it is refused API keys
// until it sets up an authenticator app on the Security page; sign-in then asks for a code; a
// recovery code works once; a session whose last proof is older than 15 minutes is asked again
// before creating a key; and a passkey made by Chromium's virtual authenticator (CDP WebAuthn
// domain) signs in. Passkeys need a host name, so that test uses localhost instead of 127.0.0.1.
import { expect, test, type Page } from "@playwright/test";
import { newAccount, signOut, signUp, snapshot, type TestAccount } from "./helpers";
import { e2ePort } from "./support/environment";
import { withGalleryDatabase } from "./support/gallery";
import { nextTotpCode, rememberTotpSecret } from "./support/second-factor";

// Three sign-ins with fresh authenticator codes can wait out a 30-second time step or two.
test.describe.configure({ timeout: 150_000 });

async function createKeyInPage(page: Page, name: string) {
  await page.goto("/account/api-keys");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
}

async function signInWithPassword(page: Page, account: TestAccount) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("form", { name: "Two-factor authentication" })).toBeVisible();
}

async function answerCode(page: Page, code: string) {
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

test("API keys wait for two-factor authentication; set up on the Security page, it is asked at sign-in and a recovery code works once", async ({
  page,
}) => {
  const account = newAccount();
  await signUp(page, account, { secondFactor: false });

  await createKeyInPage(page, "Before 2FA");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("This needs two-factor authentication");
  await snapshot(page, "two-factor-required");

  await page.goto("/account/security");
  await page.getByRole("button", { name: "Set up authenticator app" }).click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await page.locator("[data-totp-secret]").textContent()) ?? "";
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  // Wrong codes are made without the code helper, which hands out each time step once.
  await page.getByLabel("Code from the app").fill("12345");
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("That code does not match");
  await page.getByLabel("Code from the app").fill(await nextTotpCode(secret));
  await page.getByRole("button", { name: "Turn on" }).click();
  const codeItems = page.getByRole("status", { name: "Recovery codes" }).locator("[data-recovery-code]");
  await expect(codeItems).toHaveCount(10);
  const codes = await codeItems.allTextContents();
  await expect(page.locator("[data-state='authenticator-app']")).toHaveText("On");
  await snapshot(page, "two-factor-enrolled");
  rememberTotpSecret(account.email, secret);

  await createKeyInPage(page, "After 2FA");
  await expect(page.getByRole("status", { name: "New API key" })).toBeVisible();

  await signOut(page, account.username);
  await signInWithPassword(page, account);
  await snapshot(page, "two-factor-sign-in");
  await answerCode(page, "12345");
  await expect(page.getByRole("form", { name: "Two-factor authentication" }).getByRole("alert")).toContainText(
    "did not work",
  );
  await answerCode(page, await nextTotpCode(secret));
  await expect(page.getByLabel(`Account menu for ${account.username}`)).toBeVisible();

  // A recovery code instead of the app, once.
  await signOut(page, account.username);
  await signInWithPassword(page, account);
  await answerCode(page, codes[0]!);
  await expect(page.getByLabel(`Account menu for ${account.username}`)).toBeVisible();
  await signOut(page, account.username);
  await signInWithPassword(page, account);
  await answerCode(page, codes[0]!);
  await expect(page.getByRole("form", { name: "Two-factor authentication" }).getByRole("alert")).toContainText(
    "did not work",
  );
  await page.goto("/account/security");
  await expect(page).toHaveURL(/\/signin/);
});

test("after 15 minutes a sensitive change asks for the second factor again, then goes ahead", async ({ page }) => {
  const account = newAccount();
  await signUp(page, account);
  // Age this browser's sessions past the 15 minutes instead of waiting them out.
  await withGalleryDatabase(async (db) => {
    const user = await db.user.findUniqueOrThrow({ where: { email: account.email }, select: { id: true } });
    await db.session.updateMany({
      where: { userId: user.id },
      data: { secondFactorAt: new Date(Date.now() - 16 * 60_000) },
    });
  });
  await createKeyInPage(page, "Stepped up");
  const dialog = page.getByRole("dialog", { name: "Confirm it is you" });
  await expect(dialog).toBeVisible();
  await snapshot(page, "two-factor-step-up");
  await dialog.getByLabel("Authentication code").fill(await nextTotpCode(account.totpSecret!));
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("status", { name: "New API key" })).toBeVisible();
  await expect(page.getByRole("listitem", { name: "Stepped up" })).toBeVisible();
});

test("a passkey from Chromium's virtual authenticator signs in as the second factor", async ({ browser }) => {
  const context = await browser.newContext({ baseURL: `http://localhost:${e2ePort}` });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });

  const account = newAccount();
  await signUp(page, account, { secondFactor: false });
  await page.goto("/account/security");
  await page.getByLabel("Passkey name").fill("Virtual authenticator");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByRole("status").first()).toContainText("The passkey 'Virtual authenticator' is added");
  await expect(page.getByRole("status", { name: "Recovery codes" }).locator("[data-recovery-code]")).toHaveCount(10);
  await expect(page.getByRole("listitem", { name: "Virtual authenticator" })).toBeVisible();
  await snapshot(page, "two-factor-passkey-added");

  // The passkey counts as the second factor for sensitive changes.
  await createKeyInPage(page, "With a passkey");
  await expect(page.getByRole("status", { name: "New API key" })).toBeVisible();

  await signOut(page, account.username);
  await signInWithPassword(page, account);
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page.getByLabel(`Account menu for ${account.username}`)).toBeVisible();
  await context.close();
});
