import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { discardReceivedPackage, receiveMultipartPackage, receivePackageStream, removeAbandonedStagingFiles, STAGING_FILE_LIFETIME_MS, STAGING_FOLDER } from "./receive";

let root = "";

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "signet-receive-"));
  vi.stubEnv("SIGNET_STORAGE_DIR", root);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(root, { recursive: true, force: true });
});

const stagedFiles = async () => readdir(path.join(root, STAGING_FOLDER)).catch(() => []);

function sha512(bytes: Uint8Array): string {
  return createHash("sha512").update(bytes).digest("base64");
}

/** Endless 64 KB chunks, counting how many were pulled. */
function endlessBody(counter: { chunks: number }): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        counter.chunks++;
        yield new Uint8Array(64 * 1024).fill(7);
      }
    },
  };
}

function multipartRequest(parts: FormData): Request {
  return new Request("http://gallery.test/api/v2/package", { method: "PUT", body: parts });
}

describe("receivePackageStream", () => {
  it("writes the bytes to a staging file and reports their size and SHA-512", async () => {
    const bytes = new TextEncoder().encode("package bytes ".repeat(1000));
    const received = await receivePackageStream(new Blob([bytes]).stream(), { maxBytes: 1_000_000 });
    expect(received).toMatchObject({ size: bytes.byteLength, sha512: sha512(bytes), stagingKey: expect.stringMatching(/^incoming\/[0-9a-f]{32}\.nupkg$/) });
    expect(received.path).toBe(path.join(root, ...received.stagingKey.split("/")));
    expect(new Uint8Array(await readFile(received.path))).toEqual(bytes);
    await discardReceivedPackage(received);
    await discardReceivedPackage(received);
    expect(existsSync(received.path)).toBe(false);
  });

  it("stops reading as soon as the limit is passed, answers PACKAGE_TOO_LARGE and leaves no file", async () => {
    const counter = { chunks: 0 };
    await expect(receivePackageStream(endlessBody(counter), { maxBytes: 1024 * 1024 })).rejects.toMatchObject({ code: "PACKAGE_TOO_LARGE" });
    // 16 chunks reach the limit; a little read-ahead is fine, reading on is not.
    expect(counter.chunks).toBeLessThan(40);
    expect(await stagedFiles()).toEqual([]);
  });

  it("refuses an empty or missing body with PACKAGE_EMPTY", async () => {
    await expect(receivePackageStream(new Blob([]).stream(), { maxBytes: 100 })).rejects.toMatchObject({ code: "PACKAGE_EMPTY" });
    await expect(receivePackageStream(null, { maxBytes: 100 })).rejects.toMatchObject({ code: "PACKAGE_EMPTY" });
    expect(await stagedFiles()).toEqual([]);
  });

  it("cleans up when the client goes away midway", async () => {
    async function* brokenBody() {
      yield new Uint8Array(1000);
      throw new Error("socket hang up");
    }
    await expect(receivePackageStream(brokenBody(), { maxBytes: 1_000_000 })).rejects.toMatchObject({ code: "UPLOAD_INTERRUPTED" });
    expect(await stagedFiles()).toEqual([]);
  });
});

describe("receiveMultipartPackage", () => {
  it("takes the first file part, as the NuGet client sends it", async () => {
    const bytes = new Uint8Array(300_000).map((_, index) => index % 251);
    const form = new FormData();
    form.append("note", "not a file");
    form.append("package", new Blob([bytes]), "Contoso.Utils.1.0.0.nupkg");
    form.append("second", new Blob([new Uint8Array(10)]), "ignored.nupkg");
    const received = await receiveMultipartPackage(multipartRequest(form), { maxBytes: 1_000_000 });
    expect(received).toMatchObject({ size: bytes.byteLength, sha512: sha512(bytes) });
    await discardReceivedPackage(received);
  });

  it("applies the size limit to the file part while it streams", async () => {
    const form = new FormData();
    form.append("package", new Blob([new Uint8Array(2_000_000)]), "big.nupkg");
    await expect(receiveMultipartPackage(multipartRequest(form), { maxBytes: 1_000_000 })).rejects.toMatchObject({ code: "PACKAGE_TOO_LARGE" });
    expect(await stagedFiles()).toEqual([]);
  });

  it("refuses a form without a file, and a body that is not multipart", async () => {
    const form = new FormData();
    form.append("note", "no file here");
    await expect(receiveMultipartPackage(multipartRequest(form), { maxBytes: 1000 })).rejects.toMatchObject({ code: "PACKAGE_MISSING" });
    const raw = new Request("http://gallery.test/api/v2/package", { method: "PUT", body: "raw", headers: { "content-type": "application/octet-stream" } });
    await expect(receiveMultipartPackage(raw, { maxBytes: 1000 })).rejects.toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
    const truncated = new Request("http://gallery.test/api/v2/package", {
      method: "PUT",
      body: "--boundary\r\nContent-Disposition: form-data; name=\"package\"; filename=\"a.nupkg\"\r\n\r\nPK",
      headers: { "content-type": "multipart/form-data; boundary=boundary" },
    });
    await expect(receiveMultipartPackage(truncated, { maxBytes: 1000 })).rejects.toMatchObject({ code: "UPLOAD_INTERRUPTED" });
    expect(await stagedFiles()).toEqual([]);
  });
});

describe("removeAbandonedStagingFiles", () => {
  it("removes staging files older than a day and keeps younger ones", async () => {
    const now = new Date("2026-11-23T12:00:00Z");
    const folder = path.join(root, STAGING_FOLDER);
    await mkdir(folder, { recursive: true });
    const stamp = async (name: string, ageMs: number) => {
      const file = path.join(folder, name);
      await writeFile(file, "partial");
      const time = new Date(now.getTime() - ageMs);
      await utimes(file, time, time);
    };
    await stamp("old.nupkg", STAGING_FILE_LIFETIME_MS + 1000);
    await stamp("young.nupkg", STAGING_FILE_LIFETIME_MS - 60_000);
    expect(await removeAbandonedStagingFiles(now)).toBe(1);
    expect(await stagedFiles()).toEqual(["young.nupkg"]);
    await rm(path.join(folder, "young.nupkg"));
  });
});
