// Versions published before the gallery repository-signed what it publishes, then signed by
// `npm run repo-sign:backfill`: the backfill logs each signing ("repository-signed", with the new
// served SHA-512) in the transaction that changes the version, so `verify --log` and the monitor
// accept the signed file the gallery now serves, still accept a copy of the file as first
// published, and still catch a file that no entry records. A backfill whose transaction fails
// leaves no entry and the bytes the log describes.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import type { PackageStorage } from "@/lib/storage";
import { LocalFolderStorage } from "@/lib/storage/local-folder";
import { checkPackageFile, type LogEndpoint } from "@/lib/tlog/client";
import { parseEntry } from "@/lib/tlog/entry";
import { followLog } from "@/lib/tlog/monitor";
import { readTreeHead } from "@/lib/tlog/store";
import type { RepositorySigner } from "@/lib/trust/repository-signing";
import { repositorySignPublishedVersions } from "@/lib/uploads/backfill";
import { testDialects } from "@/test/db/scratch";
import { createTestPki, trustOf, type TestPki } from "@/test/support/signing";
import type { RunningGallery } from "@/test/interop/push-gallery";
import { createAccounts } from "@/test/api/push-support";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { createUnsignedPublishedVersion } from "@/test/support/published-version";
import { testRepositorySigner } from "@/test/support/repository-signing";
import { logInvariantViolations } from "./invariants";
import { runScript, useLogGallery } from "./log-gallery";
import { services } from "@/lib/services";

const sha512 = (bytes: Uint8Array) => createHash("sha512").update(bytes).digest("base64");

