// Every page, as a person with a keyboard, a screen reader or a phone meets it: axe-core finds no
// serious or critical violation, the title names the page (404s too), nothing is wider than a
// 390 px phone (fingerprints wrap, tables scroll inside their own box), and each page is
// photographed at desktop and phone width. Then the keyboard: a skip link comes first, the
// header search shows where focus is, and the account menu closes on Escape.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS } from "@/scripts/db/demo-accounts";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { newAccount, signIn, signUp, snapshot } from "./helpers";
import { registerCertificate } from "./support/gallery";
import { issueGenuineCertificate } from "./support/pki";
import { uniquePackageId, uploadThroughPage } from "./upload-steps";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

test.describe.configure({ timeout: 600_000 });

interface PageCheck {
  path: string;
  name: string;
  /** The words the title must contain (beside the site's name). */
  title: RegExp;
  status?: number;
}

/**
 * axe, the title, phone width and screenshots for one page; every failure names the page, and
 * is soft, so one run reports every page's problems.
 */
async function checkPage(page: Page, check: PageCheck): Promise<void> {
  await page.setViewportSize(DESKTOP);
  const response = await page.goto(check.path);
  expect.soft(response?.status(), check.path).toBe(check.status ?? 200);
  await expect.soft(page, check.path).toHaveTitle(check.title);
  expect.soft(await page.title(), `${check.path} needs a title of its own`).not.toBe("Signet");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter(
    (violation) => violation.impact === "serious" || violation.impact === "critical",
  );
  expect
    .soft(
      serious.map(
        (violation) =>
          `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`,
      ),
      check.path,
    )
    .toEqual([]);
  await snapshot(page, `a11y-${check.name}`);

  await page.setViewportSize(PHONE);
  // The page itself must not scroll sideways; wide content scrolls inside its own box.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect.soft(width, `${check.path} is ${width}px wide on a 390px phone`).toBeLessThanOrEqual(PHONE.width);
  await snapshot(page, `a11y-${check.name}-phone`);
  await page.setViewportSize(DESKTOP);
}

/** The admin console's page of a certificate, found through its search by subject. */
async function adminCertificatePath(admin: Page, commonName: string): Promise<string> {
  await admin.goto(`/admin/certificates?q=${encodeURIComponent(commonName)}`);
  const href = await admin.getByRole("link", { name: `CN=${commonName}` }).getAttribute("href");
  expect(href).toMatch(/^\/admin\/certificates\/[^/]+$/);
  return href!;
}

test("every page: no serious axe violation, a title of its own, nothing wider than a phone", async ({
  page,
  browser,
}) => {
  const account = newAccount();
  await signUp(page, account);
  const packageId = uniquePackageId("E2E.Accessible");
  const published = await uploadThroughPage(
    page,
    "accessible.nupkg",
    Buffer.from(buildUnsignedPackage({ id: packageId, version: "1.0.0" })),
  );
  expect(published.status).toBe("accepted");
  const refused = await uploadThroughPage(page, "broken.nupkg", Buffer.from("not a zip"));
  const certificate = await issueGenuineCertificate(`E2E Accessible ${packageId}`);
  await registerCertificate(page.request, certificate);

  const memberPages: PageCheck[] = [
    { path: "/", name: "home", title: /who signed them/ },
    { path: "/packages", name: "packages", title: /Packages/ },
    { path: `/packages?q=${packageId}`, name: "search", title: /Packages/ },
    { path: `/packages/${packageId}`, name: "package", title: new RegExp(packageId) },
    { path: `/packages/${packageId}/1.0.0`, name: "package-version", title: new RegExp(`${packageId} 1\\.0\\.0`) },
    { path: `/packages/${packageId}/manage`, name: "package-manage", title: new RegExp(`Manage ${packageId}`) },
    {
      path: `/packages/${packageId}/1.0.0/graph`,
      name: "package-graph",
      title: new RegExp(`Dependency graph of ${packageId} 1\\.0\\.0`),
    },
    { path: "/verify", name: "verify", title: /Verify a copy/ },
    { path: "/upload", name: "upload", title: /Upload/ },
    { path: "/account", name: "account", title: /Account/ },
    { path: "/account/certificates", name: "certificates", title: /Certificates/ },
    { path: "/account/api-keys", name: "api-keys", title: /API keys/ },
    { path: "/account/trusted-publishing", name: "trusted-publishing", title: /Trusted publishing/ },
    { path: "/account/security", name: "security", title: /Security|sign-in/i },
    { path: "/account/uploads", name: "my-uploads", title: /My uploads/ },
    { path: `/account/uploads/${refused.attemptId}`, name: "my-upload", title: /Upload/ },
    { path: "/no/such/page", name: "not-found", title: /Page not found/, status: 404 },
    { path: "/packages/No.Such.Package.Anywhere", name: "package-not-found", title: /Package not found/, status: 404 },
  ];
  for (const check of memberPages) await checkPage(page, check);

  const visitor = await (await browser.newContext()).newPage();
  for (const check of [
    { path: "/signin", name: "signin", title: /Sign in/ },
    { path: "/signup", name: "signup", title: /Create|Sign up/i },
  ]) {
    await checkPage(visitor, check);
  }

  const admin = await (await browser.newContext()).newPage();
  await admin.goto("/admin");
  await signIn(admin, DEMO_ACCOUNTS[0].email, DEMO_ACCOUNTS[0].password);
  await expect(admin).toHaveURL(/\/admin$/);
  for (const check of [
    { path: "/admin", name: "admin", title: /Admin/ },
    { path: "/admin/uploads", name: "admin-uploads", title: /uploads/i },
    { path: `/admin/uploads/${refused.attemptId}`, name: "admin-upload", title: /Upload/ },
    { path: "/admin/certificates", name: "admin-certificates", title: /Certificates/ },
    {
      path: await adminCertificatePath(admin, certificate.commonName),
      name: "admin-certificate",
      title: /Certificate/,
    },
    { path: "/admin/reservations", name: "admin-reservations", title: /Reservations|prefix/i },
    { path: "/admin/users", name: "admin-users", title: /Users|Accounts/ },
    { path: "/admin/audit", name: "admin-audit", title: /Audit/ },
  ]) {
    await checkPage(admin, check);
  }
});

