// Anonymous readers get cached package pages (lib/http/page-cache.ts), and a cached page never
// outlives a change: a new version pushed through the API and a reservation written straight
// into the database (no page-cache code involved) both show on the very next load. Writes
// elsewhere (a sign-up, another package's new version) leave the copy in use.
import { expect, test } from "@playwright/test";
import { newAccount, signUp } from "./helpers";
import { createPushKey, publishPackageFile, reserveIds } from "./support/gallery";
import { writePackage } from "./support/pki";
import { uniquePackageId } from "./upload-steps";

test("anonymous package pages come from the cache until something on them changes", async ({
  browser,
  page,
  playwright,
}) => {
  const account = newAccount();
  await signUp(page, account);
  const secret = await createPushKey(page.request);
  const packageId = uniquePackageId("E2E.Cache");
  const otherId = uniquePackageId("E2E.Elsewhere");
  const pushOf = (id: string) => async (version: string) =>
    publishPackageFile(page.request, secret, await writePackage({ id, version }));
  const push = pushOf(packageId);
  await push("1.0.0");
  await pushOf(otherId)("1.0.0");

  const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const load = async () => {
    const response = await anonymous.get(`/packages/${packageId}`);
    // Each response has a script nonce of its own (lib/http/security-headers.ts); the rest is the page.
    const nonce =
      /'nonce-([A-Za-z0-9+/=]+)'/.exec(response.headers()["content-security-policy"] ?? "")?.[1] ?? "no nonce";
    return {
      status: response.status(),
      cache: response.headers()["x-signet-cache"],
      html: (await response.text()).replaceAll(nonce, ""),
    };
  };
  const first = await load();
  expect(first).toMatchObject({ status: 200, cache: "miss" });
  // The other worker's specs may reserve IDs or create packages meanwhile, which every package
  // page's stamp includes (lib/db/revision.ts): a miss is taken as such only when it repeats.
  const afterUnrelated = async (write: () => Promise<unknown>) => {
    for (let attempt = 1; ; attempt++) {
      await load(); // cached now, if it was not
      await write();
      const next = await load();
      if (next.cache === "hit" || attempt === 3) return next;
    }
  };
  const second = await afterUnrelated(async () => {});
  expect(second.cache).toBe("hit");
  expect(second.html).toBe(first.html);
  let otherVersion = 1;
  expect((await afterUnrelated(async () => pushOf(otherId)(`1.${otherVersion++}.0`))).cache).toBe("hit");
  expect(
    (
      await afterUnrelated(async () => {
        const stranger = await browser.newPage();
        await signUp(stranger, newAccount(), { secondFactor: false });
        await stranger.close();
      })
    ).cache,
  ).toBe("hit");

  await push("2.0.0");
  const afterPush = await load();
  expect(afterPush.cache).toBe("miss");
  expect(afterPush.html).toContain(`dotnet add package ${packageId} --version 2.0.0`);

  expect(afterPush.html).not.toContain("Verified: ");
  await reserveIds(packageId, account.username, { isPrefix: false });
  const afterReservation = await load();
  expect(afterReservation.cache).toBe("miss");
  expect(afterReservation.html).toContain("Verified: ");

  // Signed-in readers always get a fresh render (their header and manage link are their own).
  const signedIn = await page.request.get(`/packages/${packageId}`);
  expect(signedIn.headers()["x-signet-cache"]).toBeUndefined();
  await anonymous.dispose();
});

test("home and /packages come from the cache, show a publish or unlist on the next load, and no header skips the cache", async ({
  page,
  playwright,
}) => {
  const account = newAccount();
  await signUp(page, account);
  const secret = await createPushKey(page.request, ["push", "unlist"]);
  const word = `listing${Date.now().toString(36)}`;
  const firstId = uniquePackageId(`E2E.${word}.First`);
  const secondId = uniquePackageId(`E2E.${word}.Second`);
  const push = async (id: string) =>
    publishPackageFile(page.request, secret, await writePackage({ id, version: "1.0.0" }));
  await push(firstId);

  const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const load = async (path: string, headers: Record<string, string> = {}) => {
    const response = await anonymous.get(path, { headers });
    return { status: response.status(), cache: response.headers()["x-signet-cache"], html: await response.text() };
  };
  // The other worker's specs publish too, which moves the listings' stamp: a copy is expected
  // from the cache only when a load repeats at once, a few times over.
  const cachedLoad = async (path: string, headers: Record<string, string> = {}) => {
    for (let attempt = 1; ; attempt++) {
      const next = await load(path, headers);
      if (next.cache === "hit" || attempt === 5) return next;
    }
  };
  const search = `/packages?q=${word}`;
  const searched = await cachedLoad(search);
  expect(searched).toMatchObject({ status: 200, cache: "hit" });
  expect(searched.html).toContain(firstId);
  // Parameters the page ignores, or in another order, are the same page.
  expect((await cachedLoad(`/packages?utm_source=x&q=${word}&page=1`)).cache).toBe("hit");
  // The header the proxy once honoured to skip the cache is just a header now.
  const withHeader = await cachedLoad(search, { "x-signet-render": "1" });
  expect(withHeader.cache).toBe("hit");

  await push(secondId);
  const afterPublish = await load(search);
  expect(afterPublish.html).toContain(secondId);
  expect((await load("/")).html).toContain(secondId);

  const unlisted = await page.request.delete(`/api/v2/package/${firstId}/1.0.0`, {
    headers: { "X-NuGet-ApiKey": secret },
  });
  expect(unlisted.status()).toBe(200);
  const afterUnlist = await load(search);
  expect(afterUnlist.html).not.toContain(firstId);
  expect(afterUnlist.html).toContain(secondId);

  // Signed-in readers get their own render of the listings too.
  expect((await page.request.get(search)).headers()["x-signet-cache"]).toBeUndefined();
  await anonymous.dispose();
});
