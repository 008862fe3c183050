import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  discardReceivedPackage,
  receiveMultipartPackage,
  receivePackageStream,
  removeAbandonedStagingFiles,
  StagingFiles,
  STAGING_FILE_IDLE_MS,
  STAGING_FOLDER,
} from "./receive";

let root = "";
const staging = new StagingFiles();

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
    const received = await receivePackageStream(new Blob([bytes]).stream(), { maxBytes: 1_000_000, staging });
    expect(received).toMatchObject({
      size: bytes.byteLength,
      sha512: sha512(bytes),
      stagingKey: expect.stringMatching(/^incoming\/[a-z0-9-]+\+\d+\+[0-9a-f]{32}\.nupkg$/),
    });
    expect(received.path).toBe(path.join(root, ...received.stagingKey.split("/")));
    expect(new Uint8Array(await readFile(received.path))).toEqual(bytes);
    await discardReceivedPackage(received);
    await discardReceivedPackage(received);
    expect(existsSync(received.path)).toBe(false);
  });

  it("stops reading as soon as the limit is passed, answers PACKAGE_TOO_LARGE and leaves no file", async () => {
    const counter = { chunks: 0 };
    await expect(receivePackageStream(endlessBody(counter), { maxBytes: 1024 * 1024, staging })).rejects.toMatchObject({
      code: "PACKAGE_TOO_LARGE",
    });
    // 16 chunks reach the limit; a little read-ahead is fine, reading on is not.
    expect(counter.chunks).toBeLessThan(40);
    expect(await stagedFiles()).toEqual([]);
  });

  it("leaves no file when the first chunk alone is over the limit", async () => {
    async function* oneBigChunk() {
      yield new Uint8Array(2_000_000);
    }
    // Many at once, so that the file system's thread pool is busy, as on a loaded server.
    const refusals = Array.from({ length: 64 }, () =>
      receivePackageStream(oneBigChunk(), { maxBytes: 1_000_000, staging }),
    );
    for (const refusal of refusals) await expect(refusal).rejects.toMatchObject({ code: "PACKAGE_TOO_LARGE" });
    // A file opened after the refusal would appear a moment later.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await stagedFiles()).toEqual([]);
  });

  it("refuses an empty or missing body with PACKAGE_EMPTY", async () => {
    await expect(receivePackageStream(new Blob([]).stream(), { maxBytes: 100, staging })).rejects.toMatchObject({
      code: "PACKAGE_EMPTY",
    });
    await expect(receivePackageStream(null, { maxBytes: 100, staging })).rejects.toMatchObject({
      code: "PACKAGE_EMPTY",
    });
    expect(await stagedFiles()).toEqual([]);
  });

  it("cleans up when the client goes away midway", async () => {
    async function* brokenBody() {
      yield new Uint8Array(1000);
      throw new Error("socket hang up");
    }
    await expect(receivePackageStream(brokenBody(), { maxBytes: 1_000_000, staging })).rejects.toMatchObject({
      code: "UPLOAD_INTERRUPTED",
    });
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
    const received = await receiveMultipartPackage(multipartRequest(form), { maxBytes: 1_000_000, staging });
    expect(received).toMatchObject({ size: bytes.byteLength, sha512: sha512(bytes) });
    await discardReceivedPackage(received);
  });

  it("applies the size limit to the file part while it streams", async () => {
    const form = new FormData();
    form.append("package", new Blob([new Uint8Array(2_000_000)]), "big.nupkg");
    await expect(
      receiveMultipartPackage(multipartRequest(form), { maxBytes: 1_000_000, staging }),
    ).rejects.toMatchObject({ code: "PACKAGE_TOO_LARGE" });
    expect(await stagedFiles()).toEqual([]);
  });

  it("refuses a form without a file, and a body that is not multipart", async () => {
    const form = new FormData();
    form.append("note", "no file here");
    await expect(receiveMultipartPackage(multipartRequest(form), { maxBytes: 1000, staging })).rejects.toMatchObject({
      code: "PACKAGE_MISSING",
    });
    const raw = new Request("http://gallery.test/api/v2/package", {
      method: "PUT",
      body: "raw",
      headers: { "content-type": "application/octet-stream" },
    });
    await expect(receiveMultipartPackage(raw, { maxBytes: 1000, staging })).rejects.toMatchObject({
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
    const truncated = new Request("http://gallery.test/api/v2/package", {
      method: "PUT",
      body: '--boundary\r\nContent-Disposition: form-data; name="package"; filename="a.nupkg"\r\n\r\nPK',
      headers: { "content-type": "multipart/form-data; boundary=boundary" },
    });
    await expect(receiveMultipartPackage(truncated, { maxBytes: 1000, staging })).rejects.toMatchObject({
      code: "UPLOAD_INTERRUPTED",
    });
    expect(await stagedFiles()).toEqual([]);
  });
});

describe("removeAbandonedStagingFiles", () => {
  const folder = () => path.join(root, STAGING_FOLDER);
  const host = hostname()
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-");

  async function stamp(name: string, ageMs: number, now = new Date()): Promise<void> {
    await mkdir(folder(), { recursive: true });
    const file = path.join(folder(), name);
    await writeFile(file, "partial");
    const time = new Date(now.getTime() - ageMs);
    await utimes(file, time, time);
  }

  /** The pid of a process that has run and exited. */
  async function deadPid(): Promise<number> {
    const child = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => child.on("exit", resolve));
    return child.pid!;
  }

  it("removes at once what a stopped process on this host left, and what sat unchanged for an hour", async () => {
    const dead = await deadPid();
    await stamp(`${host}+${dead}+fresh.nupkg`, 0);
    await stamp(`other-host+${dead}+young.nupkg`, STAGING_FILE_IDLE_MS - 60_000);
    await stamp(`other-host+${dead}+idle.nupkg`, STAGING_FILE_IDLE_MS + 1000);
    await stamp("legacy-name-idle.nupkg", STAGING_FILE_IDLE_MS + 1000);
    // A process that still runs (this test's parent) keeps its recent files.
    await stamp(`${host}+${process.ppid}+live.nupkg`, 60_000);
    expect(await removeAbandonedStagingFiles(staging)).toBe(3);
    expect((await stagedFiles()).sort()).toEqual(
      [`${host}+${process.ppid}+live.nupkg`, `other-host+${dead}+young.nupkg`].sort(),
    );
    await rm(folder(), { recursive: true });
  });

  it("never removes a file an upload in this process is still writing, however old it looks", async () => {
    const body = new PassThrough();
    const receiving = receivePackageStream(body, { maxBytes: 1_000_000, staging });
    body.write("PK partial upload");
    await vi.waitFor(async () => expect(await stagedFiles()).toHaveLength(1));
    const [name] = await stagedFiles();
    const longAgo = new Date(Date.now() - 10 * STAGING_FILE_IDLE_MS);
    await utimes(path.join(folder(), name!), longAgo, longAgo);
    expect(await removeAbandonedStagingFiles(staging)).toBe(0);
    body.end(" and the rest");
    const received = await receiving;
    expect(received.size).toBe("PK partial upload and the rest".length);
    // Once discarded it is no longer in flight, and an hour-old file of this process would go.
    await discardReceivedPackage(received);
    expect(await stagedFiles()).toEqual([]);
  });
});
