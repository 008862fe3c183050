import { expect, test } from "@playwright/test";
import { DEMO_ACCOUNTS } from "@/scripts/db/demo-accounts";
import { signIn } from "./helpers";

test("odd addresses and hand-made requests get a page or a 4xx, never a 500", async ({ request }) => {
  const pages = [
    "/",
    "/signin",
    "/signup",
    "/signin?callbackUrl=https%3A%2F%2Fevil.example%2F",
    "/signin?error=SomethingUnheardOf",
    "/signin?callbackUrl=%00%ff",
    "/account",
    "/api/auth/session",
    "/api/auth/providers",
  ];
  for (const url of pages) {
    const response = await request.get(url, { maxRedirects: 0 });
    expect(response.status(), url).toBeLessThan(500);
  }
  const garbage = await request.post("/api/auth/callback/credentials", {
    form: { email: "x".repeat(5000), password: "", csrfToken: "forged" },
    maxRedirects: 0,
  });
  expect(garbage.status()).toBeLessThan(500);
  const wrongMethod = await request.post("/api/health");
  expect(wrongMethod.status()).toBe(405);
});

test("a tampered session cookie is treated as signed out", async ({ page, context, baseURL }) => {
  await context.addCookies([{ name: "next-auth.session-token", value: "not-a-real-token", url: baseURL! }]);
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Sign in" })).toBeVisible();
});

test("sign-in never sends people to another site after signing in", async ({ page }) => {
  await page.goto("/signin?callbackUrl=https%3A%2F%2Fevil.example%2F");
  const author = DEMO_ACCOUNTS[1];
  await signIn(page, author.email, author.password);
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);
});
