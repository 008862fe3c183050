// Trusted publishing in the browser: an owner adds a policy on the Trusted publishing page (a
// refused one says why in a sentence), sees it pending first use with the exact workflow to use;
// a stand-in CI job (the e2e OIDC issuer, GitHub Actions' claims) exchanges its token for a key
// and pushes; the policy is then bound to the repository's numeric IDs with its last use, the
// version page shows the provenance panel, and removing the policy refuses the next token.
import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { githubClaims } from "@/test/support/oidc-issuer";
import { newAccount, signUp, snapshot } from "./helpers";
import { e2eBaseUrl, e2eOidcIssuerUrl } from "./support/environment";
import { pushPackage } from "./support/gallery";

/** What a CI job does: ask its runner for an OIDC token naming the gallery, and exchange it. */
async function exchangeJobToken(
  request: APIRequestContext,
  repository: string,
): Promise<{ status: number; body: { apiKey?: string; error?: { code: string; message: string } } }> {
  const issued = await request.post(`${e2eOidcIssuerUrl}/token`, {
    data: { claims: githubClaims({ repository, repository_id: "31337", repository_owner_id: "4711" }) },
  });
  expect(issued.status(), await issued.text()).toBe(200);
  const { value: token } = (await issued.json()) as { value: string };
  const exchanged = await request.post("/api/trusted-publishing/exchange", { data: { token } });
  return {
    status: exchanged.status(),
    body: (await exchanged.json()) as { apiKey?: string; error?: { code: string; message: string } },
  };
}

test("add a policy, publish from a CI job through it, see it bound with its last use and the version's provenance, then remove it", async ({
  page,
  request,
}) => {
  await signUp(page, newAccount());
  const suffix = randomBytes(3).toString("hex");
  const packageId = `E2e.Trusted${suffix}`;
  const repository = `contoso-${suffix}/lib`;
  await page.goto("/account/trusted-publishing");
  await expect(page.getByRole("heading", { name: "Trusted publishing", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Policies: 0" })).toBeVisible();

  const form = page.getByRole("form", { name: "Add a trusted-publishing policy" });
  const problems = form.getByRole("alert", { name: "Policy problems" });
  await form.getByLabel("CI system").selectOption(e2eOidcIssuerUrl);
  await form.getByLabel("Package ID or prefix").fill("Nobody.*");
  await form.getByLabel("Repository").fill(repository);
  await form.getByLabel("Workflow file").fill(".github/workflows/release.yml");
  await form.getByRole("button", { name: "Add policy" }).click();
  await expect(problems).toContainText(
    "A policy for the prefix Nobody.* needs a prefix reservation of yours that covers it",
  );

  await form.getByLabel("Package ID or prefix").fill(packageId);
  await form.getByLabel("Workflow file").fill("release.yml");
  await form.getByRole("button", { name: "Add policy" }).click();
  await expect(problems).toContainText(
    "The workflow is the workflow file's path in the repository, such as .github/workflows/release.yml, not 'release.yml'.",
  );

  await form.getByLabel("Workflow file").fill(".github/workflows/release.yml");
  await form.getByLabel("Environment (optional)").fill("release");
  await form.getByRole("button", { name: "Add policy" }).click();
  const entry = page.getByRole("listitem", { name: `${packageId} from ${repository}` });
  await expect(entry.locator("[data-policy-state]")).toHaveText("Pending first use");
  await expect(entry.locator("[data-policy-last-used]")).toHaveText("Never");
  await entry.getByText("Workflow to use").click();
  const snippet = entry.locator("[data-policy-snippet]");
  await expect(snippet).toContainText("id-token: write");
  await expect(snippet).toContainText(`SIGNET_AUDIENCE: '${e2eBaseUrl}'`);
  await expect(snippet).toContainText(`SIGNET_EXCHANGE: '${e2eBaseUrl}/api/trusted-publishing/exchange'`);
  await expect(snippet).toContainText(`SIGNET_SOURCE: '${e2eBaseUrl}/v3/index.json'`);
  await expect(snippet).toContainText("environment: 'release'");
  await expect(snippet).toContainText(`for package in out/${packageId}.[0-9]*.nupkg; do`);
  await snapshot(page, "trusted-publishing-pending");

  const exchanged = await exchangeJobToken(request, repository);
  expect(exchanged.status, JSON.stringify(exchanged.body)).toBe(200);
  const pushed = await pushPackage(
    request,
    exchanged.body.apiKey ?? "",
    buildUnsignedPackage({ id: packageId, version: "1.0.0" }),
  );
  expect(pushed.status(), await pushed.text()).toBe(201);

  await page.reload();
  await expect(entry.locator("[data-policy-state]")).toHaveText("Bound");
  await expect(entry.locator("[data-policy-binding]")).toContainText(
    "Bound to repository ID 31337, owner ID 4711 since its first use on",
  );
  await expect(entry.locator("[data-policy-last-used]")).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  await snapshot(page, "trusted-publishing-bound");

  await page.goto(`/packages/${packageId}/1.0.0`);
  const provenance = page.getByRole("region", { name: "Provenance", exact: true });
  await expect(provenance.getByRole("heading")).toHaveText("Published by trusted publishing from GitHub Actions");
  await expect(provenance).toContainText(`${repository} (ID 31337)`);
  await expect(provenance).toContainText(".github/workflows/release.yml");
  await expect(provenance).toContainText("0123456789abcdef0123456789abcdef01234567 (refs/tags/v1.0.0)");
  await expect(provenance).toContainText("987654321, attempt 1");
  await expect(provenance).toContainText("Environmentrelease");
  await expect(provenance).toContainText(e2eOidcIssuerUrl);
  await snapshot(page, "trusted-publishing-provenance");

  await page.goto("/account/trusted-publishing");
  await entry.getByRole("button", { name: "Remove" }).click();
  await expect(entry.getByRole("alertdialog")).toContainText("tokens from this workflow are refused");
  await entry.getByRole("button", { name: "Yes, remove it" }).click();
  await expect(page.getByRole("heading", { name: "Policies: 0" })).toBeVisible();
  const refused = await exchangeJobToken(request, repository);
  expect(refused.status).toBe(403);
  expect(refused.body.error?.code).toBe("TRUSTED_PUBLISHING_NO_POLICY");
});
