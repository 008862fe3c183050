// Registering code-signing certificates in the browser: the preview computed with WebCrypto,
// the list, removal, and each check's message. Certificates are generated here, per run.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { toPem } from "@/lib/timestamping";
import {
  certificatePem,
  createRootAuthority,
  EXTENDED_KEY_USAGE,
  generateRsaKey,
  issueCertificate,
  privateKeyPkcs8,
  temporaryDirectory,
  type TestCertificate,
} from "@/test/support/pki";
import { DEMO_ACCOUNTS } from "@/scripts/db/demo-accounts";
import { newAccount, signIn, signOut, signUp, snapshot } from "./helpers";
import { withGalleryDatabase } from "./support/gallery";
import { issueGenuineCertificate, issueSigningIdentity, signPackage, skipWithoutDotnet } from "./support/pki";

const DAY = 86_400_000;

function opensslFingerprint(file: string): string {
  // "sha256 Fingerprint=AB:CD:…" (older openssl: "SHA256 Fingerprint=…")
  const output = execFileSync("openssl", [
    "x509",
    "-inform",
    "DER",
    "-in",
    file,
    "-noout",
    "-fingerprint",
    "-sha256",
  ]).toString();
  return output.trim().split("=")[1] ?? "";
}

function opensslFingerprintPem(file: string): string {
  return (
    execFileSync("openssl", ["x509", "-in", file, "-noout", "-fingerprint", "-sha256"])
      .toString()
      .trim()
      .split("=")[1] ?? ""
  );
}

async function writeCertificates() {
  const directory = await temporaryDirectory("signet-e2e-certs-");
  const key = await generateRsaKey(2048);
  const codeSigning = [EXTENDED_KEY_USAGE.codeSigning];
  const files = {
    good: await issueCertificate({ commonName: "E2E Code Signing", key, extendedKeyUsages: codeSigning }),
    expired: await issueCertificate({
      commonName: "E2E Expired",
      key,
      extendedKeyUsages: codeSigning,
      notBefore: new Date(Date.now() - 30 * DAY),
      notAfter: new Date(Date.now() - DAY),
    }),
    noCodeSigning: await issueCertificate({
      commonName: "E2E Web Server",
      key,
      extendedKeyUsages: ["1.3.6.1.5.5.7.3.1"],
    }),
    rsa1024: await issueCertificate({
      commonName: "E2E Small Key",
      key: await generateRsaKey(1024),
      extendedKeyUsages: codeSigning,
    }),
    authority: await createRootAuthority("E2E Root Authority", key),
  };
  const paths: Record<string, string> = {};
  for (const [name, certificate] of Object.entries(files)) {
    paths[name] = path.join(directory, `${name}.cer`);
    await writeFile(paths[name], certificate.der);
  }
  paths.garbage = path.join(directory, "garbage.cer");
  await writeFile(paths.garbage, "this is not a certificate at all");
  paths.oversized = path.join(directory, "oversized.cer");
  await writeFile(paths.oversized, Buffer.alloc(12_000, 0x30));
  paths.goodKey = path.join(directory, "good.key.pem");
  await writeFile(paths.goodKey, toPem(await privateKeyPkcs8(files.good.key), "PRIVATE KEY"), { mode: 0o600 });
  paths.goodPem = path.join(directory, "good.pem");
  await writeFile(paths.goodPem, certificatePem(files.good));
  const other: TestCertificate = await issueCertificate({
    commonName: "E2E Someone Else",
    key: await generateRsaKey(2048),
    extendedKeyUsages: codeSigning,
  });
  paths.otherKey = path.join(directory, "other.key.pem");
  await writeFile(paths.otherKey, toPem(await privateKeyPkcs8(other.key), "PRIVATE KEY"), { mode: 0o600 });
  paths.otherPem = path.join(directory, "other.pem");
  await writeFile(paths.otherPem, certificatePem(other));
  return paths as Record<
    keyof typeof files | "garbage" | "oversized" | "goodKey" | "goodPem" | "otherKey" | "otherPem",
    string
  >;
}

/** The page's openssl command, run over the downloaded challenge.txt: a detached CMS signature in DER (with `attached`, -nodetach: the text travels inside). */
function opensslSign(challenge: string, certificate: string, key: string, { attached = false } = {}): string {
  const output = `${challenge}.${path.basename(certificate)}${attached ? ".attached" : ""}.p7s`;
  execFileSync("openssl", [
    "cms",
    "-sign",
    "-binary",
    "-in",
    challenge,
    "-signer",
    certificate,
    "-inkey",
    key,
    "-md",
    "sha256",
    "-outform",
    "DER",
    "-out",
    output,
    ...(attached ? ["-nodetach"] : []),
  ]);
  return output;
}

