// Steps the upload specs share: open the upload page, choose a file, read the preview.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { newAccount, signUp, type TestAccount } from "./helpers";
import { sameOriginHeaders } from "./support/environment";

/** A package ID no other test (or earlier run against the same database) uses. */
export function uniquePackageId(prefix: string): string {
  return `${prefix}.${randomBytes(4).toString("hex")}`;
}

export async function openUploadPage(page: Page, account: TestAccount = newAccount()): Promise<TestAccount> {
  await signUp(page, account);
  await page.goto("/upload");
  await expect(page.getByRole("heading", { name: "Upload a package", level: 1 })).toBeVisible();
  return account;
}

export function choosePackage(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }) {
  return page.getByLabel("Choose a package file").setInputFiles(file);
}

/** Drags the file onto the drop zone, as a person dropping it from their file manager. */
export async function dropPackage(page: Page, file: string): Promise<void> {
  const bytes = (await readFile(file)).toString("base64");
  const transfer = await page.evaluateHandle(
    ([name, base64]) => {
      const data = new DataTransfer();
      data.items.add(new File([Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))], name));
      return data;
    },
    [path.basename(file), bytes] as const,
  );
  const zone = page.locator("[data-dropzone]");
  await zone.dispatchEvent("dragover", { dataTransfer: transfer });
  await zone.dispatchEvent("drop", { dataTransfer: transfer });
}

/** Waits for the server's preview of `packageId` `version`. */
export async function expectPreview(page: Page, packageId: string, version: string): Promise<void> {
  await expect(page.getByRole("heading", { name: `${packageId} ${version}`, level: 2 })).toBeVisible({
    timeout: 30_000,
  });
}

export function blockingProblems(page: Page) {
  return page.getByRole("list", { name: "Blocking problems" });
}

export function issueWithCode(page: Page, listName: string, code: string) {
  return page.getByRole("list", { name: listName }).locator(`[data-issue-code="${code}"]`);
}

/** Uploads through the API the page uses, without the page: for setting up attempts quickly. */
export async function uploadForPreview(page: Page, name: string, buffer: Buffer) {
  return page.request.post("/api/uploads", {
    headers: sameOriginHeaders,
    multipart: { package: { name, mimeType: "application/octet-stream", buffer } },
  });
}

export interface PageUploadVerdict {
  status: "accepted" | "rejected";
  attemptId: string;
  /** The blocking reasons, most actionable first (empty when accepted). */
  errorCodes: string[];
  /** Where the refusal came from: at once on upload (the rules refused it) or on submit (judged again). */
  refusedAt: "upload" | "submit" | null;
}

interface PreviewAnswer {
  preview: { attemptId: string; refused: boolean; issues: { code: string; level: string }[] };
}

/**
 * Uploads and submits as the upload page does: a package the rules refuse is refused at once
 * (recorded, nothing to submit); any other is submitted and judged again.
 */
export async function uploadThroughPage(page: Page, name: string, buffer: Buffer): Promise<PageUploadVerdict> {
  const uploaded = await uploadForPreview(page, name, buffer);
  expect(uploaded.status(), await uploaded.text()).toBe(201);
  const { preview } = (await uploaded.json()) as PreviewAnswer;
  const errorsIn = (issues: { code: string; level: string }[]) =>
    issues.filter((issue) => issue.level === "error").map((issue) => issue.code);
  if (preview.refused)
    return {
      status: "rejected",
      attemptId: preview.attemptId,
      errorCodes: errorsIn(preview.issues),
      refusedAt: "upload",
    };
  const submitted = await page.request.post(`/api/uploads/${preview.attemptId}/submit`, { headers: sameOriginHeaders });
  const body = (await submitted.json()) as {
    status: "accepted" | "rejected";
    issues: { code: string; level: string }[];
  };
  // A verdict either way; a fault (5xx, no verdict) fails here with its answer, not further on.
  expect(["accepted", "rejected"], `${submitted.status()} ${JSON.stringify(body)}`).toContain(body.status);
  expect(submitted.status() === 201, JSON.stringify(body)).toBe(body.status === "accepted");
  return {
    status: body.status,
    attemptId: preview.attemptId,
    errorCodes: errorsIn(body.issues),
    refusedAt: body.status === "rejected" ? "submit" : null,
  };
}
