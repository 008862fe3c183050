import { randomBytes } from "node:crypto";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { enrolAuthenticatorApp, knownTotpSecret, nextTotpCode } from "./support/second-factor";

export interface TestAccount {
  email: string;
  username: string;
  password: string;
  /** Set by signUp when it set up an authenticator app. */
  totpSecret?: string;
}

export function newAccount(): TestAccount {
  const id = randomBytes(4).toString("hex");
  return { email: `e2e-${id}@example.test`, username: `e2e-${id}`, password: `pw-${randomBytes(8).toString("hex")}` };
}

/** Saves a full-page screenshot under e2e/screenshots/ for a person to look at. */
export async function snapshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join("e2e", "screenshots", `${name}.png`), fullPage: true });
}

/**
 * Creates the account through the sign-up page. Like nuget.org, the gallery wants two-factor
 * authentication for certificates, API keys and admin changes, so by default an authenticator
 * app is set up right away (its secret is kept on the account and answered by signIn); pass
 * `secondFactor: false` for an account without one.
 */
export async function signUp(page: Page, account: TestAccount, { secondFactor = true } = {}): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Username").fill(account.username);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  if (secondFactor) account.totpSecret = (await enrolAuthenticatorApp(page.request, account.email)).secret;
}

/**
 * Fills in the sign-in form; for accounts whose authenticator secret the specs know (the demo
 * accounts, and those signUp set up), answers the second step with a fresh code.
 */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const secret = knownTotpSecret(email);
  if (!secret) return;
  const codeField = page.getByLabel("Authentication code");
  const refusal = page.getByRole("form", { name: "Sign in" }).getByRole("alert");
  await expect(codeField.or(refusal)).toBeVisible();
  if (!(await codeField.isVisible())) return;
  await codeField.fill(await nextTotpCode(secret));
  await page.getByRole("button", { name: "Verify" }).click();
}

export async function signOut(page: Page, username: string): Promise<void> {
  const menu = page.getByLabel(`Account menu for ${username}`);
  if (!(await page.getByRole("button", { name: "Sign out" }).isVisible())) await menu.click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Sign in" })).toBeVisible();
}

export function fieldError(page: Page, field: string) {
  return page.locator(`[data-field-error="${field}"]`);
}
