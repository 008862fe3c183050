// Verify a copy in the browser (/verify): a package is published through the push API (the
// gallery serves it with its repository signature), then copies of it are dropped on the page,
// each getting its own answer: the served file, the author's upload, the same contents signed by
// another repository, the same files re-zipped, a changed copy, and a package the gallery lacks;
// and a hash typed in. Nothing here needs dotnet.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { repositorySignPackage } from "@/lib/signing/sign";
import { ensureDevelopmentPki } from "@/lib/trust/development-pki";
import { loadRepositorySigner } from "@/lib/trust/repository-signing";
import { bufferSource } from "@/lib/zip/source";
import { buildUnsignedPackage, replaceEntryContent } from "@/test/support/nupkg";
import { readZip, writeZip } from "@/test/support/zip";
import { newAccount, signUp, snapshot } from "./helpers";
import { createPushKey, pushPackage } from "./support/gallery";
import { uniquePackageId } from "./upload-steps";

async function drop(page: Page, file: string): Promise<void> {
  await page.locator('[data-dropzone] input[type="file"]').setInputFiles(file);
}

test("verify a copy: each kind of copy gets its own answer, with its signatures and verdicts", async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, newAccount());
  const secret = await createPushKey(page.request);
  const id = uniquePackageId("E2E.VerifyCopy");
  const uploaded = buildUnsignedPackage({
    id,
    version: "1.0.0",
    files: { "lib/net8.0/Library.dll": "library bytes", "content/readme.txt": "hello" },
  });
  expect((await pushPackage(page.request, secret, uploaded)).status()).toBe(201);
  const served = new Uint8Array(
    await (
      await page.request.get(`/v3-flatcontainer/${id.toLowerCase()}/1.0.0/${id.toLowerCase()}.1.0.0.nupkg`)
    ).body(),
  );
  expect(served).not.toEqual(uploaded);

  const directory = await mkdtemp(path.join(tmpdir(), "signet-e2e-verify-"));
  const write = async (name: string, bytes: Uint8Array) => {
    const file = path.join(directory, name);
    await writeFile(file, bytes);
    return file;
  };
  const otherData = await mkdtemp(path.join(tmpdir(), "signet-e2e-other-repo-"));
  await ensureDevelopmentPki(otherData);
  const otherRepository = await loadRepositorySigner(otherData, {});
  const resigned = await repositorySignPackage(bufferSource(uploaded), {
    key: otherRepository.key,
    timestamper: otherRepository.timestamper,
    serviceIndexUrl: "https://elsewhere.example/v3/index.json",
    owners: ["someone"],
  });
  const chunks: Buffer[] = [];
  for await (const chunk of resigned.package.stream(0, resigned.package.size)) chunks.push(Buffer.from(chunk));
  const zip = readZip(uploaded);
  const copies = {
    served: await write("served.nupkg", served),
    uploaded: await write("uploaded.nupkg", uploaded),
    resigned: await write("resigned.nupkg", new Uint8Array(Buffer.concat(chunks))),
    rezipped: await write("rezipped.nupkg", writeZip({ ...zip, entries: [...zip.entries].reverse() })),
    tampered: await write("tampered.nupkg", replaceEntryContent(uploaded, "lib/net8.0/Library.dll", "a trojan")),
    unknown: await write(
      "unknown.nupkg",
      buildUnsignedPackage({ id: uniquePackageId("E2E.NotHere"), version: "1.0.0" }),
    ),
  };

  await page.goto("/verify");
  await expect(page.getByRole("heading", { name: "Verify a copy", level: 1 })).toBeVisible();
  const answer = page.locator("[data-answer]");

  await drop(page, copies.served);
  await expect(answer).toHaveAttribute("data-answer", "identical");
  await expect(answer.getByRole("heading", { name: "Identical to the published file" })).toBeVisible();
  await expect(answer).toContainText(`Byte for byte the file this gallery publishes as ${id} 1.0.0.`);
  await expect(answer.locator('tr[data-mode="secure"]')).toHaveAttribute("data-outcome", "accept");
  await snapshot(page, "verify-copy-identical");

  await drop(page, copies.uploaded);
  await expect(answer).toHaveAttribute("data-answer", "author-upload");
  await expect(answer).toContainText("Byte for byte what the author uploaded");

  await drop(page, copies.resigned);
  await expect(answer).toHaveAttribute("data-answer", "same-contents");
  await expect(answer).toContainText("only the signatures differ");

  await drop(page, copies.rezipped);
  await expect(answer).toHaveAttribute("data-answer", "rezipped");
  await expect(answer).toContainText("in a different archive");

  await drop(page, copies.tampered);
  await expect(answer).toHaveAttribute("data-answer", "tampered");
  await expect(answer.getByRole("heading", { name: "Changed" })).toBeVisible();
  await expect(answer).toContainText("lib/net8.0/Library.dll");
  await snapshot(page, "verify-copy-tampered");

  await drop(page, copies.unknown);
  await expect(answer).toHaveAttribute("data-answer", "unknown");
  await expect(answer).toContainText("so there is nothing to compare this copy with");

  // By hash: the served file's SHA-512, as sha512sum prints it.
  const { createHash } = await import("node:crypto");
  await page.getByLabel("Or its SHA-512 (hex or base64)").fill(createHash("sha512").update(served).digest("hex"));
  await page.getByRole("button", { name: "Look up" }).click();
  await expect(answer).toHaveAttribute("data-answer", "identical");
  await page.getByLabel("Or its SHA-512 (hex or base64)").fill("not a hash");
  await page.getByRole("button", { name: "Look up" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Give the SHA-512 as 128 hexadecimal digits" })).toBeVisible();
});
