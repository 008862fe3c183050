import { expect, test } from "@playwright/test";
import { DEMO_ACCOUNTS } from "@/scripts/db/demo-accounts";
import { fieldError, newAccount, signIn, signOut, signUp, snapshot } from "./helpers";
import { e2eBaseUrl } from "./support/environment";

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
  await expect(fieldError(page, "password")).toHaveText(
    "Passwords are at least 15 characters; a few words make one easy to remember.",
  );
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
});

test("signing up with a registered email answers as for a new one, and only its own password signs in", async ({
  page,
}) => {
  const taken = DEMO_ACCOUNTS[1];
  await page.goto("/signup");
  await page.getByLabel("Email").fill(taken.email.toUpperCase());
  await page.getByLabel("Username").fill(taken.username);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  // Usernames are public (they name package owners), so a taken one is said plainly.
  await expect(fieldError(page, "username")).toHaveText("This username is taken. Choose another one.");
  await expect(fieldError(page, "email")).toHaveCount(0);

  await page.getByLabel("Username").fill(newAccount().username);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("form", { name: "Create an account" }).getByRole("alert")).toHaveText(
    "We could not sign you in with this email address and password. If the address already had an account, it is unchanged: sign in with its own password.",
  );
  await expect(page).toHaveURL(/\/signup/);
  await snapshot(page, "sign-up-duplicate");
  // The account is as it was.
  await page.goto("/signin");
  await signIn(page, taken.email, taken.password);
  await expect(page.getByLabel(`Account menu for ${taken.username}`)).toBeVisible();
});

test("sign-up refuses common and whitespace-only passwords, with the reason", async ({ page }) => {
  const account = newAccount();
  await page.goto("/signup");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Username").fill(account.username);
  await page.getByLabel("Password").fill(" ".repeat(16));
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(fieldError(page, "password")).toHaveText("A password cannot be only spaces.");
  await page.getByLabel("Password").fill("qwerty123456789");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(fieldError(page, "password")).toHaveText(
    "This password is one of the most commonly used passwords, which attackers try first. Choose another.",
  );
  await expect(page).toHaveURL(/\/signup/);
});

test("a session cookie captured before sign-out no longer works after it", async ({ page, browser }) => {
  const account = newAccount();
  await signUp(page, account);
  const captured = await page.context().cookies();
  expect(captured.some((cookie) => cookie.name === "next-auth.session-token")).toBe(true);
  await signOut(page, account.username);

  const replay = await browser.newContext();
  await replay.addCookies(captured);
  const replayed = await replay.newPage();
  await replayed.goto("/account");
  await expect(replayed).toHaveURL(/\/signin\?callbackUrl=%2Faccount$/);
  expect((await replayed.request.get("/api/account/api-keys")).status()).toBe(401);
  await replay.close();
});

test("the per-address limit counts the address the trusted proxy saw, not one a client names in the gallery's own header", async ({
  playwright,
}) => {
  const forwardedFor = "203.0.113.78";
  const wrongSignIn = async (headers: Record<string, string>) => {
    const client = await playwright.request.newContext({ baseURL: e2eBaseUrl, extraHTTPHeaders: headers });
    const { csrfToken } = (await (await client.get("/api/auth/csrf")).json()) as { csrfToken: string };
    // A new account each time, so the per-account lock never applies and only the address can.
    const response = await client.post("/api/auth/callback/credentials", {
      form: { email: newAccount().email, password: "wrong-password-guess", csrfToken, json: "true" },
      maxRedirects: 0,
    });
    await client.dispose();
    return response;
  };
  // Twenty failures, each claiming another address in x-signet-client-address: all count against 203.0.113.78.
  for (let failure = 0; failure < 20; failure += 1) {
    expect(
      (
        await wrongSignIn({ "x-forwarded-for": forwardedFor, "x-signet-client-address": `198.51.100.${failure}` })
      ).status(),
    ).toBe(401);
  }
  const limited = await wrongSignIn({ "x-forwarded-for": forwardedFor, "x-signet-client-address": "198.51.100.200" });
  expect(limited.status()).toBe(429);
  // Another address behind the same proxy is still answered (the stamp ran, so nobody shares an "unknown" bucket).
  expect((await wrongSignIn({ "x-forwarded-for": "203.0.113.79" })).status()).toBe(401);
});

test("repeated wrong passwords get 429 with Retry-After before any password is checked", async ({ playwright }) => {
  // An address of its own (the e2e server trusts loopback as its proxy, so X-Forwarded-For is
  // believed), so this test's failures do not count against the other specs' sign-ins.
  const client = await playwright.request.newContext({
    baseURL: e2eBaseUrl,
    extraHTTPHeaders: { "x-forwarded-for": "203.0.113.77" },
  });
  const email = newAccount().email;
  const attempt = async () => {
    const { csrfToken } = (await (await client.get("/api/auth/csrf")).json()) as { csrfToken: string };
    return client.post("/api/auth/callback/credentials", {
      form: { email, password: "wrong-password-guess", csrfToken, json: "true" },
      maxRedirects: 0,
    });
  };
  for (let failure = 0; failure < 6; failure += 1) expect((await attempt()).status()).toBe(401);
  const throttled = await attempt();
  expect(throttled.status()).toBe(429);
  expect(Number(throttled.headers()["retry-after"])).toBeGreaterThanOrEqual(25);
  expect(((await throttled.json()) as { error: { code: string } }).error.code).toBe("SIGN_IN_THROTTLED");
  await client.dispose();
});
