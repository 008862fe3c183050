// Background work on each database's queue (pg-boss on PostgreSQL, the in-process runner on
// SQLite): every kind of job runs through it, a waiting job is not queued twice, a failing job
// is retried, a job whose worker was killed midway is run by the next one, and each job's work
// is idempotent (download roll-ups, revalidation after a trust change, repository signing).
import { spawn } from "node:child_process";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import type { JobHandlers, JobQueue } from "@/lib/jobs/queue";
import { LocalFolderStorage } from "@/lib/storage/local-folder";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { createAccounts, useScratchStorage } from "@/test/api/push-support";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { createUnsignedPublishedVersion } from "@/test/support/published-version";
import { createTestPki, signedPackage, trustOf, type TestPki } from "@/test/support/signing";
import { testJobQueue } from "./test-queue";
import { services } from "@/lib/services";

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(
        `still not done after ${timeoutMs} ms: ${JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? String(item) : item))}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each(testDialects())("background jobs on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  // Uploads are staged under the storage folder the app's configuration names.
  const storage = new LocalFolderStorage(useScratchStorage());
  let db: Db;
  let url: string;
  let ids: Record<"carol", string>;
  let pki: TestPki;
  const queues: JobQueue[] = [];
  const queue = () => {
    const made = testJobQueue(dialect, db, url);
    queues.push(made);
    return made;
  };
  const noWork: JobHandlers = {
    "revalidate-signatures": async () => undefined,
    "repository-sign-backlog": async () => undefined,
    "roll-up-downloads": async () => undefined,
  };

  beforeAll(async () => {
    db = database();
    url = process.env.DATABASE_URL ?? "";
    ids = await createAccounts(db, ["carol"]);
    pki = await createTestPki();
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((made) => made.stop()));
  });

  async function publishUnsigned(packageId: string): Promise<{ id: string; registrationId: string }> {
    const { id } = await createUnsignedPublishedVersion(db, storage, {
      ownerId: ids.carol,
      packageId,
      version: "1.0.0",
      bytes: buildUnsignedPackage({ id: packageId, version: "1.0.0" }),
    });
    return db.packageVersion.findUniqueOrThrow({ where: { id }, select: { id: true, registrationId: true } });
  }

  async function downloadsOf(registrationId: string): Promise<{ stats: bigint | undefined; documents: bigint[] }> {
    const stats = await db.searchPackageStats.findUnique({ where: { registrationId } });
    const documents = await db.searchDocument.findMany({ where: { registrationId }, select: { downloads: true } });
    return { stats: stats?.downloads, documents: documents.map((document) => document.downloads) };
  }

  async function versionTotals(
    registrationId: string,
  ): Promise<Array<{ packageVersionId: string; downloads: bigint }>> {
    return db.versionDownloadTotal.findMany({
      where: { registrationId },
      select: { packageVersionId: true, downloads: true },
      orderBy: { packageVersionId: "asc" },
    });
  }

  async function days(
    registrationId: string,
  ): Promise<Array<{ packageVersionId: string; day: string; downloads: bigint }>> {
    return db.versionDownloadDay.findMany({
      where: { registrationId },
      select: { packageVersionId: true, day: true, downloads: true },
      orderBy: [{ packageVersionId: "asc" }, { day: "asc" }],
    });
  }

  it("runs a job sent while it waits, queues a waiting singleton once, and retries a failing job", async () => {
    const runs: string[] = [];
    let failuresLeft = 1;
    const worker = queue();
    const handlers: JobHandlers = {
      ...noWork,
      "revalidate-signatures": async ({ certificateId }) => {
        runs.push(`revalidate ${certificateId}`);
      },
      "roll-up-downloads": async () => {
        runs.push("roll-up");
        if (failuresLeft-- > 0) throw new Error("database busy");
      },
    };
    await worker.send("revalidate-signatures", { certificateId: "c1" }, { singletonKey: "c1" });
    await worker.send("revalidate-signatures", { certificateId: "c1" }, { singletonKey: "c1" });
    await worker.send("revalidate-signatures", { certificateId: "c2" }, { singletonKey: "c2" });
    await worker.work(handlers);
    await worker.send("roll-up-downloads", {});
    await until(
      async () => runs.length,
      (count) => count >= 4,
      45_000,
    );
    expect(runs.filter((run) => run.startsWith("revalidate")).sort()).toEqual(["revalidate c1", "revalidate c2"]);
    expect(runs.filter((run) => run === "roll-up")).toEqual(["roll-up", "roll-up"]);
  });

  it("rolls downloads up once each, per version and per UTC day, however often and however many at once it runs", async () => {
    const first = await publishUnsigned("Contoso.Counted");
    const { id: secondId } = await createUnsignedPublishedVersion(db, storage, {
      ownerId: ids.carol,
      packageId: "Contoso.Counted",
      version: "2.0.0",
      bytes: buildUnsignedPackage({ id: "Contoso.Counted", version: "2.0.0" }),
    });
    const { DownloadCounter, rollUpDownloads } = await import("@/lib/jobs/downloads");
    const counter = new DownloadCounter(() => db, 3_600_000);
    const one = { registrationId: first.registrationId, packageVersionId: first.id };
    const two = { registrationId: first.registrationId, packageVersionId: secondId };
    for (let i = 0; i < 5; i += 1) counter.count(one, new Date("2026-11-30T23:59:59Z"));
    counter.count(one, new Date("2026-12-01T00:00:00Z"));
    counter.count(two, new Date("2026-12-01T10:00:00Z"));
    // Seven downloads become three events (one per version and day), not seven rows.
    expect(await counter.flush()).toBe(7);
    expect(await db.downloadEvent.count()).toBe(3);
    // A download recorded before per-version counting names only the package.
    await db.downloadEvent.create({ data: { registrationId: first.registrationId } });
    const revisionBefore = (await db.packageRegistration.findUniqueOrThrow({ where: { id: first.registrationId } }))
      .revision;

    const counted = await Promise.all([rollUpDownloads(db), rollUpDownloads(db)]);
    expect(counted[0] + counted[1]).toBe(8);
    expect(await downloadsOf(first.registrationId)).toEqual({ stats: 8n, documents: [8n] });
    expect(await versionTotals(first.registrationId)).toEqual(
      [
        { packageVersionId: first.id, downloads: 6n },
        { packageVersionId: secondId, downloads: 1n },
      ].sort((a, b) => (a.packageVersionId < b.packageVersionId ? -1 : 1)),
    );
    expect(await days(first.registrationId)).toEqual(
      [
        { packageVersionId: first.id, day: "2026-11-30", downloads: 5n },
        { packageVersionId: first.id, day: "2026-12-01", downloads: 1n },
        { packageVersionId: secondId, day: "2026-12-01", downloads: 1n },
      ].sort((a, b) => (a.packageVersionId + a.day < b.packageVersionId + b.day ? -1 : 1)),
    );
    // The package's pages are rendered afresh with the new counts.
    expect(
      (await db.packageRegistration.findUniqueOrThrow({ where: { id: first.registrationId } })).revision,
    ).toBeGreaterThan(revisionBefore);

    // Rerunning counts nothing again; a later download adds to the same rows.
    expect(await rollUpDownloads(db)).toBe(0);
    counter.count(one, new Date("2026-12-01T12:00:00Z"));
    await counter.flush();
    expect(await rollUpDownloads(db)).toBe(1);
    expect(await downloadsOf(first.registrationId)).toEqual({ stats: 9n, documents: [9n] });
    expect(
      (await days(first.registrationId)).find((row) => row.packageVersionId === first.id && row.day === "2026-12-01")
        ?.downloads,
    ).toBe(2n);
    expect(await db.downloadEvent.count()).toBe(0);
  });

  it("runs a job again when the worker that took it was killed, and the work is done once", async () => {
    const { id, registrationId } = await publishUnsigned("Contoso.Restarted");
    const { DownloadCounter } = await import("@/lib/jobs/downloads");
    const counter = new DownloadCounter(() => db, 3_600_000);
    for (let i = 0; i < 3; i += 1)
      counter.count({ registrationId, packageVersionId: id }, new Date("2026-12-01T08:00:00Z"));
    await counter.flush();
    await queue().send("roll-up-downloads", {});

    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(import.meta.dirname, "stalled-worker.ts"), dialect, url],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("taken roll-up-downloads")) resolve();
      });
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      void exited.then(() => reject(new Error(`the stalled worker exited early: ${output}`)));
    });
    child.kill("SIGKILL");
    await exited;
    // Taken and never finished: nothing was counted.
    expect(await downloadsOf(registrationId)).toMatchObject({ stats: 0n });

    const { jobHandlers } = await import("@/lib/jobs");
    const restarted = queue();
    await restarted.work(
      jobHandlers({
        db,
        storage,
        staging: services.staging,
        trustStore: () => services.getTrustStore(),
        repositorySigner: () => services.getRepositorySigner(),
      }),
    );
    expect(
      await until(
        () => downloadsOf(registrationId),
        (totals) => totals.stats === 3n,
        60_000,
      ),
    ).toEqual({ stats: 3n, documents: [3n] });
    expect(await versionTotals(registrationId)).toEqual([{ packageVersionId: id, downloads: 3n }]);
    expect(await days(registrationId)).toEqual([{ packageVersionId: id, day: "2026-12-01", downloads: 3n }]);
  });

  it("repository-signs the versions published before repository signing, through the queue", async () => {
    const { id } = await publishUnsigned("Contoso.Backlog");
    const { BACKLOG_KEY, jobHandlers } = await import("@/lib/jobs");
    const worker = queue();
    await worker.work(
      jobHandlers({
        db,
        storage,
        staging: services.staging,
        trustStore: () => services.getTrustStore(),
        repositorySigner: () => services.getRepositorySigner(),
      }),
    );
    await worker.send("repository-sign-backlog", {}, { singletonKey: BACKLOG_KEY });
    const signed = await until(
      () =>
        db.packageVersion.findUniqueOrThrow({ where: { id }, select: { repositoryCertificateId: true, sha512: true } }),
      (row) => row.repositoryCertificateId !== null,
    );
    // Run again: nothing left to sign, the file and row stay as they are.
    const { repositorySignPublishedVersions } = await import("@/lib/uploads/backfill");
    expect(
      (
        await repositorySignPublishedVersions(db, storage, {
          signer: await services.getRepositorySigner(),
          trust: services.getTrustStore(),
          staging: services.staging,
        })
      ).signed,
    ).toBe(0);
    expect(
      await db.packageVersion.findUniqueOrThrow({
        where: { id },
        select: { repositoryCertificateId: true, sha512: true },
      }),
    ).toEqual(signed);
  });

  it("revalidates signed versions when the trust store changes: verdicts follow the roots, and an unchanged store changes nothing", async () => {
    const certificate = await db.certificate.create({
      data: {
        sha256Fingerprint: (await import("node:crypto")).createHash("sha256").update(pki.author.der).digest("hex"),
      },
    });
    await db.registeredCertificate.create({ data: { userId: ids.carol, certificateId: certificate.id } });
    const uploads = await import("@/lib/uploads");
    const bytes = await signedPackage(
      { primary: { signer: pki.author, kind: "author", authority: pki.authority } },
      buildUnsignedPackage({ id: "Contoso.Signed", version: "1.0.0" }),
    );
    const received = await uploads.receivePackageStream(Readable.from([Buffer.from(bytes)]), {
      maxBytes: 10_000_000,
      staging: services.staging,
    });
    try {
      const outcome = await uploads.submitPackage(db, storage, received, {
        ...services.judging(),
        uploaderId: ids.carol,
        source: "API",
        trust: trustOf(pki),
      });
      expect(outcome.status).toBe("accepted");
    } finally {
      await uploads.discardReceivedPackage(received);
    }
    const version = await db.packageVersion.findFirstOrThrow({
      where: { registration: { packageIdLower: "contoso.signed" } },
      select: { id: true, registrationId: true, signatureStatus: true },
    });
    expect(version.signatureStatus).toBe("VALID");
    const trusted = async () =>
      (
        await db.searchDocument.findMany({
          where: { registrationId: version.registrationId },
          select: { trusted: true },
        })
      ).map((document) => document.trusted);
    expect(await trusted()).toEqual([true]);

    const { revalidatePublishedSignatures } = await import("@/lib/jobs/revalidate");
    const { galleryRepositorySigner } = await import("@/lib/services");
    const signer = await galleryRepositorySigner();
    const revalidate = (trust: ReturnType<typeof trustOf>) =>
      revalidatePublishedSignatures(db, storage, { trust, signer });
    expect((await revalidate(trustOf(pki))).changed).toEqual([]);

    const withoutRoot = { codeSigningRoots: [], timestampingRoots: [pki.timestampingRoot.der] };
    expect((await revalidate(withoutRoot)).changed).toEqual([
      { packageId: "Contoso.Signed", version: "1.0.0", from: "VALID", to: "INVALID" },
    ]);
    expect(
      await db.packageVersion.findUniqueOrThrow({ where: { id: version.id }, select: { signatureStatus: true } }),
    ).toEqual({ signatureStatus: "INVALID" });
    expect(await trusted()).toEqual([false]);
    expect((await revalidate(withoutRoot)).changed).toEqual([]);

    expect((await revalidate(trustOf(pki))).changed).toEqual([
      { packageId: "Contoso.Signed", version: "1.0.0", from: "INVALID", to: "VALID" },
    ]);
    expect(await trusted()).toEqual([true]);
  });

  it("queues a revalidation when the trusted roots differ from those last recorded, once", async () => {
    const { queueRevalidationIfTrustChanged } = await import("@/lib/jobs");
    const sent: string[] = [];
    const recorder: JobQueue = {
      send: async (kind) => void sent.push(kind),
      work: async () => undefined,
      stop: async () => undefined,
    };
    expect(await queueRevalidationIfTrustChanged(db, recorder, "roots-a")).toBe(false);
    expect(await queueRevalidationIfTrustChanged(db, recorder, "roots-a")).toBe(false);
    expect(
      await Promise.all([
        queueRevalidationIfTrustChanged(db, recorder, "roots-b"),
        queueRevalidationIfTrustChanged(db, recorder, "roots-b"),
      ]),
    ).toContain(true);
    expect(sent).toEqual(["revalidate-signatures"]);
    expect(await db.jobTrigger.findUniqueOrThrow({ where: { key: "trust-store" } })).toMatchObject({
      value: "roots-b",
    });
  });
});