let files: Awaited<ReturnType<typeof writeCertificates>>;

test.beforeAll(async () => {
  files = await writeCertificates();
});

async function openPage(page: Page, account = newAccount()): Promise<void> {
  await signUp(page, account);
  await page.goto("/account/certificates");
  await expect(page.getByRole("heading", { name: "Certificates", level: 1 })).toBeVisible();
}

function chooseFile(page: Page, file: string) {
  return page.getByLabel("Choose a certificate file").setInputFiles(file);
}

test("register a generated certificate: preview and list show openssl's fingerprint; then remove it", async ({
  page,
}) => {
  await openPage(page);
  const expected = opensslFingerprint(files.good);
  await chooseFile(page, files.good);
  await expect(page.locator('[data-preview="fingerprint"]')).toHaveText(expected);
  await expect(page.locator('[data-preview="subject"]')).toHaveText("CN=E2E Code Signing");
  await page.getByRole("button", { name: "Register certificate" }).click();

  const entry = page.getByRole("listitem", { name: "CN=E2E Code Signing" });
  await expect(entry.locator("[data-fingerprint]")).toHaveText(expected);
  await expect(entry.locator("[data-status]")).toHaveText("Awaiting proof of possession");
  // Told at once that it chains to a root this gallery does not trust, what that means and what to do.
  const trust = page.locator("[data-trust]");
  await expect(trust).toHaveAttribute("data-trust", "untrusted-root");
  await expect(trust).toContainText(
    "It chains to the root 'CN=E2E Code Signing', which this gallery does not trust, so packages signed with it will be refused (NU3018).",
  );
  await expect(trust).toContainText(
    "Use a code-signing certificate from a CA whose root is trusted (the roots this gallery trusts are listed on the Certificates page), or ask the gallery's administrators to trust this root.",
  );
  const roots = page.locator("details", { hasText: "Roots this gallery trusts for code signing" });
  await roots.locator("summary").click();
  await expect(roots.getByRole("listitem").filter({ hasText: "CN=Signet E2E Code Signing Root" })).toHaveCount(1);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await entry.getByRole("button", { name: "Copy fingerprint" }).click();
  await expect(entry.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
  await expect(page.getByRole("heading", { name: "Registered: 1 certificate" })).toBeVisible();
  await snapshot(page, "certificates-registered");

  await page.reload();
  await expect(entry.locator("[data-fingerprint]")).toHaveText(expected);
  await entry.getByRole("button", { name: "Remove" }).click();
  await expect(entry.getByRole("alertdialog")).toContainText(
    "packages you push signed with this certificate are refused",
  );
  await entry.getByRole("button", { name: "Yes, remove it" }).click();
  await expect(page.getByRole("heading", { name: "Registered: 0 certificates" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Registered: 0 certificates" })).toBeVisible();
});

test("a certificate from a root the gallery trusts is told so at registration", async ({ page }) => {
  await openPage(page);
  const genuine = await issueGenuineCertificate("E2E Genuine Signer");
  await chooseFile(page, genuine.certificatePath);
  await page.getByRole("button", { name: "Register certificate" }).click();
  const trust = page.locator("[data-trust]");
  await expect(trust).toHaveAttribute("data-trust", "trusted");
  await expect(trust).toHaveText(
    "Registered; prove you hold its private key below. It chains to 'CN=Signet E2E Code Signing Root', a root this gallery trusts for code signing, so packages it signs (with a timestamp) can be accepted.",
  );
  await snapshot(page, "certificates-trusted-root");
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await snapshot(page, "certificates-trusted-root-phone");
});

const REFUSED: { name: string; file: () => string; message: RegExp }[] = [
  { name: "expired", file: () => files.expired, message: /NU3037.*expired on/ },
  { name: "no code-signing EKU", file: () => files.noCodeSigning, message: /NU3012.*not valid for code signing/ },
  { name: "RSA-1024", file: () => files.rsa1024, message: /NU3014.*1024-bit RSA key/ },
  { name: "CA certificate", file: () => files.authority, message: /certificate authority's certificate/ },
  { name: "garbage bytes", file: () => files.garbage, message: /cannot be read/ },
  { name: "oversized file", file: () => files.oversized, message: /12,000 bytes; the limit is 10,000 bytes/ },
];

for (const { name, file, message } of REFUSED) {
  test(`refused with its reason, nothing registered: ${name}`, async ({ page }) => {
    await openPage(page);
    await chooseFile(page, file());
    await expect(page.getByRole("alert", { name: "Certificate problems" })).toHaveText(message);
    await expect(page.getByRole("button", { name: "Register certificate" })).toBeDisabled();
    if (name === "expired") await snapshot(page, "certificates-error");
    await page.reload();
    await expect(page.getByRole("heading", { name: "Registered: 0 certificates" })).toBeVisible();
  });
}

async function dropFile(page: Page, file: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, base64 }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))], name));
      return transfer;
    },
    { name: path.basename(file), base64: (await readFile(file)).toString("base64") },
  );
  await page.locator("[data-dropzone]").dispatchEvent("drop", { dataTransfer });
}

