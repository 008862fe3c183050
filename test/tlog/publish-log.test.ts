// The upload pipeline writes the publication log: one entry per published version with the
// documented fields, later entries for unlisting, relisting and compromise marks, and never a
// served version without its entry, whichever step of publishing fails.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { markCertificateCompromised, clearCertificateCompromised } from "@/lib/admin/certificates";
import { registerFingerprint } from "@/lib/certificates/registry";
import type { DatabaseDialect } from "@/lib/config";
import type { Db } from "@/lib/db";
import { setVersionListed } from "@/lib/feed/listing";
import type { PackageStorage } from "@/lib/storage";
import { parseEntry, type PublishEntry } from "@/lib/tlog/entry";
import { leafHash } from "@/lib/tlog/merkle";
import { verifyInclusion } from "@/lib/tlog/merkle";
import { inclusionProof, readEntry, readTreeHead } from "@/lib/tlog/store";
import { submitPackage } from "@/lib/uploads";
import { testDialects } from "@/test/db/scratch";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { useUploadHarness } from "@/test/uploads/harness";
import { CORPUS_SIGNERS, corpusPackage, corpusPackagesFor } from "@/test/uploads/packages";
import { services } from "@/lib/services";

const corpusPresent = corpusPackagesFor("test/tlog/publish-log.test.ts", "the log entry of a signed corpus package");

const sha512 = (bytes: Uint8Array) => createHash("sha512").update(bytes).digest("base64");

async function entryOf(db: Db, index: number) {
  const stored = await readEntry(db, index);
  if (!stored) throw new Error(`no entry ${index}`);
  return { ...stored, entry: parseEntry(stored.data) };
}

/** The log and every table a publication writes, counted: all must be unchanged after a failed publish. */
async function footprint(db: Db) {
  const head = await readTreeHead(db);
  return {
    size: head.size,
    root: Buffer.from(head.root).toString("hex"),
    entries: await db.logEntry.count(),
    nodes: await db.logNode.count(),
    versions: await db.packageVersion.count(),
    registrations: await db.packageRegistration.count(),
    attempts: await db.uploadAttempt.count(),
  };
}

interface InjectionPoint {
  name: string;
  table: string;
  event: string;
}

// Every database write of a first publication, in order (the certificate upsert is skipped for
// an unsigned package).
const DATABASE_STEPS: InjectionPoint[] = [
  { name: "creating the registration", table: "PackageRegistration", event: "INSERT" },
  { name: "adding the owner", table: "PackageOwner", event: "INSERT" },
  { name: "taking the log's next index", table: "LogHead", event: 'UPDATE OF "size"' },
  { name: "writing the log entry", table: "LogEntry", event: "INSERT" },
  { name: "writing the tree hashes", table: "LogNode", event: "INSERT" },
  { name: "writing the new root", table: "LogHead", event: 'UPDATE OF "root"' },
  { name: "creating the version", table: "PackageVersion", event: "INSERT" },
  { name: "recording the upload attempt", table: "UploadAttempt", event: "INSERT" },
];

