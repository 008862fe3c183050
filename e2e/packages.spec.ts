// Issue 6 in the browser: packages published through the real push API (a key from the API-keys
// API, `PUT /api/v2/package`), one signed by the real `dotnet nuget sign`, then their pages,
// badges, signer details, versions table, search and filters. Every signer detail on the page
// is compared with what the signature engine (`npm run verify -- --json`) reports for the same
// file, and the fingerprint also with `openssl x509 -fingerprint -sha256`.
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { displayFingerprint } from "@/lib/certificates/fingerprint";
import { formatDistinguishedName, nameAttribute } from "@/lib/signing/distinguished-name";
import { refreshSearchForCertificate } from "@/lib/search/search-index";
import { OFFLINE_REVOCATION_NOTICE } from "@/lib/signing/revocation";
import type { SignatureReport } from "@/lib/signing/report";
import { verifyPackageSignatures } from "@/lib/signing";
import { openCheckpoint } from "@/lib/tlog/checkpoint";
import { leafHash, verifyInclusion } from "@/lib/tlog/merkle";
import { parseVerifierKey } from "@/lib/tlog/note";
import { bufferSource } from "@/lib/zip/source";
import { newAccount, signUp, snapshot, type TestAccount } from "./helpers";
import { E2E_PKI_FILES } from "./support/environment";
import {
  createPushKey,
  publishPackageFile,
  registerCertificate,
  reserveIds,
  withGalleryDatabase,
} from "./support/gallery";
import {
  skipWithoutDotnet,
  issueSigningIdentity,
  signPackage,
  writePackage,
  type SigningIdentity,
} from "./support/pki";

const execFileAsync = promisify(execFile);

interface Gallery {
  account: TestAccount;
  identity: SigningIdentity;
  signedId: string;
  unsignedId: string;
  reservation: string;
  signedFile: string;
  report: SignatureReport;
  tag: string;
}

// Marking a certificate compromised is an admin's action; the admin console is not what this
// spec tests, so the mark is written straight to the e2e gallery's database, with the signing
// state of the versions it signed in the search index, in one transaction as the console does.
async function setCompromisedAt(sha256Fingerprint: string, compromisedAt: Date | null): Promise<void> {
  await withGalleryDatabase((db) =>
    db.$transaction(async (tx) => {
      const { id } = await tx.certificate.update({
        where: { sha256Fingerprint },
        data: { compromisedAt, compromisedReason: compromisedAt ? "Private key published (e2e)" : null },
        select: { id: true },
      });
      await refreshSearchForCertificate(tx, id);
    }),
  );
}

async function engineReport(file: string): Promise<SignatureReport> {
  const { stdout } = await execFileAsync("npx", [
    "tsx",
    "scripts/verify.ts",
    "--json",
    "--trusted-root",
    E2E_PKI_FILES.codeSigningRoot,
    "--trusted-root",
    E2E_PKI_FILES.timestampingRoot,
    file,
  ]);
  return JSON.parse(stdout) as SignatureReport;
}

async function opensslFingerprint(certificatePath: string): Promise<string> {
  const { stdout } = await execFileAsync("openssl", [
    "x509",
    "-in",
    certificatePath,
    "-noout",
    "-fingerprint",
    "-sha256",
  ]);
  return stdout.trim().replace(/^.*Fingerprint=/i, "");
}

function detail(scope: ReturnType<Page["locator"]>, term: string) {
  return scope
    .locator("dt", { hasText: new RegExp(`^${term.replace(/[()]/g, "\\$&")}$`) })
    .locator("xpath=following-sibling::dd[1]");
}

