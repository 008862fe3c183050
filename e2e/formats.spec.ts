// One form each for times, distinguished names and fingerprints, on every page that shows them
// (issue 16), photographed at desktop (1280 px) and phone (390 px) width:
// - a time is a <time> whose words are "3 days ago" (or, for a validity period, the calendar
//   date) and whose title is the full UTC moment ("2026-11-23 14:05:09 UTC"); a sentence that
//   cannot carry a <time> (a refusal `dotnet nuget push` prints too) writes that full UTC form;
// - a distinguished name is written CN first, attributes separated by ", " (as `dotnet nuget
//   verify` prints them);
// - a fingerprint is upper-case hex pairs joined by colons, as `openssl x509 -fingerprint` prints.
// Every other piece of visible text is read too: a raw ISO time, an "X=…" name or a hex digest
// outside those elements is a page that writes them its own way. Code a person copies (nuget.config,
// commands) is left alone: NuGet wants fingerprints there as plain hex.
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_ACCOUNTS } from "@/scripts/db/demo-accounts";
import { newAccount, signIn, signUp, snapshot } from "./helpers";
import { registerCertificate } from "./support/gallery";
import { issueGenuineCertificate, signPackageInProcess, writePackage } from "./support/pki";
import { uniquePackageId, uploadThroughPage } from "./upload-steps";

test.describe.configure({ timeout: 600_000 });

interface FormatReport {
  times: number;
  names: number;
  fingerprints: number;
  problems: string[];
}

/** Reads the page as a person sees it and lists every time, name or fingerprint written in another form. */
async function readFormats(page: Page): Promise<FormatReport> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const FULL_UTC = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/;
    const TIME_WORDS =
      /^(just now|\d+ (second|minute|hour|day|month|year)s? ago|in \d+ (second|minute|hour|day|month|year)s?|yesterday|tomorrow|last (month|year)|next (month|year)|\d{4}-\d{2}-\d{2})$/;
    const FINGERPRINT = /^[0-9A-F]{2}(:[0-9A-F]{2}){19,63}$/;
    const visible = (element: Element) =>
      (element as HTMLElement).offsetParent !== null || getComputedStyle(element).position === "fixed";

    const times = [...document.querySelectorAll("main time")];
    for (const time of times) {
      const text = time.textContent?.trim() ?? "";
      if (!FULL_UTC.test(time.getAttribute("title") ?? ""))
        problems.push(`<time> "${text}" has no full UTC title (title="${time.getAttribute("title")}")`);
      if (Number.isNaN(Date.parse(time.getAttribute("datetime") ?? "")))
        problems.push(`<time> "${text}" has no datetime`);
      if (!TIME_WORDS.test(text)) problems.push(`<time> reads "${text}"`);
    }
    const names = [...document.querySelectorAll("main [data-dn]")];
    for (const name of names) {
      const text = name.textContent?.trim() ?? "";
      if (/\bCN=/.test(text) && !text.startsWith("CN=")) problems.push(`name "${text}" does not start with its CN`);
      if (/[^\\],[A-Za-z.\d]+=/.test(text)) problems.push(`name "${text}" is not separated by ", "`);
    }
    const fingerprints = [...document.querySelectorAll("main [data-fingerprint]")];
    for (const fingerprint of fingerprints) {
      const text = fingerprint.textContent?.trim() ?? "";
      if (!FINGERPRINT.test(text)) problems.push(`fingerprint "${text}"`);
    }

    // Everything else a person reads: no time, name or digest in a form of its own.
    const skip = "time, [data-dn], [data-fingerprint], pre, textarea, input, script, style";
    const walker = document.createTreeWalker(document.querySelector("main") ?? document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest(skip) || !visible(parent)) continue;
      const text = node.textContent ?? "";
      const context = text.trim().slice(0, 120);
      // A moment has its <time>; a sentence that cannot hold one (a message a client prints too)
      // writes the full UTC form. A calendar date may sit inside a sentence, never alone.
      const moments = text.match(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?Z?( UTC)?/g) ?? [];
      if (moments.some((moment) => !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/.test(moment)))
        problems.push(`a time outside <time>: "${context}"`);
      else if (/^[\s(]*\d{4}-\d{2}-\d{2}([\s,]+(to|-|–)?[\s]*\d{4}-\d{2}-\d{2})?[\s).]*$/.test(text))
        problems.push(`a date outside <time>: "${context}"`);
      // Names in sentences are in the one form too: ", " between attributes, the CN first.
      if (/\b[A-Za-z]+=[^,=\s\\][^,=\\]*,[A-Za-z]+=/.test(text))
        problems.push(`a distinguished name without ", ": "${context}"`);
      if (/\b(O|OU|C|L|ST)=[^=]*,\s*CN=/.test(text))
        problems.push(`a distinguished name with its CN not first: "${context}"`);
      if (/\b[0-9a-fA-F]{40,}\b/.test(text)) problems.push(`a fingerprint as bare hex: "${context}"`);
      for (const pairs of text.match(/\b[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){15,}\b/g) ?? []) {
        if (pairs !== pairs.toUpperCase()) problems.push(`a fingerprint in lower case: "${context}"`);
      }
    }
    return { times: times.length, names: names.length, fingerprints: fingerprints.length, problems };
  });
}

