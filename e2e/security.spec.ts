// Browser-side protections (issue 14) in Chromium: every page's Content Security Policy allows
// its scripts by a nonce that is fresh on every response, cached package pages included (and
// the pages still work under it); no other page may frame the gallery; a page on another port
// of the same host (same-site, so the session cookie goes along) cannot make changes; and the
// sign-in callback never leaves the site.
import { expect, test, type Page } from "@playwright/test";
import { newAccount, signUp } from "./helpers";
import { e2eBaseUrl } from "./support/environment";
import { createPushKey, publishPackageFile } from "./support/gallery";
import { writePackage } from "./support/pki";
import { uniquePackageId } from "./upload-steps";

// Same host, another port: the same site as the gallery, a different origin. Nothing listens
// there; Playwright answers for it.
const FOREIGN_ORIGIN = `http://127.0.0.1:${new URL(e2eBaseUrl).port === "1" ? 2 : 1}`;

function nonceOf(policy: string | undefined): string {
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy ?? "")?.[1];
  expect(nonce, `no nonce in ${policy}`).toBeTruthy();
  return nonce as string;
}

/** Every nonce attribute in the HTML, which must all be the policy's. */
function scriptNonces(html: string): Set<string> {
  return new Set([...html.matchAll(/<script[^>]* nonce="([^"]+)"/g)].map((match) => match[1] as string));
}

function collectPolicyViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test("pages carry the security headers and a per-response script nonce; cached package pages get a fresh one too", async ({
  page,
  playwright,
}) => {
  const account = newAccount();
  await signUp(page, account);
  const packageId = uniquePackageId("E2E.Csp");
  await publishPackageFile(
    page.request,
    await createPushKey(page.request),
    await writePackage({ id: packageId, version: "1.0.0" }),
  );

  const anonymous = await playwright.request.newContext({ baseURL: e2eBaseUrl });
  const loads: { path: string; nonce: string; cache: string | undefined; html: string }[] = [];
  const load = async (path: string) => {
    const response = await anonymous.get(path);
    const headers = response.headers();
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    const policy = headers["content-security-policy"];
    expect(policy, path).toContain("frame-ancestors 'none'");
    const nonce = nonceOf(policy);
    const html = await response.text();
    expect([...scriptNonces(html)], path).toEqual([nonce]);
    loads.push({ path, nonce, cache: headers["x-signet-cache"], html });
  };
  await load("/");
  await load("/signin");
  // Other specs running alongside raise the gallery revision now and then (a sign-up is enough),
  // which starts the cache afresh: load until two copies came from the cache.
  const packagePath = `/packages/${packageId}`;
  for (let attempt = 0; attempt < 20 && loads.filter((entry) => entry.cache === "hit").length < 2; attempt += 1)
    await load(packagePath);
  const hits = loads.filter((entry) => entry.cache === "hit");
  expect(hits.length).toBe(2);
  expect(new Set(loads.map((entry) => entry.nonce)).size).toBe(loads.length);
  // The cached copies are the same page, apart from the nonce.
  const withoutNonce = (entry: (typeof loads)[number]) => entry.html.replaceAll(entry.nonce, "");
  expect(withoutNonce(hits[1]!)).toBe(withoutNonce(hits[0]!));

  const api = await anonymous.get("/api/health");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  await anonymous.dispose();

  // A cache hit still runs its scripts under the policy: the inline flight data (which defines
  // self.__next_f) and Next's runtime chunks (which define window.next) both ran.
  const reader = await (await page.context().browser()!.newContext()).newPage();
  const violations = collectPolicyViolations(reader);
  let cache: string | undefined;
  for (let attempt = 0; attempt < 10 && cache !== "hit"; attempt += 1)
    cache = (await reader.goto(packagePath))?.headers()["x-signet-cache"];
  expect(cache).toBe("hit");
  await reader.waitForFunction(
    () => "__next_f" in self && typeof (window as { next?: { version?: string } }).next?.version === "string",
  );
  expect(violations).toEqual([]);
  await reader.context().close();
});

test("another page cannot frame the gallery", async ({ page }) => {
  await page.route(`${FOREIGN_ORIGIN}/**`, (route) =>
    route.fulfill({ contentType: "text/html", body: `<iframe name="target" src="${e2eBaseUrl}/signin"></iframe>` }),
  );
  await page.goto(`${FOREIGN_ORIGIN}/frame`);
  const frame = page.frame({ name: "target" });
  await expect
    .poll(async () => (await frame?.locator("form[aria-label='Sign in']").count()) ?? 0, { timeout: 3_000 })
    .toBe(0);
  expect(
    await frame
      ?.locator("body")
      .textContent()
      .catch(() => ""),
  ).not.toContain("Sign in");
});

test("a page on another port of the same host cannot create an API key with the visitor's session", async ({
  page,
}) => {
  await signUp(page, newAccount());
  await page.route(`${FOREIGN_ORIGIN}/**`, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<form id="f" method="POST" enctype="text/plain" action="${e2eBaseUrl}/api/account/api-keys">
        <input name='{"name":"stolen","scopes":["push"],"packageGlob":"*","expiresInDays":30,"x":"' value='"}'></form>
        <script>
          fetch("${e2eBaseUrl}/api/account/api-keys", { method: "POST", mode: "no-cors", credentials: "include",
            body: JSON.stringify({ name: "stolen-fetch", scopes: ["push"], packageGlob: "*", expiresInDays: 30 }) })
            .finally(() => document.getElementById("f").submit());
        </script>`,
    }),
  );
  const formAnswer = page.waitForResponse(
    (response) =>
      response.url() === `${e2eBaseUrl}/api/account/api-keys` &&
      response.request().method() === "POST" &&
      response.request().postData()?.includes("stolen") === true &&
      !response.request().postData()?.includes("stolen-fetch"),
  );
  await page.goto(`${FOREIGN_ORIGIN}/attack`);
  const answer = await formAnswer;
  expect(answer.status()).toBe(403);
  expect(await answer.text()).toContain("CROSS_SITE_REQUEST");

  const keys = await page.request.get("/api/account/api-keys");
  expect(((await keys.json()) as { apiKeys: unknown[] }).apiKeys).toEqual([]);
});

test("the sign-in callback stays on this site, whatever the address holds", async ({ page }) => {
  await signUp(page, newAccount());
  for (const callback of [
    "/%09/evil:8999/",
    "/%0A/evil:8999/",
    "/%0D%0A/evil:8999/",
    "/%5C/evil:8999/",
    "/.//evil:8999/",
    "//evil:8999/",
    "/%0A",
    "/%0D",
  ]) {
    const response = await page.goto(`/signin?callbackUrl=${callback}`);
    expect(response?.status(), callback).toBeLessThan(500);
    expect(new URL(page.url()).origin, callback).toBe(e2eBaseUrl);
  }
});
