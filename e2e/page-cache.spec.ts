// Anonymous readers get cached package pages (lib/http/page-cache.ts), and a cached page never
// outlives a change: a new version pushed through the API and a reservation written straight
// into the database (no application code involved) both show on the very next load.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { createDb } from "@/lib/db";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { newAccount, signUp } from "./helpers";
import { e2eDatabaseUrl } from "./support/environment";
import { uniquePackageId } from "./upload-steps";

async function push(request: APIRequestContext, secret: string, id: string, version: string): Promise<void> {
  const response = await request.put("/api/v2/package/", {
    headers: { "X-NuGet-ApiKey": secret },
    multipart: { package: { name: "package.nupkg", mimeType: "application/octet-stream", buffer: Buffer.from(buildUnsignedPackage({ id, version })) } },
  });
  expect(response.status(), await response.text()).toBe(201);
}

async function reserveExactId(packageId: string, username: string): Promise<void> {
  const db = createDb(e2eDatabaseUrl);
  try {
    const owner = await db.user.findUniqueOrThrow({ where: { username } });
    await db.prefixReservation.create({
      data: { pattern: packageId, patternLower: packageId.toLowerCase(), isPrefix: false, owners: { create: [{ userId: owner.id }] } },
    });
  } finally {
    await db.$disconnect();
  }
}

test("anonymous package pages come from the cache until something on them changes", async ({ page, playwright }) => {
  const account = newAccount();
  await signUp(page, account);
  const created = await page.request.post("/api/account/api-keys", { data: { name: "cache test", scopes: ["push", "push-version"], packageGlob: "*", expiresInDays: 7 } });
  const { secret } = (await created.json()) as { secret: string };
  const packageId = uniquePackageId("E2E.Cache");
  await push(page.request, secret, packageId, "1.0.0");

  const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const load = async () => {
    const response = await anonymous.get(`/packages/${packageId}`);
    return { status: response.status(), cache: response.headers()["x-signet-cache"], html: await response.text() };
  };
  const first = await load();
  expect(first).toMatchObject({ status: 200, cache: "miss" });
  const second = await load();
  expect(second.cache).toBe("hit");
  expect(second.html).toBe(first.html);

  await push(page.request, secret, packageId, "2.0.0");
  const afterPush = await load();
  expect(afterPush.cache).toBe("miss");
  expect(afterPush.html).toContain(`dotnet add package ${packageId} --version 2.0.0`);

  expect(afterPush.html).not.toContain("Verified: ");
  await reserveExactId(packageId, account.username);
  const afterReservation = await load();
  expect(afterReservation.cache).toBe("miss");
  expect(afterReservation.html).toContain("Verified: ");

  // Signed-in readers always get a fresh render (their header and manage link are their own).
  const signedIn = await page.request.get(`/packages/${packageId}`);
  expect(signedIn.headers()["x-signet-cache"]).toBeUndefined();
  await anonymous.dispose();
});