test("keyboard: a skip link first, a visible focus on the header search, the account menu closes on Escape", async ({
  page,
}) => {
  const account = newAccount();
  await signUp(page, account);
  await page.goto("/packages");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();

  const search = page.getByRole("banner").getByRole("searchbox", { name: "Search packages" });
  await search.focus();
  const outline = await search.evaluate((element) => {
    const style = getComputedStyle(element);
    return { style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth) };
  });
  expect(outline.style).not.toBe("none");
  expect(outline.width).toBeGreaterThanOrEqual(2);
  await snapshot(page, "keyboard-search-focus");

  // Every control in the header, and the first ones of the page, show a ring of their own when
  // the keyboard reaches them (Chromium's default 1 px ring is lost on the dark header).
  await page.goto("/packages");
  const rings: string[] = [];
  for (let step = 0; step < 12; step += 1) {
    await page.keyboard.press("Tab");
    const ring = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      const style = getComputedStyle(element);
      const name = `${element.tagName.toLowerCase()} "${(element.getAttribute("aria-label") ?? element.textContent ?? "").trim().slice(0, 30)}"`;
      return {
        name,
        style: style.outlineStyle,
        width: Number.parseFloat(style.outlineWidth),
        color: style.outlineColor,
        inHeader: element.closest("header") !== null,
      };
    });
    if (!ring) continue;
    rings.push(ring.name);
    expect.soft(ring.style, `${ring.name} shows no focus ring`).toBe("solid");
    expect.soft(ring.width, `${ring.name}'s focus ring is thin`).toBeGreaterThanOrEqual(2);
    // On the header's dark blue the ring is amber-400 (Chromium reports Tailwind's oklch as lab), not a blue that vanishes into it.
    if (ring.inHeader)
      expect
        .soft(ring.color, `${ring.name}'s focus ring in the header`)
        .toMatch(/^oklch\(0\.828 0\.189 84\.42|^lab\(80\.16\d* 16\.60\d* 99\.20\d*\)$|^rgb\(251, 191, 36\)$/);
  }
  expect(rings.length).toBeGreaterThan(5);
  // Form fields too: a light-blue glow on white was all they had.
  await page.goto("/account/api-keys");
  const field = page.getByLabel("Name", { exact: true });
  await field.focus();
  const fieldRing = await field.evaluate((element) => ({
    style: getComputedStyle(element).outlineStyle,
    width: Number.parseFloat(getComputedStyle(element).outlineWidth),
  }));
  expect(fieldRing.style).toBe("solid");
  expect(fieldRing.width).toBeGreaterThanOrEqual(2);

  const menu = page.getByLabel(`Account menu for ${account.username}`);
  await menu.focus();
  await page.keyboard.press("Enter");
  const signOutButton = page.getByRole("button", { name: "Sign out" });
  await expect(signOutButton).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(signOutButton).toBeHidden();
  await expect(menu).toBeFocused();
});
