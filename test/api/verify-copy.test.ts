// Verify a copy over the API (app/api/verify/route.ts), on a gallery that publishes through the
// real pipeline, repository signature included: each kind of copy gets its own answer.
//   identical      the file the gallery serves;
//   author-upload  the package as its author uploaded it, before the gallery's signature;
//   same-contents  the same package signed by another repository;
//   rezipped       the same files in another archive;
//   tampered       a file changed (and named);
//   unknown        an ID and version the gallery does not have;
//   unreadable     not a package.
// And by hash alone: the served file, the uploaded file, an unknown hash, a malformed one.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { CopyAnswer } from "@/lib/copies/verify-copy";
import type { Db } from "@/lib/db";
import { bufferSource } from "@/lib/zip/source";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { buildUnsignedPackage, replaceEntryContent } from "@/test/support/nupkg";
import { readZip, writeZip } from "@/test/support/zip";
import { forgetServices } from "@/test/support/services";
import { services } from "@/lib/services";

const ORIGIN = "http://gallery.test";
const execFileAsync = promisify(execFile);

/** `npm run verify` as a process, as a script would run it (the launcher and its bundle). */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ["scripts/cli/verify.mjs", ...args], {
      cwd: path.resolve(__dirname, "../.."),
    });
    return { code: 0, stdout, stderr };
  } catch (failure) {
    const { code, stdout, stderr } = failure as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

async function answerOf(response: Response): Promise<CopyAnswer> {
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { answer: CopyAnswer }).answer;
}

