// The real NuGet client against the running gallery (`next start`): `dotnet nuget push` with a
// key made in the browser publishes a good package, prints the gallery's own sentence for a
// refused one, and is turned away with a wrong key. Nothing here imitates the client.
import { expect, test } from "@playwright/test";
import { runDotnet, type DotnetResult } from "@/test/support/dotnet";
import { newAccount, signUp, snapshot } from "./helpers";
import { e2eBaseUrl } from "./support/environment";
import { createPushKey } from "./support/gallery";
import { skipWithoutDotnet, dotnetOverlay, issueSigningIdentity, signPackage, writePackage } from "./support/pki";
import { uniquePackageId } from "./upload-steps";

function dotnetPush(file: string, apiKey: string): Promise<DotnetResult> {
  return runDotnet(dotnetOverlay(), [
    "nuget",
    "push",
    file,
    "--source",
    `${e2eBaseUrl}/v3/index.json`,
    "--api-key",
    apiKey,
    "--allow-insecure-connections",
  ]);
}

test("dotnet nuget push: published with a good key, the gallery's refusal printed, a wrong key refused", async ({
  page,
}) => {
  skipWithoutDotnet();
  test.setTimeout(120_000);
  await signUp(page, newAccount());
  const secret = await createPushKey(page.request);

  const goodId = uniquePackageId("E2E.DotnetPush");
  const good = await dotnetPush(await writePackage({ id: goodId, version: "1.0.0" }), secret);
  expect(good.exitCode, good.output).toBe(0);
  expect(good.output).toContain("Your package was pushed.");
  await page.goto(`/packages/${goodId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(goodId);
  await snapshot(page, "dotnet-push-published");

  // Signed with a certificate nobody registered: the gallery refuses, and the client shows why.
  const signer = await issueSigningIdentity("E2E Unregistered Signer");
  const refusedId = uniquePackageId("E2E.DotnetPush.Refused");
  const refused = await dotnetPush(
    await signPackage(await writePackage({ id: refusedId, version: "1.0.0" }), signer),
    secret,
  );
  expect(refused.exitCode).not.toBe(0);
  expect(refused.output).toContain("which is not registered to any owner of the package");
  expect((await page.request.get(`/packages/${refusedId}`)).status()).toBe(404);

  const wrongKey = await dotnetPush(
    await writePackage({ id: uniquePackageId("E2E.DotnetPush.WrongKey"), version: "1.0.0" }),
    `${secret}x`,
  );
  expect(wrongKey.exitCode).not.toBe(0);
  expect(wrongKey.output).toMatch(/401/);
});
