// The consumer's view in the browser: a version page says what NuGet does under each policy and
// links to the dependency graph, which lists every package with its flags, names what is
// missing, and offers the nuget.config to copy or download.
import { expect, test } from "@playwright/test";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { newAccount, signUp, snapshot } from "./helpers";
import { createPushKey, pushPackage } from "./support/gallery";
import { uniquePackageId } from "./upload-steps";

test("version page verdicts, the dependency graph and its nuget.config", async ({ page }) => {
  await signUp(page, newAccount());
  const secret = await createPushKey(page.request);
  const root = uniquePackageId("E2E.Graph.Root");
  const library = uniquePackageId("E2E.Graph.Library");
  const missing = uniquePackageId("E2E.Graph.Gone");
  const dependencies = `\n    <dependencies><group targetFramework="net8.0"><dependency id="${library}" version="1.0.0" /><dependency id="${missing}" version="2.0.0" /></group></dependencies>`;
  expect(
    (await pushPackage(page.request, secret, buildUnsignedPackage({ id: library, version: "1.0.0" }))).status(),
  ).toBe(201);
  expect(
    (
      await pushPackage(
        page.request,
        secret,
        buildUnsignedPackage({ id: root, version: "1.0.0", metadataXml: dependencies }),
      )
    ).status(),
  ).toBe(201);

  await page.goto(`/packages/${root}/1.0.0`);
  const verdicts = page.getByRole("region", { name: "What NuGet does with this version" });
  // An unsigned upload is served with the gallery's repository signature: Secure trusts it through the gallery's entry.
  await expect(verdicts.locator('tr[data-mode="developer"]')).toHaveAttribute("data-outcome", "accept");
  await expect(verdicts.locator('tr[data-mode="secure"]')).toHaveAttribute("data-outcome", "accept");
  await verdicts.getByRole("link", { name: "Dependency graph, trusted signers and nuget.config" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Dependency graph of ${root} 1.0.0`);
  await expect(page.locator(`tr[data-package="${library}"]`)).toHaveAttribute("data-flags", "unsigned");
  await expect(page.locator(`[data-missing-package="${missing}"]`)).toContainText(
    "restore with the nuget.config below fails with NU1100",
  );
  const graphVerdicts = page.getByRole("region", { name: "What NuGet does with this graph" });
  await expect(graphVerdicts.locator('tr[data-mode="default"]')).toHaveAttribute("data-code", "NU1100");
  const config = page.locator("#nuget-config");
  await expect(config).toContainText(`<package pattern="${library}" />`);
  await expect(config).toContainText('<add key="signatureValidationMode" value="require" />');
  await expect(config).toContainText("<repository name=");
  await snapshot(page, "dependency-graph");

  const download = page.getByRole("link", { name: "Download nuget.config" });
  const response = await page.request.get((await download.getAttribute("href")) ?? "");
  expect(response.headers()["content-disposition"]).toBe('attachment; filename="nuget.config"');
  expect(await response.text()).toBe(await config.textContent());
});