test("registering the same certificate twice (dropped, then pasted as PEM) is refused by the server", async ({
  page,
}) => {
  await openPage(page);
  const expected = opensslFingerprint(files.good);
  await dropFile(page, files.good);
  await expect(page.locator('[data-preview="fingerprint"]')).toHaveText(expected);
  await page.getByRole("button", { name: "Register certificate" }).click();
  await expect(page.getByRole("heading", { name: "Registered: 1 certificate" })).toBeVisible();
  const pem = execFileSync("openssl", ["x509", "-inform", "DER", "-in", files.good]).toString();
  await page.getByLabel("Or paste a PEM certificate").fill(pem);
  await expect(page.locator('[data-preview="fingerprint"]')).toHaveText(expected);
  await page.getByRole("button", { name: "Register certificate" }).click();
  await expect(page.getByRole("alert", { name: "Certificate problems" })).toHaveText(
    /already registered on your account/,
  );
  await page.reload();
  await expect(page.getByRole("heading", { name: "Registered: 1 certificate" })).toBeVisible();
});

test("a fingerprint alone registers with details pending", async ({ page }) => {
  await openPage(page);
  await page.getByRole("textbox", { name: "SHA-256 fingerprint" }).fill("ab:".repeat(31) + "ab");
  await page.getByRole("button", { name: "Register fingerprint" }).click();
  const entry = page.getByRole("listitem", { name: "Details pending" });
  await expect(entry.locator("[data-status]")).toHaveText("Awaiting proof of possession");
  await expect(entry.locator("[data-fingerprint]")).toHaveText(Array(32).fill("AB").join(":"));
});