interface Expected {
  times?: boolean;
  names?: boolean;
  fingerprints?: boolean;
}

/** Checks the page at both widths (soft, so one run reports every page) and photographs it. */
async function checkFormats(page: Page, name: string, expected: Expected): Promise<void> {
  for (const [width, height, suffix] of [
    [1280, 800, ""],
    [390, 844, "-phone"],
  ] as const) {
    await page.setViewportSize({ width, height });
    const report = await readFormats(page);
    expect.soft(report.problems, `${name} at ${width}px`).toEqual([]);
    if (expected.times) expect.soft(report.times, `${name} shows times`).toBeGreaterThan(0);
    if (expected.names) expect.soft(report.names, `${name} shows distinguished names`).toBeGreaterThan(0);
    if (expected.fingerprints) expect.soft(report.fingerprints, `${name} shows fingerprints`).toBeGreaterThan(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect.soft(overflow, `${name} is ${overflow}px wide at ${width}px`).toBeLessThanOrEqual(width);
    await snapshot(page, `formats-${name}${suffix}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("times, distinguished names and fingerprints have one form on every page", async ({ page, browser }) => {
  const account = newAccount();
  await signUp(page, account);
  const packageId = uniquePackageId("E2E.Formats");
  const signer = await issueGenuineCertificate(`E2E Formats ${packageId}`);
  await registerCertificate(page.request, signer);
  const signed = await signPackageInProcess(
    await writePackage({
      id: packageId,
      version: "1.0.0",
      metadataXml: `<dependencies><group targetFramework="net8.0" /></dependencies>`,
    }),
    signer.certificate,
  );
  const published = await uploadThroughPage(page, `${packageId}.1.0.0.nupkg`, Buffer.from(await readFile(signed)));
  expect(published.status, JSON.stringify(published)).toBe("accepted");

  const pages: Array<[string, string, Expected]> = [
    ["/packages?q=" + packageId, "search", { times: true }],
    [`/packages/${packageId}`, "package", { times: true, names: true, fingerprints: true }],
    [`/packages/${packageId}/1.0.0/graph`, "graph", {}],
    [`/packages/${packageId}/manage`, "manage", { times: true }],
    ["/account", "account", { times: true }],
    ["/account/certificates", "certificates", { names: true, fingerprints: true, times: true }],
    ["/account/api-keys", "api-keys", {}],
    ["/account/security", "security", {}],
    ["/account/uploads", "uploads", { times: true }],
    [`/account/uploads/${published.attemptId}`, "upload", { times: true }],
  ];
  for (const [path, name, expected] of pages) {
    await page.goto(path);
    await checkFormats(page, name, expected);
  }
  // Details closed by default are opened, so what they hold is read too.
  await page.goto(`/packages/${packageId}/1.0.0`);
  // Opened all at once: clicking them one by one through .all()'s positional locators skips and
  // then waits for ever, since each opened one leaves the :not([open]) list.
  await page
    .locator("main details:not([open])")
    .evaluateAll((closed) => closed.forEach((details) => ((details as HTMLDetailsElement).open = true)));
  await checkFormats(page, "package-details", { times: true, names: true, fingerprints: true });

  await page.goto("/verify");
  await page.locator('[data-dropzone] input[type="file"]').setInputFiles(signed);
  await expect(page.locator("[data-answer]")).toHaveAttribute("data-answer", "author-upload");
  await checkFormats(page, "verify", { fingerprints: true });

  const admin = await (await browser.newContext()).newPage();
  await admin.goto("/admin");
  await signIn(admin, DEMO_ACCOUNTS[0].email, DEMO_ACCOUNTS[0].password);
  await expect(admin).toHaveURL(/\/admin$/);
  await admin.goto(`/admin/certificates?q=${encodeURIComponent(`E2E Formats ${packageId}`)}`);
  await checkFormats(admin, "admin-certificates", { names: true, fingerprints: true, times: true });
  await admin.getByRole("link", { name: `CN=E2E Formats ${packageId}` }).click();
  await expect(admin).toHaveURL(/\/admin\/certificates\/[^/?]+$/);
  await checkFormats(admin, "admin-certificate", { names: true, fingerprints: true, times: true });
  for (const [path, name] of [
    ["/admin", "admin"],
    ["/admin/uploads", "admin-uploads"],
    ["/admin/users", "admin-users"],
    ["/admin/audit", "admin-audit"],
    ["/admin/reservations", "admin-reservations"],
  ] as const) {
    await admin.goto(path);
    await checkFormats(admin, name, {});
  }
});
