// API keys in the browser: the form's checks, the secret shown once with its copy button and
// push command, the key working against the push API, revocation with confirmation, and the
// revoked key refused. Pushes go through Playwright's HTTP client as multipart PUTs, the way
// `dotnet nuget push` sends them.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { fieldError, newAccount, signUp, snapshot } from "./helpers";
import { pushPackage } from "./support/gallery";

function pushUnsigned(request: APIRequestContext, secret: string, id: string) {
  return pushPackage(request, secret, buildUnsignedPackage({ id, version: "1.0.0" }));
}

async function openPage(page: Page): Promise<string> {
  const account = newAccount();
  await signUp(page, account);
  await page.goto("/account/api-keys");
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  return account.username;
}

test("create a key: the form's checks, the secret shown once with a copy button, and the key pushes", async ({
  page,
  request,
}) => {
  const username = await openPage(page);
  const prefix = `E2e.${username.replace(/-/g, "")}`;
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(fieldError(page, "name")).toHaveText("Give the key a name, so you can tell it apart later.");

  await page.getByLabel("Name").fill("Release pipeline");
  await page.getByLabel("Push new packages and new versions").uncheck();
  await page.getByLabel("Package IDs (glob pattern)").fill("Contoso Core");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(fieldError(page, "scopes")).toHaveText(
    "Choose at least one scope: a key without scopes could do nothing.",
  );
  await expect(fieldError(page, "packageGlob")).toContainText("'*' as the only wildcard");
  await snapshot(page, "api-keys-form-errors");

  await page.getByLabel("Push new packages and new versions").check();
  await page.getByLabel("Unlist and relist versions").check();
  await page.getByLabel("Package IDs (glob pattern)").fill(`${prefix}.*`);
  await page.getByLabel("Expires in").selectOption("30");
  await page.getByRole("button", { name: "Create key" }).click();

  const created = page.getByRole("status", { name: "New API key" });
  const secret = (await created.locator("[data-secret]").textContent()) ?? "";
  expect(secret).toMatch(/^signet_[A-Za-z0-9_-]{43}$/);
  await expect(created.locator("[data-push-command]")).toHaveText(
    `dotnet nuget push <package>.nupkg -s http://127.0.0.1:${new URL(page.url()).port}/v3/index.json -k ${secret} --allow-insecure-connections`,
  );
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await created.getByRole("button", { name: "Copy key" }).click();
  await expect(created.getByRole("button", { name: "Copied", exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  const entry = page.getByRole("listitem", { name: "Release pipeline" });
  await expect(entry.locator("[data-state]")).toHaveText("Active");
  await expect(entry.locator("[data-scopes]")).toHaveText(
    "Push new packages and new versions; Unlist and relist versions",
  );
  await expect(entry.locator("[data-glob]")).toHaveText(`${prefix}.*`);
  await snapshot(page, "api-keys-created");

  const pushed = await pushUnsigned(request, secret, `${prefix}.Tools`);
  expect(pushed.status()).toBe(201);
  const outside = await pushUnsigned(request, secret, `Other.${username.replace(/-/g, "")}`);
  expect(outside.status()).toBe(403);
  expect(outside.statusText()).toContain(`only works for package IDs matching '${prefix}.*'`);

  // Shown once: after a reload only the prefix is left.
  await page.reload();
  await expect(page.getByRole("status", { name: "New API key" })).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(page.getByRole("listitem", { name: "Release pipeline" })).toContainText(secret.slice(0, 11));
  await expect(page.getByRole("listitem", { name: "Release pipeline" })).not.toContainText("Never");
});

test("revoke a key after confirming: it is listed as revoked and the push API refuses it with 401", async ({
  page,
  request,
}) => {
  const username = await openPage(page);
  await page.getByLabel("Name").fill("Laptop");
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByRole("status", { name: "New API key" }).locator("[data-secret]").textContent()) ?? "";
  await page.getByRole("button", { name: "I have copied the key" }).click();

  const entry = page.getByRole("listitem", { name: "Laptop" });
  await entry.getByRole("button", { name: "Revoke" }).click();
  await entry.getByRole("button", { name: "Keep it" }).click();
  await expect(entry.locator("[data-state]")).toHaveText("Active");
  await entry.getByRole("button", { name: "Revoke" }).click();
  await expect(entry.getByRole("alertdialog", { name: "Confirm revocation" })).toContainText(
    "will be refused from now on",
  );
  await snapshot(page, "api-keys-confirm-revoke");
  await entry.getByRole("button", { name: "Yes, revoke it" }).click();
  await expect(entry.locator("[data-state]")).toHaveText("Revoked");
  await expect(entry.getByRole("button", { name: "Revoke" })).toHaveCount(0);

  const refused = await pushUnsigned(request, secret, `E2e.${username.replace(/-/g, "")}.Revoked`);
  expect(refused.status()).toBe(401);
  expect(refused.statusText()).toMatch(/^This API key was revoked on .+; create a new key\.$/);
  await page.reload();
  await expect(page.getByRole("listitem", { name: "Laptop" }).locator("[data-state]")).toHaveText("Revoked");
});