test("admins can look at another account's certificates, read-only; members cannot", async ({ page }) => {
  const account = newAccount();
  await openPage(page, account);
  await page.getByRole("textbox", { name: "SHA-256 fingerprint" }).fill("cd".repeat(32));
  await page.getByRole("button", { name: "Register fingerprint" }).click();
  await expect(page.getByRole("heading", { name: "Registered: 1 certificate" })).toBeVisible();
  const admin = DEMO_ACCOUNTS[0];
  const response = await page.goto(`/account/certificates?username=${admin.username}`);
  expect(response?.status()).toBe(403);

  await page.goto("/");
  await signOut(page, account.username);
  await page.goto("/signin");
  await signIn(page, admin.email, admin.password);
  await expect(page.getByLabel(`Account menu for ${admin.username}`)).toBeVisible();
  await page.goto(`/account/certificates?username=${account.username}`);
  await expect(page.getByRole("heading", { name: `Certificates of ${account.username}` })).toBeVisible();
  const entry = page.getByRole("listitem", { name: "Details pending" });
  await expect(entry.locator("[data-fingerprint]")).toHaveText(Array(32).fill("CD").join(":"));
  await expect(entry.getByRole("button", { name: "Remove" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Register certificate" })).toHaveCount(0);
});

test("prove possession: a challenge signed with another key is refused with its sentence; signed with the certificate's own key it activates it", async ({
  page,
}) => {
  await openPage(page);
  await chooseFile(page, files.good);
  await page.getByRole("button", { name: "Register certificate" }).click();
  const entry = page.getByRole("listitem", { name: "CN=E2E Code Signing" });
  await expect(entry.locator("[data-status]")).toHaveText("Awaiting proof of possession");
  await entry.getByRole("button", { name: "Get a challenge" }).click();
  await expect(entry.locator('[data-command="dotnet"]')).toContainText("dotnet nuget sign Signet.PossessionChallenge.");
  await expect(entry.locator('[data-command="openssl"]')).toContainText("openssl cms -sign -binary -in challenge.txt");
  const download = page.waitForEvent("download");
  await entry.getByRole("link", { name: "Download challenge.txt" }).click();
  const challenge = path.join(await temporaryDirectory("signet-e2e-challenge-"), "challenge.txt");
  await (await download).saveAs(challenge);
  await expect(async () =>
    expect((await readFile(challenge, "utf8")).startsWith("Signet proof of possession")).toBe(true),
  ).toPass();

  await entry.getByLabel("Signed challenge").setInputFiles(opensslSign(challenge, files.otherPem, files.otherKey));
  await expect(entry.getByRole("alert", { name: "Proof problems" })).toHaveText(
    /CHALLENGE_WRONG_SIGNER.*signed with the certificate 'CN=E2E Someone Else'/,
  );
  await snapshot(page, "certificates-proof-refused");

  await entry.getByLabel("Signed challenge").setInputFiles(opensslSign(challenge, files.goodPem, files.goodKey));
  await expect(entry.locator("[data-status]")).toHaveText("Active");
  await expect(entry.locator("[data-proof]")).toHaveText(/Proven by signing a challenge/);
  await page.reload();
  await expect(entry.locator("[data-status]")).toHaveText("Active");
  await snapshot(page, "certificates-proven");
});

test("prove possession with the real client: the challenge package signed by dotnet nuget sign activates the certificate", async ({
  page,
}) => {
  skipWithoutDotnet();
  await openPage(page);
  const identity = await issueSigningIdentity(`E2E Dotnet Proof ${randomBytes(3).toString("hex")}`);
  await chooseFile(page, identity.certificatePath);
  await page.getByRole("button", { name: "Register certificate" }).click();
  const entry = page.getByRole("listitem", { name: `CN=${identity.commonName}` });
  await expect(entry.locator("[data-status]")).toHaveText("Awaiting proof of possession");
  await entry.getByRole("button", { name: "Get a challenge" }).click();
  const download = page.waitForEvent("download");
  await entry.getByRole("link", { name: "Download the challenge package" }).click();
  const challengePackage = path.join(
    await temporaryDirectory("signet-e2e-challenge-"),
    (await download).suggestedFilename(),
  );
  await (await download).saveAs(challengePackage);
  // The page's command names the file as downloaded.
  await expect(entry.locator('[data-command="dotnet"]')).toContainText(
    `dotnet nuget sign ${path.basename(challengePackage)} --certificate-path`,
  );

  await entry.getByLabel("Signed challenge").setInputFiles(await signPackage(challengePackage, identity));
  await expect(entry.locator("[data-status]")).toHaveText("Active");
  await expect(entry.locator("[data-proof]")).toHaveText(/^Proven by signing a challenge/);
});

/** Asks for a challenge on the certificate's entry and downloads its text; returns the file and the challenge's ID. */
async function downloadChallenge(page: Page, entry: Locator): Promise<{ file: string; id: string }> {
  await entry.getByRole("button", { name: "Get a challenge" }).click();
  const download = page.waitForEvent("download");
  await entry.getByRole("link", { name: "Download challenge.txt" }).click();
  const file = path.join(await temporaryDirectory("signet-e2e-challenge-"), "challenge.txt");
  await (await download).saveAs(file);
  let text = "";
  await expect(async () => {
    text = await readFile(file, "utf8");
    expect(text.startsWith("Signet proof of possession")).toBe(true);
  }).toPass();
  return { file, id: /^Challenge: (.+)$/m.exec(text)?.[1] ?? "" };
}

test("prove possession: an expired challenge, an old answer replayed for a new challenge and another account's signed challenge are refused, each with its sentence", async ({
  page,
  browser,
}) => {
  const first = newAccount();
  await openPage(page, first);
  await chooseFile(page, files.good);
  await page.getByRole("button", { name: "Register certificate" }).click();
  const entry = page.getByRole("listitem", { name: "CN=E2E Code Signing" });
  const problems = entry.getByRole("alert", { name: "Proof problems" });

  // Signed with the right key, but uploaded after the challenge expired.
  const expired = await downloadChallenge(page, entry);
  const expiredAnswer = opensslSign(expired.file, files.goodPem, files.goodKey, { attached: true });
  await withGalleryDatabase((db) =>
    db.possessionChallenge.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } }),
  );
  await entry.getByLabel("Signed challenge").setInputFiles(expiredAnswer);
  await expect(problems).toHaveText(/CHALLENGE_EXPIRED.*This challenge expired at .*ask for a new one and sign it/);
  await expect(entry.locator("[data-status]")).toHaveText("Awaiting proof of possession");

  // A new challenge answered with the old one's signed text (attached, so the gallery reads which challenge it answers).
  await page.reload();
  const fresh = await downloadChallenge(page, entry);
  await entry.getByLabel("Signed challenge").setInputFiles(expiredAnswer);
  await expect(problems).toHaveText(new RegExp(`CHALLENGE_MISMATCH.*answers another challenge \\(${expired.id}\\)`));

  // Another account that registered the same certificate uploads this account's signed challenge.
  const context = await browser.newContext();
  const otherPage = await context.newPage();
  const second = newAccount();
  await openPage(otherPage, second);
  await chooseFile(otherPage, files.good);
  await otherPage.getByRole("button", { name: "Register certificate" }).click();
  const otherEntry = otherPage.getByRole("listitem", { name: "CN=E2E Code Signing" });
  // One certificate, several accounts: allowed, said on the page, and each proves on its own.
  await expect(
    otherPage.getByText(
      "Several accounts may register the same certificate (co-owners sharing one), but each proves possession on its own",
    ),
  ).toBeVisible();
  // (Other tests in this file register the same certificate file on accounts of their own.)
  await expect(otherEntry.locator("[data-proof]")).toHaveText(
    /^Not proven yet\. [1-9]\d* other accounts? ha(s|ve) registered this certificate too; each proves possession on its own\.$/,
  );
  await snapshot(otherPage, "certificates-shared");
  await otherPage.setViewportSize({ width: 390, height: 844 });
  await snapshot(otherPage, "certificates-shared-phone");
  await otherPage.setViewportSize({ width: 1280, height: 720 });
  await downloadChallenge(otherPage, otherEntry);
  await otherEntry
    .getByLabel("Signed challenge")
    .setInputFiles(opensslSign(fresh.file, files.goodPem, files.goodKey, { attached: true }));
  await expect(otherEntry.getByRole("alert", { name: "Proof problems" })).toHaveText(
    new RegExp(`CHALLENGE_OTHER_ACCOUNT.*issued to the account '${first.username}', not to '${second.username}'`),
  );
  await expect(otherEntry.locator("[data-status]")).toHaveText("Awaiting proof of possession");
  await context.close();

  // The right key over the current challenge activates the certificate.
  await entry.getByLabel("Signed challenge").setInputFiles(opensslSign(fresh.file, files.goodPem, files.goodKey));
  await expect(entry.locator("[data-status]")).toHaveText("Active");
});

