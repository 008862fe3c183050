// Download counts as people see them: packages downloaded from the flat container (a resumed
// range does not count again) show per-version downloads in the versions table, the total and
// today's row of the per-day table on the package page once the roll-up job has run (every 2 s
// in the e2e server, SIGNET_DOWNLOAD_ROLLUP_SECONDS). Photographed at desktop and phone width.
import { expect, test } from "@playwright/test";
import { newAccount, signUp, snapshot } from "./helpers";
import { createPushKey, publishPackageFile } from "./support/gallery";
import { writePackage } from "./support/pki";
import { uniquePackageId } from "./upload-steps";

test("per-version downloads show on the package page after downloads", async ({ page, playwright }) => {
  await signUp(page, newAccount());
  const secret = await createPushKey(page.request);
  const packageId = uniquePackageId("E2E.Counted");
  for (const version of ["1.0.0", "2.0.0"])
    await publishPackageFile(page.request, secret, await writePackage({ id: packageId, version }));

  const today = new Date().toISOString().slice(0, 10);
  const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const lower = packageId.toLowerCase();
  const fileOf = (version: string) => `/v3-flatcontainer/${lower}/${version}/${lower}.${version}.nupkg`;
  for (const [version, headers, status] of [
    ["1.0.0", {}, 200],
    ["1.0.0", { Range: "bytes=0-99" }, 206],
    // Resuming the download above: the same download, not counted again.
    ["1.0.0", { Range: "bytes=100-" }, 206],
    ["2.0.0", {}, 200],
  ] as const) {
    const response = await anonymous.get(fileOf(version), { headers });
    expect(response.status()).toBe(status);
  }

  const row = (version: string) => page.locator(`tr[data-version="${version}"] td[data-downloads]`);
  await expect(async () => {
    await page.goto(`/packages/${packageId}`);
    await expect(row("1.0.0")).toHaveText("2", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(row("2.0.0")).toHaveText("1");
  await expect(page.locator("[data-total-downloads]")).toHaveText("3");
  await page.getByText("Downloads per day").click();
  await expect(page.locator(`tr[data-day="${today}"] td`).nth(1)).toHaveText("3");
  await snapshot(page, "package-downloads");
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await snapshot(page, "package-downloads-phone");
});
