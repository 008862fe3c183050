import { expect, test } from "@playwright/test";
import { DEMO_ACCOUNTS } from "@/scripts/db/demo-accounts";
import { signIn, signOut, snapshot } from "./helpers";

test("the home page has the search box, Upload and sign-in, and the recently published list", async ({ page }) => {
  await page.goto("/");
  const header = page.getByRole("navigation", { name: "Site" });
  await expect(header.getByRole("link", { name: "Upload" })).toHaveAttribute("href", "/upload");
  await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();
  // Other specs publish packages in parallel, so the list may or may not be empty here.
  await expect(page.getByRole("heading", { name: "Recently published", level: 2 })).toBeVisible();
  await snapshot(page, "home");

  await page.getByRole("searchbox").first().fill("Newtonsoft.Json");
  await page.getByRole("searchbox").first().press("Enter");
  await expect(page).toHaveURL(/\/packages\?q=Newtonsoft\.Json$/);
});

test("the layout works at phone width", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto("/");
  await expect(page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await snapshot(page, "home-phone");
});

test("the account menu lists the account pages, with Admin only for admins", async ({ page }) => {
  const [admin, author] = DEMO_ACCOUNTS;
  await page.goto("/signin");
  await signIn(page, author.email, author.password);
  await page.getByLabel(`Account menu for ${author.username}`).click();
  const menu = page.getByRole("list").filter({ has: page.getByRole("button", { name: "Sign out" }) });
  for (const name of ["Account", "Certificates", "API keys", "Trusted publishing", "My uploads"]) {
    await expect(menu.getByRole("link", { name })).toBeVisible();
  }
  await expect(menu.getByRole("link", { name: "Admin" })).toHaveCount(0);
  await snapshot(page, "account-menu");
  await signOut(page, author.username);

  await page.goto("/signin");
  await signIn(page, admin.email, admin.password);
  await page.getByLabel(`Account menu for ${admin.username}`).click();
  await expect(page.getByRole("link", { name: "Admin" })).toBeVisible();
});

test("unknown pages get a 404 page and the health check reports both dependencies", async ({ page, request }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({
    status: "ok",
    database: { ok: true, dialect: "sqlite" },
    storage: { ok: true },
  });
});