test("a proven certificate that expires within 30 days says so on the Certificates page, and the account page lists the expiry warning the outbox holds for email", async ({
  page,
}) => {
  await openPage(page);
  const directory = await temporaryDirectory("signet-e2e-expiring-");
  const key = await generateRsaKey(2048);
  const expiring = await issueCertificate({
    commonName: "E2E Expiring Soon",
    key,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
    notAfter: new Date(Date.now() + 20 * DAY),
  });
  const certificateFile = path.join(directory, "expiring.pem");
  const keyFile = path.join(directory, "expiring.key.pem");
  await writeFile(certificateFile, certificatePem(expiring));
  await writeFile(keyFile, toPem(await privateKeyPkcs8(key), "PRIVATE KEY"), { mode: 0o600 });
  await chooseFile(page, certificateFile);
  await page.getByRole("button", { name: "Register certificate" }).click();
  const entry = page.getByRole("listitem", { name: "CN=E2E Expiring Soon" });
  const challenge = await downloadChallenge(page, entry);
  await entry.getByLabel("Signed challenge").setInputFiles(opensslSign(challenge.file, certificateFile, keyFile));
  await expect(entry.locator("[data-status]")).toHaveText("Expires within 30 days");

  await page.goto("/account");
  const warning = page.getByRole("list", { name: "Notifications" }).locator('[data-kind="certificate.expiring"]');
  await expect(warning).toHaveCount(1);
  await expect(warning).toContainText("Your signing certificate expires within 30 days");
  await expect(warning).toContainText(
    `CN=E2E Expiring Soon (SHA-256 ${opensslFingerprintPem(certificateFile)}) registered on your account expires on ${expiring.certificate.notAfter.value.toISOString().slice(0, 10)}`,
  );
  await expect(warning).toContainText("not emailed");
  await snapshot(page, "account-expiry-warning");
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await snapshot(page, "account-expiry-warning-phone");
});
