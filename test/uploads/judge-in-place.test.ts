// Re-judging reads a stored package where it lies (a preview under pending/, a refused upload
// in quarantine): ranged reads through PackageStorage, no copy into staging and nothing moved
// back. And judging a preview writes nothing but the preview's own record: what a signed
// package teaches the gallery about its signer waits for the decision.

import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { registerFingerprint } from "@/lib/certificates/registry";
import type { ByteRange, PackageStorage } from "@/lib/storage";
import { rangedSource } from "@/lib/storage/byte-source";
import { previewPackage, revalidateAttempt, submitPackage, submitPreview } from "@/lib/uploads";
import { testDialects } from "@/test/db/scratch";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { createTestPki, signedPackage, trustOf, type TestPki } from "@/test/support/signing";
import { useUploadHarness } from "./harness";

let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
});

/** The harness's storage, reading every opened object by ranged gets, with each get recorded. */
function recordingStorage(storage: PackageStorage): { storage: PackageStorage; gets: Array<{ key: string; range?: ByteRange }> } {
  const gets: Array<{ key: string; range?: ByteRange }> = [];
  const recording: PackageStorage = Object.assign(Object.create(storage) as PackageStorage, {
    get(key: string, range?: ByteRange): Promise<Readable> {
      gets.push({ key, ...(range ? { range } : {}) });
      return storage.get(key, range);
    },
    open(key: string) {
      return rangedSource(recording, key);
    },
  });
  return { storage: recording, gets };
}

describe.each(testDialects())("judging a stored package where it lies on %s", (dialect) => {
  const harness = useUploadHarness(dialect);

  it("revalidates a quarantined upload by ranged reads of the quarantined file: no copy, nothing moved", async () => {
    const alice = await harness.createUser("alice");
    const bob = await harness.createUser("bob");
    const admin = await harness.createUser("root", "ADMIN");
    await harness.db().prefixReservation.create({ data: { pattern: "Held.", patternLower: "held.", owners: { create: { userId: bob } } } });
    const refused = await submitPackage(harness.db(), harness.storage(), await harness.stage(buildUnsignedPackage({ id: "Held.Widget", version: "1.0.0" })), { uploaderId: alice, source: "API" });
    const quarantined = `quarantine/${refused.attemptId}.nupkg`;
    expect(await harness.storedFiles()).toEqual([quarantined]);

    const { storage, gets } = recordingStorage(harness.storage());
    const moves: string[] = [];
    const watched: PackageStorage = Object.assign(Object.create(storage) as PackageStorage, {
      async move(from: string, to: string) {
        moves.push(`${from} -> ${to}`);
        return storage.move(from, to);
      },
    });
    const outcome = await revalidateAttempt(harness.db(), watched, refused.attemptId, { reviewerId: admin });
    expect(outcome).toMatchObject({ status: "rejected", issues: [expect.objectContaining({ code: "PACKAGE_ID_RESERVED" })] });
    // Every read was a range of the quarantined file, never the whole object (a copy), and the
    // file was never moved: it is where it was, the only stored file.
    expect(gets.length).toBeGreaterThan(0);
    expect(gets.every((get) => get.key === quarantined && get.range !== undefined)).toBe(true);
    expect(moves).toEqual([]);
    expect(await harness.storedFiles()).toEqual([quarantined]);
  });

  it("writes no certificate details while previewing; the submitted upload teaches the gallery its signer", async () => {
    const owner = await harness.createUser("carol");
    const fingerprint = createHash("sha256").update(pki.author.der).digest("hex");
    await registerFingerprint(harness.db(), owner, fingerprint);
    const certificate = () => harness.db().certificate.findUniqueOrThrow({ where: { sha256Fingerprint: fingerprint }, select: { subject: true, firstSeenIssues: true } });
    const mail = () => harness.db().outboxMessage.count({ where: { userId: owner, kind: "certificate.first-seen" } });
    expect(await certificate()).toMatchObject({ subject: null });

    const bytes = await signedPackage({ primary: { signer: pki.author, kind: "author", authority: pki.authority } }, buildUnsignedPackage({ id: "Carol.Signed", version: "1.0.0" }));
    const preview = await previewPackage(harness.db(), harness.storage(), await harness.stage(bytes), { uploaderId: owner, trust: trustOf(pki) });
    expect(preview.refused).toBe(false);
    expect(preview.judgement.signatureReport?.author?.signer?.sha256Fingerprint).toBe(fingerprint);
    expect(await certificate()).toMatchObject({ subject: null, firstSeenIssues: null });
    expect(await mail()).toBe(0);

    const outcome = await submitPreview(harness.db(), harness.storage(), preview.attemptId, { uploaderId: owner, trust: trustOf(pki) });
    expect(outcome.status).toBe("accepted");
    expect((await certificate()).subject).toContain("CN=Signet Test Author");
    expect(await mail()).toBe(1);
  });
});
