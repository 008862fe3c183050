// Searching as a person does (issue 16): several words find a package whose ID they spell, each
// result is a card (icon, ID, latest version, signing badge, description, owners, total downloads,
// last update), the filters apply the moment they are toggled, and the order can be chosen
// (relevance, downloads, recently updated). A signed package under a reserved ID shows its
// Verified check, its "Signed by" badge and the target frameworks of its latest listed version.
// Photographed at desktop and phone width.
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { newAccount, signUp, snapshot } from "./helpers";
import { registerCertificate, reserveIds } from "./support/gallery";
import { issueGenuineCertificate, signPackageInProcess, writePackage } from "./support/pki";
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
    const bytes = buildUnsignedPackage({
      id,
      version,
      description: `The ${id} package, for the search test.`,
      metadataXml: `<iconUrl>${iconUrl}</iconUrl>`,
    });
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

test("a signed package under a reserved ID: icon, description, downloads, latest listed version, target frameworks, Verified and Signed badges on its card", async ({
  page,
}) => {
  const account = newAccount();
  await signUp(page, account);
  const packageId = uniquePackageId("E2E.Card");
  const signer = await issueGenuineCertificate(`E2E Card Signer ${packageId}`);
  await registerCertificate(page.request, signer);
  const iconUrl = "https://icons.example.invalid/card.png";
  const groups = (frameworks: readonly string[]) =>
    `<dependencies>${frameworks.map((framework) => `<group targetFramework="${framework}"><dependency id="Some.Dependency" version="1.0.0" /></group>`).join("")}</dependencies>`;
  const publish = async (version: string, frameworks: readonly string[]) => {
    const unsigned = await writePackage({
      id: packageId,
      version,
      description: `The card test's package, version ${version}.`,
      metadataXml: `<iconUrl>${iconUrl}</iconUrl>${groups(frameworks)}`,
    });
    const signed = await signPackageInProcess(unsigned, signer.certificate);
    const verdict = await uploadThroughPage(page, `${packageId}.${version}.nupkg`, Buffer.from(await readFile(signed)));
    expect(verdict.status, JSON.stringify(verdict)).toBe("accepted");
  };
  await publish("1.0.0", ["net462"]);
  await publish("2.0.0", [".NETStandard2.0", "net8.0"]);
  await reserveIds(packageId, account.username, { isPrefix: false });

  await page.goto(`/packages?q=${encodeURIComponent(packageId)}`);
  const card = page.getByRole("list", { name: "Search results" }).locator(`[data-package="${packageId}"]`);
  await expect(card.locator("img")).toHaveAttribute("src", iconUrl);
  await expect(card).toContainText("The card test's package, version 2.0.0.");
  await expect(card.locator("[data-downloads]")).toHaveText("0 downloads");
  await expect(card.locator("[data-latest-version]")).toHaveText("2.0.0");
  await expect(card.getByRole("list", { name: "Target frameworks" }).getByRole("listitem")).toHaveText([
    "netstandard2.0",
    "net8.0",
  ]);
  await expect(card.locator("[data-verified]")).toBeVisible();
  await expect(card.locator("[data-verified]")).toContainText("ID reserved");
  await expect(card.locator("[data-verified]")).toHaveAttribute("title", /not whether a version is safe/);
  const signing = card.locator("[data-signing]");
  await expect(signing).toHaveAttribute("data-signing", "signed");
  await expect(signing).toHaveText(new RegExp(`Signed by E2E Card Signer ${packageId}`));
  await both(page, "search-card-signed-verified");

  // Unlisting the latest version puts the card back on 1.0.0 and its framework.
  await page.goto(`/packages/${packageId}/manage`);
  const latest = page.getByRole("list", { name: "Versions" }).locator('[data-version="2.0.0"]');
  await latest.getByRole("button", { name: "Unlist 2.0.0" }).click();
  await expect(latest).toContainText("unlisted");
  await page.goto(`/packages?q=${encodeURIComponent(packageId)}`);
  await expect(card.locator("[data-latest-version]")).toHaveText("1.0.0");
  await expect(card.getByRole("list", { name: "Target frameworks" }).getByRole("listitem")).toHaveText(["net462"]);
});
