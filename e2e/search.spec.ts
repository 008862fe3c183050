// Searching as a person does (issue 16): several words find a package whose ID they spell, each
// result is a card (icon, ID, latest version, signing badge, description, owners, total downloads,
// last update), the filters apply the moment they are toggled, and the order can be chosen
// (relevance, downloads, recently updated). Photographed at desktop and phone width.
import { expect, test, type Page } from "@playwright/test";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { newAccount, signUp, snapshot } from "./helpers";
import { uniquePackageId, uploadThroughPage } from "./upload-steps";

async function both(page: Page, name: string): Promise<void> {
  await snapshot(page, name);
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await snapshot(page, `${name}-phone`);
  await page.setViewportSize({ width: 1280, height: 720 });
}

test("several words, result cards, filters applied when toggled, sort by recently updated", async ({ page }) => {
  await signUp(page, newAccount());
  // "E2E.Findable.<hex>": the words "findable <hex>" spell the ID's parts.
  const stem = uniquePackageId("E2E.Findable");
  const suffix = stem.split(".").at(-1)!;
  const older = `${stem}.Older`;
  const newer = `${stem}.Newer`;
  const iconUrl = "https://icons.example.invalid/findable.png";
  for (const [id, version] of [
    [older, "1.0.0"],
    [older, "1.2.0"],
    [newer, "0.9.0"],
  ] as const) {
    const bytes = buildUnsignedPackage({ id, version, description: `The ${id} package, for the search test.`, metadataXml: `<iconUrl>${iconUrl}</iconUrl>` });
    expect((await uploadThroughPage(page, `${id}.${version}.nupkg`, Buffer.from(bytes))).status).toBe("accepted");
  }

  await page.goto(`/packages?q=${encodeURIComponent(`findable ${suffix}`)}`);
  const results = page.getByRole("list", { name: "Search results" });
  const cards = results.locator("[data-package]");
  await expect(cards).toHaveCount(2);
  const card = results.locator(`[data-package="${older}"]`);
  await expect(card.locator("[data-latest-version]")).toHaveText("1.2.0");
  await expect(card).toContainText(`The ${older} package, for the search test.`);
  await expect(card.locator("[data-downloads]")).toHaveText("0 downloads");
  await expect(card.locator("[data-signing]")).toContainText("Not signed");
  await expect(card.locator("img")).toHaveAttribute("src", iconUrl);
  await expect(card.locator("time")).toHaveAttribute("title", /UTC$/);
  await both(page, "search-results");

  // Ticking a filter searches again at once, without the Search button.
  await page.getByRole("checkbox", { name: "Signed only" }).check();
  await expect(page).toHaveURL(/[?&]signed=1/);
  await expect(page.getByText(/No packages found/)).toBeVisible();
  await page.getByRole("checkbox", { name: "Signed only" }).uncheck();
  await expect(page).not.toHaveURL(/signed=1/);
  await expect(cards).toHaveCount(2);

  // Recently updated puts the last published first; the choice stays in the address.
  await page.getByRole("combobox", { name: "Sort by" }).selectOption({ label: "Recently updated" });
  await expect(page).toHaveURL(/[?&]sort=recent/);
  await expect(cards.first()).toHaveAttribute("data-package", newer);
  await expect(page.getByRole("combobox", { name: "Sort by" })).toHaveValue("recent");
  await both(page, "search-sorted-recent");
});