describe.each(testDialects())("verify a copy on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  let db: Db;
  let route: typeof import("@/app/api/verify/route");
  let uploaded: Uint8Array;
  let served: Uint8Array;

  function post(bytes: Uint8Array, contentType = "application/octet-stream"): Promise<Response> {
    return route.POST(
      new Request(`${ORIGIN}/api/verify`, {
        method: "POST",
        headers: { "content-type": contentType },
        body: Buffer.from(bytes),
      }),
    );
  }

  function byHash(hash: string): Promise<Response> {
    return route.GET(new Request(`${ORIGIN}/api/verify?sha512=${encodeURIComponent(hash)}`));
  }

  beforeAll(async () => {
    const dataDirectory = mkdtempSync(path.join(tmpdir(), "signet-verify-copy-"));
    vi.stubEnv("SIGNET_DATA_DIR", dataDirectory);
    vi.stubEnv("SIGNET_STORAGE_DIR", path.join(dataDirectory, "packages"));
    vi.stubEnv("NEXTAUTH_URL", ORIGIN);
    forgetServices("storage", "trustStore", "repositorySigner");
    db = database();
    route = await import("@/app/api/verify/route");
    const { submitPackage, receivePackageStream } = await import("@/lib/uploads");
    const { getStorage } = await import("@/lib/services");
    const alice = (await db.user.create({ data: { email: "alice@example.test", username: "alice" } })).id;
    uploaded = buildUnsignedPackage({
      id: "Verify.Copy",
      version: "1.0.0",
      files: { "lib/net8.0/Verify.Copy.dll": "not really a dll", "content/readme.txt": "hello" },
    });
    const outcome = await submitPackage(
      db,
      getStorage(),
      await receivePackageStream(Readable.from([Buffer.from(uploaded)]), {
        maxBytes: 10_000_000,
        staging: services.staging,
      }),
      { ...services.judging(), uploaderId: alice, source: "API" },
    );
    expect(outcome.status, JSON.stringify(outcome.issues)).toBe("accepted");
    const version = await db.packageVersion.findFirstOrThrow({
      where: { registration: { packageIdLower: "verify.copy" } },
    });
    const stream = await getStorage().get(version.storageKey);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    served = new Uint8Array(Buffer.concat(chunks));
  }, 120_000);

  it("knows the file the gallery serves, byte for byte, who signed it and what each policy does with it", async () => {
    const answer = await answerOf(await post(served));
    expect(answer).toMatchObject({
      kind: "identical",
      package: { id: "Verify.Copy", version: "1.0.0" },
      signature: { status: "valid", signerName: null },
    });
    expect(answer.sentence).toBe("Byte for byte the file this gallery publishes as Verify.Copy 1.0.0.");
    expect(answer.signature?.repositoryName).toBeTruthy();
    expect(answer.verdicts?.map((verdict) => [verdict.mode, verdict.outcome])).toEqual([
      ["developer", "accept"],
      ["default", "accept"],
      ["secure", "accept"],
    ]);
  });

  it("knows the package as its author uploaded it, before the gallery's repository signature", async () => {
    const answer = await answerOf(await post(uploaded, "application/zip"));
    expect(answer).toMatchObject({
      kind: "author-upload",
      package: { id: "Verify.Copy", version: "1.0.0" },
      signature: { status: "unsigned" },
    });
    expect(answer.verdicts?.find((verdict) => verdict.mode === "secure")).toMatchObject({
      outcome: "refuse",
      code: "NU3004",
    });
  });

  it("tells the same contents signed by another repository apart from the published file", async () => {
    const { ensureDevelopmentPki } = await import("@/lib/trust/development-pki");
    const { loadRepositorySigner } = await import("@/lib/trust/repository-signing");
    const { repositorySignPackage } = await import("@/lib/signing/sign");
    const otherDirectory = mkdtempSync(path.join(tmpdir(), "signet-other-repository-"));
    await ensureDevelopmentPki(otherDirectory);
    const other = await loadRepositorySigner(otherDirectory, {});
    const signed = await repositorySignPackage(bufferSource(uploaded), {
      key: other.key,
      timestamper: other.timestamper,
      serviceIndexUrl: "https://elsewhere.example/v3/index.json",
      owners: ["someone"],
    });
    const chunks: Buffer[] = [];
    for await (const chunk of signed.package.stream(0, signed.package.size)) chunks.push(Buffer.from(chunk));
    const bytes = new Uint8Array(Buffer.concat(chunks));
    const answer = await answerOf(await post(bytes));
    expect(answer.kind).toBe("same-contents");
    expect(answer.sentence).toMatch(
      /^The same package contents as Verify\.Copy 1\.0\.0 published here; only the signatures differ: it is signed and by the repository /,
    );
  });

  it("tells the same files in another archive apart from a changed copy, naming what changed", async () => {
    const zip = readZip(uploaded);
    const rezipped = writeZip({ ...zip, entries: [...zip.entries].reverse() });
    const again = await answerOf(await post(rezipped));
    expect(again).toMatchObject({ kind: "rezipped", differences: { changed: [], added: [], removed: [] } });
    expect(again.sentence).toBe(
      "The same files as Verify.Copy 1.0.0 published here, in a different archive: its bytes differ, and it carries no signature.",
    );

    const tampered = await answerOf(
      await post(replaceEntryContent(uploaded, "lib/net8.0/Verify.Copy.dll", "a trojan")),
    );
    expect(tampered).toMatchObject({
      kind: "tampered",
      differences: { changed: ["lib/net8.0/Verify.Copy.dll"], added: [], removed: [] },
    });
    expect(tampered.sentence).toBe(
      "Not what this gallery publishes as Verify.Copy 1.0.0: files 1 changed (lib/net8.0/Verify.Copy.dll). Do not use this copy.",
    );
  });

  it("says when it has nothing to compare with, or cannot read the file", async () => {
    expect(await answerOf(await post(buildUnsignedPackage({ id: "Nobody.Has.This", version: "2.0.0" })))).toMatchObject(
      {
        kind: "unknown",
        sentence: "This gallery has no Nobody.Has.This 2.0.0, so there is nothing to compare this copy with.",
      },
    );
    const unreadable = await answerOf(await post(new TextEncoder().encode("this is not a zip file at all")));
    expect(unreadable.kind).toBe("unreadable");
  });

  it("answers by hash alone: the served file, the uploaded file, or nothing it can tell", async () => {
    const hex = (bytes: Uint8Array) => createHash("sha512").update(bytes).digest("hex");
    expect((await answerOf(await byHash(hex(served)))).kind).toBe("identical");
    expect((await answerOf(await byHash(createHash("sha512").update(uploaded).digest("base64")))).kind).toBe(
      "author-upload",
    );
    expect(await answerOf(await byHash("ab".repeat(64)))).toMatchObject({ kind: "unknown", package: null });
    const malformed = await byHash("not-a-hash");
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe("HASH_INVALID");
  });

  it("answers `npm run verify -- --against <gallery>` with the exit code of each kind of copy", async () => {
    const { startPushGallery } = await import("@/test/interop/push-gallery");
    const gallery = await startPushGallery();
    const directory = mkdtempSync(path.join(tmpdir(), "signet-verify-cli-"));
    const file = async (name: string, bytes: Uint8Array) => {
      const target = path.join(directory, name);
      await writeFile(target, bytes);
      return target;
    };
    try {
      const cli = (target: string, ...extra: string[]) => runCli(["--against", gallery.origin, target, ...extra]);
      const identical = await cli(await file("served.nupkg", served));
      expect(identical.code, identical.stderr).toBe(0);
      expect(identical.stdout).toContain(
        "IDENTICAL\nByte for byte the file this gallery publishes as Verify.Copy 1.0.0.",
      );
      expect(
        await cli(await file("tampered.nupkg", replaceEntryContent(uploaded, "content/readme.txt", "changed"))),
      ).toMatchObject({ code: 1 });
      const zip = readZip(uploaded);
      expect(
        await cli(await file("rezipped.nupkg", writeZip({ ...zip, entries: [...zip.entries].reverse() }))),
      ).toMatchObject({ code: 3 });
      const unknown = await cli(
        await file("unknown.nupkg", buildUnsignedPackage({ id: "Nobody.Has.This", version: "1.0.0" })),
        "--json",
      );
      expect(unknown.code).toBe(2);
      expect((JSON.parse(unknown.stdout) as CopyAnswer).kind).toBe("unknown");
    } finally {
      await gallery.close();
    }
  }, 120_000);

  it("refuses a body that is not a package upload, and a package over the size limit", async () => {
    const wrongType = await post(served, "text/plain");
    expect(wrongType.status).toBe(415);
    vi.stubEnv("SIGNET_MAX_PACKAGE_BYTES", "1024");
    try {
      const tooLarge = await post(served);
      expect(tooLarge.status).toBe(413);
      expect(((await tooLarge.json()) as { error: { code: string } }).error.code).toBe("PACKAGE_TOO_LARGE");
    } finally {
      vi.stubEnv("SIGNET_MAX_PACKAGE_BYTES", String(10_000_000));
    }
    // Nothing is left behind in the staging folder.
    const { readdir } = await import("node:fs/promises");
    const staged = await readdir(path.join(process.env.SIGNET_STORAGE_DIR ?? "", "incoming")).catch(() => []);
    expect(staged).toEqual([]);
  });
});