describe.each(testDialects())("the publication log across the repository-signing backfill on %s", (dialect) => {
  const { database, verifierKey, work, storageDir, storedFile: storedFileOf, ...log } = useLogGallery(dialect);
  let db: Db;
  let storage: LocalFolderStorage;
  let gallery: RunningGallery;
  let endpoint: LogEndpoint;
  let pki: TestPki;
  let signer: RepositorySigner;
  let ownerId: string;
  const uploads = new Map<string, Uint8Array>();

  const backfill = () =>
    repositorySignPublishedVersions(db, storage, { signer, trust: trustOf(pki), staging: services.staging });

  async function publishUnsigned(packageId: string): Promise<void> {
    const bytes = buildUnsignedPackage({ id: packageId, version: "1.0.0" });
    uploads.set(packageId, bytes);
    await createUnsignedPublishedVersion(db, storage, { ownerId, packageId, version: "1.0.0", bytes });
  }

  async function download(packageId: string): Promise<Uint8Array> {
    const id = packageId.toLowerCase();
    const response = await fetch(`${gallery.origin}/v3-flatcontainer/${id}/1.0.0/${id}.1.0.0.nupkg`);
    expect(response.status).toBe(200);
    return new Uint8Array(await response.arrayBuffer());
  }

  const storedFile = (packageId: string) => storedFileOf(packageId, "1.0.0");
  const check = (packageId: string, bytes: Uint8Array) =>
    checkPackageFile(endpoint, { packageId, version: "1.0.0", sha512: sha512(bytes) });
  const failureCode = (packageId: string, bytes: Uint8Array) =>
    check(packageId, bytes).then(
      () => "verified",
      (failure: { code: string }) => failure.code,
    );

  beforeAll(async () => {
    db = database();
    storage = new LocalFolderStorage(storageDir);
    pki = await createTestPki();
    signer = await testRepositorySigner(pki.repository, pki.authority);
    ({ alice: ownerId } = await createAccounts(db, ["alice"]));
    gallery = log.gallery();
    endpoint = log.endpoint();
  });

  it("logs each signing with the new served SHA-512 and the repository certificate, and verify --log and the monitor accept the signed files", async () => {
    for (const id of ["Legacy.Alpha", "Legacy.Beta"]) await publishUnsigned(id);
    const before = await followLog(endpoint, null, { idPrefixes: ["legacy."], signers: [] }, { checkFiles: true });
    expect(before.problems).toEqual([]);

    expect(await backfill()).toMatchObject({ signed: 2, failed: [], remaining: 0 });
    expect(await logInvariantViolations(db)).toEqual([]);
    const fingerprint = createHash("sha256").update(pki.repository.der).digest("hex");
    const signings = (
      await db.logEntry.findMany({ where: { kind: "repository-signed" }, orderBy: { index: "asc" } })
    ).map((row) => parseEntry(row.data));
    const rows = await db.packageVersion.findMany({
      orderBy: { publishedAt: "asc" },
      select: { sha512: true, registration: { select: { packageId: true } } },
    });
    expect(signings).toEqual(
      rows.map((row) => ({
        kind: "repository-signed",
        packageId: row.registration.packageId,
        version: "1.0.0",
        publishedSha512: row.sha512,
        repositoryCertificate: fingerprint,
        time: expect.any(Date),
      })),
    );

    for (const id of ["Legacy.Alpha", "Legacy.Beta"]) {
      const served = await download(id);
      expect(sha512(served)).not.toBe(sha512(uploads.get(id) as Uint8Array));
      const report = await check(id, served);
      expect(report.matched).toMatchObject({ entry: { kind: "repository-signed", publishedSha512: sha512(served) } });
      expect(report.supersededBy).toBeNull();
      // A copy downloaded before the backfill is the file as published: still the gallery's.
      const published = await check(id, uploads.get(id) as Uint8Array);
      expect(published.matched.index).toBe(published.publication.index);
      expect(published.supersededBy?.entry.publishedSha512).toBe(sha512(served));
    }

    // The command line says which entry the file matches.
    const servedFile = path.join(work, "alpha.nupkg");
    writeFileSync(servedFile, await download("Legacy.Alpha"));
    const cli = await runScript("scripts/verify.ts", ["--log", gallery.origin, "--log-key", verifierKey, servedFile]);
    expect(cli.stdout).toMatch(
      /repository-signed: \S+ by the gallery, certificate [0-9a-f]{64} \(entry \d+\); the file's SHA-512 matches/,
    );

    // The monitor follows on: the signings are new entries for watched versions, and the files match them.
    const after = await followLog(
      endpoint,
      before.state,
      { idPrefixes: ["legacy."], signers: [] },
      { checkFiles: true },
    );
    expect(after.problems).toEqual([]);
    expect(after.matches.map((line) => line.split(" at ")[0])).toEqual([
      "entry 2: repository-signed Legacy.Alpha 1.0.0",
      "entry 3: repository-signed Legacy.Beta 1.0.0",
    ]);
    const fresh = await followLog(endpoint, null, { idPrefixes: [], signers: [fingerprint] }, { checkFiles: true });
    expect(fresh.problems).toEqual([]);
    expect(fresh.matches).toHaveLength(2);
  });

  it("still catches a stored file swapped after the backfill, and a file that matches no entry", async () => {
    const signedBeta = await download("Legacy.Beta");
    writeFileSync(
      storedFile("Legacy.Beta"),
      buildUnsignedPackage({ id: "Legacy.Beta", version: "1.0.0", description: "Swapped" }),
    );
    const monitored = await followLog(endpoint, null, { idPrefixes: ["legacy."], signers: [] }, { checkFiles: true });
    expect(monitored.problems).toEqual([
      `The gallery serves Legacy.Beta 1.0.0 with SHA-512 ${sha512(readFileSync(storedFile("Legacy.Beta")))}, but the log's last entry for it (entry 3) records ${sha512(signedBeta)}: the stored file was changed.`,
    ]);
    expect(await failureCode("Legacy.Beta", await download("Legacy.Beta"))).toBe("LOG_FILE_MISMATCH");
    // Swapping back the file as first published does not pass the monitor either: the gallery must serve the signed one.
    writeFileSync(storedFile("Legacy.Beta"), uploads.get("Legacy.Beta") as Uint8Array);
    expect(
      (await followLog(endpoint, null, { idPrefixes: ["legacy.beta"], signers: [] }, { checkFiles: true })).problems,
    ).toHaveLength(1);
    writeFileSync(storedFile("Legacy.Beta"), signedBeta);
    expect(
      (await followLog(endpoint, null, { idPrefixes: ["legacy.beta"], signers: [] }, { checkFiles: true })).problems,
    ).toEqual([]);
  });

  it("leaves no entry, the row and the stored bytes as they were, when the rename fails or the commit fails after it", async () => {
    await publishUnsigned("Legacy.Gamma");
    const row = await db.packageVersion.findFirstOrThrow({
      where: { registration: { packageIdLower: "legacy.gamma" } },
    });
    const failingMove: PackageStorage = Object.assign(Object.create(storage) as PackageStorage, {
      move: () => Promise.reject(new Error("the rename failed")),
    });
    // Everything in the transaction succeeds, the file is renamed into place, then the commit fails.
    const failingCommit = new Proxy(db, {
      get: (target, property) =>
        property === "$transaction"
          ? (work: (tx: unknown) => Promise<unknown>, options: unknown) =>
              target.$transaction(
                async (tx) => {
                  await work(tx);
                  throw new Error("the commit failed");
                },
                options as { timeout: number },
              )
          : Reflect.get(target, property, target),
    });
    for (const [failure, attempt] of [
      [
        /the rename failed/,
        () =>
          repositorySignPublishedVersions(db, failingMove, { signer, trust: trustOf(pki), staging: services.staging }),
      ],
      [
        /the commit failed/,
        () =>
          repositorySignPublishedVersions(failingCommit, storage, {
            signer,
            trust: trustOf(pki),
            staging: services.staging,
          }),
      ],
    ] as const) {
      const head = await readTreeHead(db);
      await expect(attempt()).rejects.toThrow(failure);
      expect(await readTreeHead(db)).toEqual(head);
      expect(await db.logEntry.count({ where: { packageIdLower: "legacy.gamma", kind: "repository-signed" } })).toBe(0);
      expect(await db.packageVersion.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
        sha512: row.sha512,
        repositoryCertificateId: null,
      });
      expect(sha512(readFileSync(storedFile("Legacy.Gamma")))).toBe(row.sha512);
      expect(await logInvariantViolations(db)).toEqual([]);
      expect(await failureCode("Legacy.Gamma", await download("Legacy.Gamma"))).toBe("verified");
    }
    expect(await backfill()).toMatchObject({ signed: 1, remaining: 0 });
    expect(await failureCode("Legacy.Gamma", await download("Legacy.Gamma"))).toBe("verified");
  });

  it("refuses to sign a version the log has not published yet, so a signing never precedes its publication", async () => {
    await publishUnsigned("Legacy.Unlogged");
    const { id } = await db.packageVersion.findFirstOrThrow({
      where: { registration: { packageIdLower: "legacy.unlogged" } },
      select: { id: true },
    });
    // As a database migrated from before the log, until db:migrate logs it.
    await db.$executeRawUnsafe(
      dialect === "sqlite"
        ? `DROP TRIGGER "PackageVersion_logged_on_update"`
        : `DROP TRIGGER "PackageVersion_logged_on_update" ON "PackageVersion"`,
    );
    await db.packageVersion.update({ where: { id }, data: { logIndex: null } });
    const result = await backfill();
    expect(result.failed.map((failure) => [failure.packageId, failure.issue.code])).toEqual([
      ["Legacy.Unlogged", "VERSION_NOT_LOGGED"],
    ]);
    expect(await db.logEntry.count({ where: { packageIdLower: "legacy.unlogged", kind: "repository-signed" } })).toBe(
      0,
    );
  });
});
