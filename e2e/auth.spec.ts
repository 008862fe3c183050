import { expect, test } from "@playwright/test";
import { DEMO_ACCOUNTS } from "@/scripts/db/demo-accounts";
import { fieldError, newAccount, signIn, signOut, signUp, snapshot } from "./helpers";

test("sign up, sign out and sign in again", async ({ page }) => {
  const account = newAccount();
  await signUp(page, account);
  await expect(page.getByRole("heading", { name: "Account" })).toBeVisible();
  await expect(page.getByText(account.email)).toBeVisible();
  await snapshot(page, "account-after-sign-up");

  await signOut(page, account.username);
  await snapshot(page, "home-signed-out");

  await page.goto("/signin");
  await signIn(page, account.email, account.password);
  await expect(page.getByLabel(`Account menu for ${account.username}`)).toBeVisible();
});

test("a wrong password shows an error and keeps the person signed out", async ({ page }) => {
  const author = DEMO_ACCOUNTS[1];
  await page.goto("/signin");
  await signIn(page, author.email, "not-the-password");
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/signin/);
  await snapshot(page, "sign-in-wrong-password");
});

test("a signed-out visit to the account page goes to sign-in and comes back", async ({ page }) => {
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccount$/);
  const author = DEMO_ACCOUNTS[1];
  await signIn(page, author.email, author.password);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText(author.email)).toBeVisible();
});

test("empty forms show a message next to each field", async ({ page }) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(fieldError(page, "email")).toHaveText("Enter your email address.");
  await expect(fieldError(page, "password")).toHaveText("Enter your password.");

  await page.goto("/signup");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(fieldError(page, "email")).toHaveText("Enter your email address.");
  await expect(fieldError(page, "username")).toHaveText("Choose a username.");
  await expect(fieldError(page, "password")).toHaveText("Choose a password.");
  await snapshot(page, "sign-up-empty");
});

test("malformed sign-up input is explained field by field", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Username").fill("-x");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(fieldError(page, "email")).toHaveText("Enter a valid email address, like name@example.com.");
  await expect(fieldError(page, "username")).toHaveText("Usernames are at least 3 characters.");
  await expect(fieldError(page, "password")).toHaveText("Passwords are at least 8 characters.");
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
});

test("signing up with an email that already has an account is refused clearly", async ({ page }) => {
  const taken = DEMO_ACCOUNTS[1];
  await page.goto("/signup");
  await page.getByLabel("Email").fill(taken.email.toUpperCase());
  await page.getByLabel("Username").fill(taken.username);
  await page.getByLabel("Password").fill("a-long-enough-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(fieldError(page, "email")).toHaveText("An account with this email address already exists. Sign in instead.");
  await expect(fieldError(page, "username")).toHaveText("This username is taken. Choose another one.");
  await expect(page).toHaveURL(/\/signup/);
  await snapshot(page, "sign-up-duplicate");
});