test.describe("package pages", () => {
  test.describe.configure({ mode: "serial" });
  skipWithoutDotnet();

  let gallery: Gallery;

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(180_000);
    const tag = randomBytes(3).toString("hex");
    const account = newAccount();
    const reservation = `Pages${tag}.`;
    const signedId = `${reservation}Signed`;
    const unsignedId = `Plain${tag}.Unsigned`;
    const identity = await issueSigningIdentity(`Pages Author ${tag}`);
    const context = await browser.newContext();
    const page = await context.newPage();
    await signUp(page, account);
    const apiKey = await createPushKey(page.request);

    // Unsigned first: once the account registers a certificate, its packages must be signed.
    await publishPackageFile(page.request, apiKey, await writePackage({ id: unsignedId, version: "1.0.0" }));
    await publishPackageFile(page.request, apiKey, await writePackage({ id: unsignedId, version: "1.1.0" }));
    await registerCertificate(page.request, identity);
    const unsignedFile = await writePackage({
      id: signedId,
      version: "2.0.0",
      files: {
        "README.md":
          "# Signed package\n\nA **readme** with <b>safe markup</b><img src=x onerror=\"document.title='xss'\">.\n\n| Target | Status |\n|---|---|\n| net8.0 | supported |\n",
        "content/readme.txt": "hello\n",
      },
      metadataXml: `
    <tags>pages-e2e-${tag} signing</tags>
    <readme>README.md</readme>
    <projectUrl>https://example.test/${tag}</projectUrl>
    <repository type="git" url="https://example.test/${tag}/source.git" commit="0123456789abcdef0123456789abcdef01234567" />
    <dependencies><group targetFramework="net8.0"><dependency id="${unsignedId}" version="[1.0.0, 2.0.0)" /></group></dependencies>`,
    });
    const signedFile = await signPackage(unsignedFile, identity);
    await publishPackageFile(page.request, apiKey, signedFile);
    await reserveIds(reservation, account.username, { isPrefix: true });
    await context.close();
    gallery = {
      account,
      identity,
      signedId,
      unsignedId,
      reservation,
      signedFile,
      report: await engineReport(signedFile),
      tag,
    };
  });

  test("the signed package's page shows the signer, integrity and verified ID at a glance", async ({ page }) => {
    await page.goto(`/packages/${gallery.signedId}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(gallery.signedId);
    const glance = page.getByRole("definition").filter({ has: page.locator("[data-signing]") });
    await expect(glance.locator("[data-signing]")).toHaveAttribute("data-signing", "signed");
    await expect(glance).toHaveText(`✓Signed by ${gallery.identity.commonName}`);
    await expect(page.locator("[data-integrity]")).toHaveText("Intact: the contents are exactly what was signed");
    const verified = page.getByRole("heading", { level: 1 }).locator("[data-verified]");
    // The check says the ID is reserved, in slate, and that it is not a safety verdict.
    await expect(verified).toHaveAttribute(
      "title",
      `Verified: the ID prefix ${gallery.reservation}* is reserved for package owner ${gallery.account.username}. This says who may publish under this ID, not whether a version is safe.`,
    );
    await expect(verified).toContainText("ID reserved");
    await expect(verified.locator(".sr-only")).toHaveText(/reserved for package owner/);
    // Provenance at the top: source repository and commit, signer, countersigning repository.
    await expect(page.locator('dl[aria-label="Provenance at a glance"]')).toContainText(
      `https://example.test/${gallery.tag}/source.git at 0123456789ab`,
    );
    await expect(page.locator('dl[aria-label="Provenance at a glance"]')).toContainText(
      `Signed by${gallery.identity.commonName}`,
    );
    await expect(page.locator('dl[aria-label="Provenance at a glance"]')).toContainText("Countersigned by");
    // Whether the signer was proven by the account that uploaded it (here its first push proved it).
    await expect(page.locator("[data-signer-proof]")).toHaveAttribute("data-signer-proof", "uploader");
    await expect(page.locator("[data-signer-proof]")).toHaveText(
      `Signer proven by the uploading account '${gallery.account.username}': it registered this certificate and proved holding the key by the first push the gallery saw signed with that key.`,
    );

    const readme = page.locator(".readme");
    await expect(readme.getByRole("heading", { level: 3, name: "Signed package" })).toBeVisible();
    await expect(readme.locator("b")).toHaveText("safe markup");
    await expect(readme.getByRole("table").getByRole("cell", { name: "supported" })).toBeVisible();
    await expect(readme.locator("img")).not.toHaveAttribute("onerror");
    expect(await page.title()).not.toBe("xss");
    await expect(page.getByRole("link", { name: gallery.unsignedId })).toHaveAttribute(
      "href",
      `/packages/${gallery.unsignedId}`,
    );
    await expect(page.getByText("(≥ 1.0.0 && < 2.0.0)")).toBeVisible();
    await expect(page.getByText(`dotnet add package ${gallery.signedId} --version 2.0.0`)).toBeVisible();
    await expect(page.getByText(`<PackageReference Include="${gallery.signedId}" Version="2.0.0" />`)).toBeVisible();
    await snapshot(page, "package-signed");

    // On a phone, Install comes before the readme, and nothing is wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    const installTop = await page
      .locator("#install-heading")
      .evaluate((element) => element.getBoundingClientRect().top);
    const readmeTop = await page.locator("#readme-heading").evaluate((element) => element.getBoundingClientRect().top);
    expect(installTop).toBeLessThan(readmeTop);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await snapshot(page, "package-signed-phone");
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  test("every signer detail equals the engine's report, and the fingerprint equals openssl's", async ({
    page,
    context,
  }) => {
    const author = gallery.report.author;
    const signer = author?.signer;
    const timestamp = author?.timestamps[0];
    if (!author || !signer || !timestamp?.tsa || !author.chain)
      throw new Error(`The engine did not report an author signature: ${JSON.stringify(gallery.report)}`);
    expect(gallery.report.status).toBe("valid");

    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto(`/packages/${gallery.signedId}/2.0.0`);
    await page.getByText("Signature details").click();
    const section = page.locator('[data-signature="author"]');
    await expect(detail(section, "Subject (CN)")).toHaveText(nameAttribute(signer.subject, "CN") ?? "");
    // Names in the site's one form: CN first, ", " between attributes.
    await expect(detail(section, "Full subject")).toHaveText(formatDistinguishedName(signer.subject));
    await expect(detail(section, "Issuer")).toHaveText(formatDistinguishedName(signer.issuer));
    await expect(detail(section, "Serial number")).toHaveText(signer.serialNumber);
    await expect(detail(section, "Valid from").locator("time")).toHaveAttribute("datetime", signer.notBefore);
    await expect(detail(section, "Valid to").locator("time")).toHaveAttribute("datetime", signer.notAfter);
    await expect(detail(section, "Timestamp authority")).toHaveText(nameAttribute(timestamp.tsa.subject, "CN") ?? "");
    await expect(detail(section, "Timestamped at").locator("time")).toHaveAttribute("datetime", timestamp.time);
    await expect(page.locator('[data-proven-signing-time="TIMESTAMP"] time')).toHaveAttribute(
      "datetime",
      timestamp.time,
    );
    await expect(detail(section, "Registered by")).toHaveText(`${gallery.account.username} (package owner)`);
    // Offline revocation (one notice per chain from the engine) is one neutral note, not a warning per chain.
    await expect(page.locator("[data-revocation-note]")).toHaveCount(1);
    await expect(page.locator("[data-revocation-note]")).toContainText(
      "the gallery does not ask certificate authorities online (OCSP or CRL)",
    );
    await expect(page.getByText(OFFLINE_REVOCATION_NOTICE)).toHaveCount(0);

    const openssl = await opensslFingerprint(gallery.identity.certificatePath);
    const fingerprint = section.locator("[data-fingerprint]").first();
    await expect(fingerprint).toHaveText(displayFingerprint(signer.sha256Fingerprint));
    await expect(fingerprint).toHaveText(openssl);
    await section
      .getByRole("button", { name: /Copy the SHA-256 fingerprint/ })
      .first()
      .click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(openssl);

    const chainNames = author.chain.certificates
      .map((certificate) => nameAttribute(certificate.subject, "CN"))
      .reverse();
    await expect(section.locator("[data-chain-role] .font-medium")).toHaveText(chainNames as string[]);
    await expect(section.locator("[data-chain-role]").first()).toHaveAttribute("data-chain-role", "Root");
    await expect(section.locator("[data-chain-role]").last()).toHaveAttribute("data-chain-role", "Signer");

    await expect(page.locator("#trusted-signers")).toContainText(
      `<certificate fingerprint="${gallery.identity.sha256Fingerprint}" hashAlgorithm="SHA256" allowUntrustedRoot="false" />`,
    );
    await expect(page.locator("#trusted-signers")).toContainText(`<author name="${gallery.identity.commonName}">`);
    await snapshot(page, "package-signed");
  });

  test("the download link serves the pushed file with the gallery's repository signature, and the page names both hashes", async ({
    page,
    request,
  }) => {
    await page.goto(`/packages/${gallery.signedId}`);
    const idLower = gallery.signedId.toLowerCase();
    const link = page.getByRole("link", { name: /Download package/ });
    await expect(link).toHaveAttribute("href", `/v3-flatcontainer/${idLower}/2.0.0/${idLower}.2.0.0.nupkg`);
    const download = await request.get((await link.getAttribute("href")) ?? "");
    expect(download.status()).toBe(200);
    const served = await download.body();
    // The same package (NuGet's content hash), now countersigned by the gallery.
    const untrusted = { codeSigningRoots: [], timestampingRoots: [] };
    const [servedReport, uploadedReport] = await Promise.all(
      [served, await readFile(gallery.signedFile)].map((bytes) =>
        verifyPackageSignatures(bufferSource(new Uint8Array(bytes)), { trust: untrusted, includeContentHash: true }),
      ),
    );
    expect(servedReport?.contentHash).toBe(uploadedReport?.contentHash);
    expect(servedReport?.repository?.placement).toBe("countersignature");
    await expect(page.locator("[data-sha512=served]")).toHaveText(createHash("sha512").update(served).digest("base64"));
    await expect(page.locator("[data-sha512=uploaded]")).toHaveText(
      createHash("sha512")
        .update(await readFile(gallery.signedFile))
        .digest("base64"),
    );
  });

  test("the page names the version's publication log entry, whose link proves it logged the pushed file and the served one", async ({
    page,
    request,
  }) => {
    await page.goto(`/packages/${gallery.signedId}`);
    const link = page.getByRole("link", { name: /^Logged as entry \d+ of the gallery's log$/ });
    await expect(link).toBeVisible();
    const index = Number(/entry (\d+)/.exec((await link.textContent()) ?? "")?.[1]);
    const response = await request.get((await link.getAttribute("href")) ?? "");
    expect(response.status()).toBe(200);
    const body = (await response.json()) as {
      checkpoint: string;
      treeSize: number;
      entry: { index: number; data: string; text: string; inclusionProof: string[] };
    };
    expect(body.entry.index).toBe(index);
    // The entry names the file as pushed and the file the gallery serves (with its repository signature).
    const sha512 = (bytes: Buffer) => createHash("sha512").update(bytes).digest("base64");
    const served = await request.get(
      `/v3-flatcontainer/${gallery.signedId.toLowerCase()}/2.0.0/${gallery.signedId.toLowerCase()}.2.0.0.nupkg`,
    );
    expect(served.status()).toBe(200);
    expect(body.entry.text).toContain(
      `kind publish\npackage-id ${gallery.signedId}\nversion 2.0.0\npublished-sha512 ${sha512(await served.body())}\nuploaded-sha512 ${sha512(await readFile(gallery.signedFile))}\n`,
    );
    // And it is in the tree the log's key signed: the inclusion proof leads to the checkpoint's root.
    const verifier = parseVerifierKey((await (await request.get("/.well-known/signet-log-key")).text()).trim());
    const checkpoint = openCheckpoint(body.checkpoint, verifier);
    expect(checkpoint.size).toBe(body.treeSize);
    const proof = body.entry.inclusionProof.map((hash) => new Uint8Array(Buffer.from(hash, "base64")));
    expect(
      verifyInclusion(
        index,
        checkpoint.size,
        leafHash(new Uint8Array(Buffer.from(body.entry.data, "base64"))),
        proof,
        checkpoint.root,
      ),
    ).toBe(true);
  });

  test("the unsigned package says Not signed plainly, with its versions table", async ({ page }) => {
    await page.goto(`/packages/${gallery.unsignedId}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`${gallery.unsignedId}`);
    await expect(page.getByRole("heading", { level: 1 }).locator("[data-verified]")).toHaveCount(0);
    // No author signed it; the gallery's repository signature vouches for the contents it received.
    await expect(page.locator("[data-integrity]")).toHaveText("Intact: the contents are exactly what was signed");
    await page.getByText("Signature details").click();
    await expect(page.locator("#repository-trusted-signers")).toContainText('<repository name="');
    const rows = page.getByRole("table", { name: `Versions of ${gallery.unsignedId}` }).locator("tbody tr");
    await expect(rows.locator("td:first-child a")).toHaveText(["1.1.0", "1.0.0"]);
    await expect(rows.locator("[data-signing]")).toHaveText(["–Not signed", "–Not signed"]);
    await expect(rows.first()).toHaveAttribute("aria-current", "page");
    await snapshot(page, "package-unsigned");

    await rows.nth(1).getByRole("link", { name: "1.0.0" }).click();
    await expect(page).toHaveURL(new RegExp(`/packages/${gallery.unsignedId}/1\\.0\\.0$`));
    await expect(page.getByText("This is not the latest version.")).toBeVisible();
  });

  test("search finds both, and the signed and verified filters keep only the signed one", async ({ page }) => {
    const tag = gallery.reservation.slice("Pages".length, -1);
    await page.goto("/packages");
    await page.getByRole("searchbox", { name: /Search by ID/ }).fill(tag);
    await page.getByRole("button", { name: "Search", exact: true }).last().click();
    const results = page.getByRole("list", { name: "Search results" }).locator("[data-package]");
    await expect(results).toHaveCount(2);
    await expect(results.filter({ hasText: gallery.signedId }).locator("[data-signing]")).toHaveText(
      `✓Signed by ${gallery.identity.commonName}`,
    );
    await expect(results.filter({ hasText: gallery.signedId }).locator("[data-verified]")).toHaveCount(1);
    await expect(results.filter({ hasText: gallery.unsignedId }).locator("[data-signing]")).toHaveText("–Not signed");
    await snapshot(page, "package-search");

    await page.getByLabel("Signed only").check();
    await page.getByRole("button", { name: "Search", exact: true }).last().click();
    await expect(page).toHaveURL(/signed=1/);
    await expect(results).toHaveCount(1);
    await expect(results.first()).toHaveAttribute("data-package", gallery.signedId);

    await page.goto(`/packages?q=${tag}&verified=1`);
    await expect(page.getByLabel("Verified IDs only")).toBeChecked();
    await expect(results).toHaveCount(1);
    await expect(results.first()).toHaveAttribute("data-package", gallery.signedId);

    // Owner usernames are searched too.
    await page.goto(`/packages?q=${gallery.account.username.toUpperCase()}`);
    await expect(results).toHaveCount(2);
  });

  test("the signed page fits a phone's width", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/packages/${gallery.signedId}`);
    await page.getByText("Signature details").click();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await snapshot(page, "package-signed-phone");
  });

  test("a certificate marked compromised at the signing time turns the badge into a red warning", async ({ page }) => {
    const signedAt = gallery.report.author?.timestamps[0]?.time;
    const fingerprint = gallery.identity.sha256Fingerprint.toLowerCase();
    if (!signedAt) throw new Error("The engine reported no timestamp for the signed package.");
    await setCompromisedAt(fingerprint, new Date(signedAt));
    try {
      await page.goto(`/packages/${gallery.signedId}`);
      await expect(page.locator("header [data-signing]")).toHaveAttribute("data-signing", "compromised");
      await expect(page.locator("[data-warning=signature]")).toContainText("Do not trust this version.");
      await page.getByText("Signature details").click();
      await expect(page.locator("#trusted-signers")).toHaveCount(0);
      await page.goto(`/packages?q=${gallery.signedId}&signed=1`);
      await expect(page.getByRole("list", { name: "Search results" })).toHaveCount(0);
    } finally {
      await setCompromisedAt(fingerprint, null);
    }
  });

  test("the signer details open from the keyboard", async ({ page }) => {
    await page.goto(`/packages/${gallery.signedId}`);
    const summary = page.locator("summary", { hasText: "Signature details" });
    await summary.focus();
    await page.keyboard.press("Enter");
    await expect(page.locator('[data-signature="author"]')).toBeVisible();
  });
});

test("an unknown package ID gets a helpful 404 page", async ({ page }) => {
  const response = await page.goto(`/packages/No.Such.Package.${randomBytes(3).toString("hex")}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Package not found" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("search")).toBeVisible();
  await expect(page.getByRole("link", { name: "Browse all packages" })).toHaveAttribute("href", "/packages");
});

test("odd IDs and versions in URLs answer 404 or 400, never 500", async ({ request }) => {
  const odd = [
    "/packages/a%2Fb",
    "/packages/a%2F..%2F..%2Fetc",
    `/packages/${"x".repeat(500)}`,
    `/packages/${"x".repeat(500)}/1.0.0`,
    "/packages/%C3%BC%E2%9C%93",
    "/packages/%E0%A4%A",
    "/packages/Some.Package/..%2F..%2F",
    "/packages/Some.Package/not-a-version",
    "/packages/Some.Package/1.0.0%00",
    `/packages/Some.Package/${"9".repeat(300)}`,
  ];
  for (const url of odd) {
    const response = await request.get(url, { maxRedirects: 0 });
    expect([400, 404], url).toContain(response.status());
  }
});