/** Makes the database refuse one statement, as a crash or a lost connection would at that step. */
async function injectFailure(
  db: Db,
  dialect: DatabaseDialect,
  point: InjectionPoint,
  deferred = false,
): Promise<() => Promise<void>> {
  if (dialect === "sqlite") {
    await db.$executeRawUnsafe(
      `CREATE TRIGGER "inject_failure" BEFORE ${point.event} ON "${point.table}" BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    );
    return async () => void (await db.$executeRawUnsafe(`DROP TRIGGER "inject_failure"`));
  }
  await db.$executeRawUnsafe(
    `CREATE OR REPLACE FUNCTION "inject_failure"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END; $$`,
  );
  await db.$executeRawUnsafe(
    deferred
      ? `CREATE CONSTRAINT TRIGGER "inject_failure" AFTER ${point.event} ON "${point.table}" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "inject_failure"()`
      : `CREATE TRIGGER "inject_failure" BEFORE ${point.event} ON "${point.table}" FOR EACH ROW EXECUTE FUNCTION "inject_failure"()`,
  );
  return async () => void (await db.$executeRawUnsafe(`DROP TRIGGER "inject_failure" ON "${point.table}"`));
}

describe.each(testDialects())("the publication log written by the upload pipeline on %s", (dialect) => {
  const harness = useUploadHarness(dialect);

  async function push(uploaderId: string, bytes: Uint8Array, storage: PackageStorage = harness.storage()) {
    return submitPackage(harness.db(), storage, await harness.stage(bytes), {
      ...services.judging(),
      uploaderId,
      source: "API",
    });
  }

  it("logs each publication with its hashes, owners and time, provably included under the tree's root", async () => {
    const db = harness.db();
    const alice = await harness.createUser("alice");
    const bytes = buildUnsignedPackage({ id: "Contoso.Logged", version: "1.0.0" });
    const outcome = await push(alice, bytes);
    expect(outcome.status).toBe("accepted");
    const version = await db.packageVersion.findFirstOrThrow({
      where: { registration: { packageIdLower: "contoso.logged" } },
      include: { repositoryCertificate: { select: { sha256Fingerprint: true } } },
    });
    expect(version.logIndex).not.toBeNull();
    const served = await harness.storage().get(version.storageKey);
    const servedHash = createHash("sha512");
    for await (const chunk of served) servedHash.update(chunk as Buffer);
    const { entry, data, index } = await entryOf(db, version.logIndex as number);
    expect(entry).toEqual({
      kind: "publish",
      packageId: "Contoso.Logged",
      version: "1.0.0",
      // The gallery serves the file with its repository signature added; the log records both hashes.
      publishedSha512: servedHash.digest("base64"),
      uploadedSha512: sha512(bytes),
      authorSigner: null,
      repositoryCertificate: version.repositoryCertificate?.sha256Fingerprint ?? "missing",
      owners: ["alice"],
      time: version.publishedAt,
    } satisfies PublishEntry);
    expect(entry.kind === "publish" && entry.publishedSha512).toBe(version.sha512);
    const head = await readTreeHead(db);
    expect(
      verifyInclusion(index, head.size, leafHash(data), await inclusionProof(db, index, head.size), head.root),
    ).toBe(true);
  });

  it("logs unlisting and relisting as later entries, only when the state changes", async () => {
    const db = harness.db();
    const alice = await db.user.findUniqueOrThrow({ where: { username: "alice" } });
    const caller = {
      user: { id: alice.id, username: alice.username },
      grant: { id: "key", scopes: ["unlist" as const], packageGlob: "*", expiresAt: new Date(Date.now() + 86_400_000) },
    };
    const before = (await readTreeHead(db)).size;
    await setVersionListed(
      db,
      caller,
      { packageId: "contoso.logged", version: "1.0.0" },
      false,
      new Date("2026-11-24T00:00:00Z"),
    );
    await setVersionListed(
      db,
      caller,
      { packageId: "contoso.logged", version: "1.0.0" },
      false,
      new Date("2026-11-24T00:01:00Z"),
    );
    await setVersionListed(
      db,
      caller,
      { packageId: "contoso.logged", version: "1.0" },
      true,
      new Date("2026-11-25T00:00:00Z"),
    );
    expect((await readTreeHead(db)).size).toBe(before + 2);
    expect((await entryOf(db, before)).entry).toEqual({
      kind: "unlist",
      packageId: "Contoso.Logged",
      version: "1.0.0",
      by: "alice",
      time: new Date("2026-11-24T00:00:00Z"),
    });
    expect((await entryOf(db, before + 1)).entry).toEqual({
      kind: "relist",
      packageId: "Contoso.Logged",
      version: "1.0.0",
      by: "alice",
      time: new Date("2026-11-25T00:00:00Z"),
    });
  });

  it("logs a certificate's compromise mark and its removal", async () => {
    const db = harness.db();
    const admin = await harness.createUser("root-admin", "ADMIN");
    const certificate = await db.certificate.create({ data: { sha256Fingerprint: "ef".repeat(32) } });
    const before = (await readTreeHead(db)).size;
    await markCertificateCompromised(db, admin, certificate.id, { compromisedAt: "2026-11-01", reason: "key leaked" });
    await clearCertificateCompromised(db, admin, certificate.id, { reason: "false alarm" });
    await clearCertificateCompromised(db, admin, certificate.id, { reason: "twice" });
    expect((await readTreeHead(db)).size).toBe(before + 2);
    expect((await entryOf(db, before)).entry).toMatchObject({
      kind: "certificate-compromised",
      certificate: "ef".repeat(32),
      compromisedFrom: new Date("2026-11-01T00:00:00Z"),
    });
    expect((await entryOf(db, before + 1)).entry).toMatchObject({
      kind: "certificate-compromise-cleared",
      certificate: "ef".repeat(32),
    });
  });

  it.skipIf(!corpusPresent)(
    "names the author signer and the gallery's repository certificate of a signed package",
    async () => {
      const db = harness.db();
      const erin = await harness.createUser("erin");
      await registerFingerprint(db, erin, CORPUS_SIGNERS.jsonNet);
      expect((await push(erin, corpusPackage("Newtonsoft.Json.13.0.3.nupkg"))).status).toBe("accepted");
      const version = await db.packageVersion.findFirstOrThrow({
        where: { registration: { packageIdLower: "newtonsoft.json" } },
        select: { logIndex: true, repositoryCertificate: { select: { sha256Fingerprint: true } } },
      });
      const { entry } = await entryOf(db, version.logIndex as number);
      // nuget.org's countersignature was replaced by the gallery's: the log names the gallery's certificate.
      expect(entry).toMatchObject({
        kind: "publish",
        packageId: "Newtonsoft.Json",
        authorSigner: CORPUS_SIGNERS.jsonNet,
        repositoryCertificate: version.repositoryCertificate?.sha256Fingerprint,
      });
      expect(version.repositoryCertificate).not.toBeNull();
    },
  );

  describe("a failure at any step of publishing leaves no version, no log entry and no published file", () => {
    for (const point of DATABASE_STEPS) {
      it(`fails while ${point.name}`, async () => {
        const db = harness.db();
        const owner =
          (await db.user.findUnique({ where: { username: "failing" } }))?.id ?? (await harness.createUser("failing"));
        const before = await footprint(db);
        const removeInjection = await injectFailure(db, dialect, point);
        try {
          await expect(push(owner, buildUnsignedPackage({ id: "Crash.Step", version: "1.0.0" }))).rejects.toThrow();
        } finally {
          await removeInjection();
        }
        expect(await footprint(db)).toEqual(before);
        expect((await harness.storedFiles()).filter((key) => key.startsWith("packages/crash.step"))).toEqual([]);
      });
    }

    it("fails while moving the file into place", async () => {
      const db = harness.db();
      const owner = (await db.user.findUniqueOrThrow({ where: { username: "failing" } })).id;
      const before = await footprint(db);
      const storage = harness.storage();
      const failingMove: PackageStorage = Object.assign(Object.create(storage) as PackageStorage, {
        move: () => Promise.reject(new Error("injected failure: disk full")),
      });
      await expect(
        push(owner, buildUnsignedPackage({ id: "Crash.Step", version: "1.0.0" }), failingMove),
      ).rejects.toThrow(/disk full/);
      expect(await footprint(db)).toEqual(before);
      expect((await harness.storedFiles()).filter((key) => key.startsWith("packages/crash.step"))).toEqual([]);
    });

    it.skipIf(dialect !== "postgresql")(
      "fails at commit, after the file was moved (a deferred check fails), and moves the file back",
      async () => {
        const db = harness.db();
        const owner = (await db.user.findUniqueOrThrow({ where: { username: "failing" } })).id;
        const before = await footprint(db);
        const removeInjection = await injectFailure(
          db,
          dialect,
          { name: "commit", table: "PackageVersion", event: "INSERT" },
          true,
        );
        try {
          await expect(push(owner, buildUnsignedPackage({ id: "Crash.Step", version: "1.0.0" }))).rejects.toThrow();
        } finally {
          await removeInjection();
        }
        expect(await footprint(db)).toEqual(before);
        expect((await harness.storedFiles()).filter((key) => key.startsWith("packages/crash.step"))).toEqual([]);
      },
    );

    it("then publishes normally, at the next index: the failures left no gap", async () => {
      const db = harness.db();
      const owner = (await db.user.findUniqueOrThrow({ where: { username: "failing" } })).id;
      const before = await readTreeHead(db);
      expect((await push(owner, buildUnsignedPackage({ id: "Crash.Step", version: "1.0.0" }))).status).toBe("accepted");
      const version = await db.packageVersion.findFirstOrThrow({
        where: { registration: { packageIdLower: "crash.step" } },
      });
      expect(version.logIndex).toBe(before.size);
      expect(await db.logEntry.count()).toBe(before.size + 1);
    });
  });
});
