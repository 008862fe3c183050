// Re-judging reads a stored package where it lies (a preview under pending/, a refused upload
// in quarantine): ranged reads through PackageStorage, no copy into staging and nothing moved
// back. Judging a preview writes nothing but the preview's own record: what a signed package
// teaches the gallery about its signer waits for the decision. And submitting a preview judges
// afresh what can have changed (records, roots, time) but does not read its bytes again.

import { createHash, randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { registerCertificateFile, registerFingerprint } from "@/lib/certificates/registry";
import type { ByteRange, PackageStorage } from "@/lib/storage";
import { rangedSource, READ_BLOCK_BYTES } from "@/lib/storage/byte-source";
import { previewPackage, revalidateAttempt, submitPackage, submitPreview } from "@/lib/uploads";
import { testDialects } from "@/test/db/scratch";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { createTestPki, signedPackage, trustOf, type TestPki } from "@/test/support/signing";
import { useUploadHarness } from "./harness";
import { services } from "@/lib/services";

let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
});

/** Bytes read from `key` by the recorded gets. */
function bytesRead(gets: ReadonlyArray<{ key: string; range?: ByteRange }>, key: string, size: number): number {
  return gets
    .filter((get) => get.key === key)
    .reduce((total, get) => total + (get.range ? get.range.end - get.range.start + 1 : size), 0);
}

/** The harness's storage, reading every opened object by ranged gets, with each get recorded. */
function recordingStorage(storage: PackageStorage): {
  storage: PackageStorage;
  gets: Array<{ key: string; range?: ByteRange }>;
} {
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
    await harness.db().prefixReservation.create({
      data: { pattern: "Held.", patternLower: "held.", owners: { create: { userId: bob } } },
    });
    const refused = await submitPackage(
      harness.db(),
      harness.storage(),
      await harness.stage(buildUnsignedPackage({ id: "Held.Widget", version: "1.0.0" })),
      { ...services.judging(), uploaderId: alice, source: "API" },
    );
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
    const outcome = await revalidateAttempt(harness.db(), watched, refused.attemptId, {
      ...services.judging(),
      reviewerId: admin,
    });
    expect(outcome).toMatchObject({
      status: "rejected",
      issues: [expect.objectContaining({ code: "PACKAGE_ID_RESERVED" })],
    });
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
    const certificate = () =>
      harness.db().certificate.findUniqueOrThrow({
        where: { sha256Fingerprint: fingerprint },
        select: { subject: true, firstSeenIssues: true },
      });
    const mail = () => harness.db().outboxMessage.count({ where: { userId: owner, kind: "certificate.first-seen" } });
    expect(await certificate()).toMatchObject({ subject: null });

    const bytes = await signedPackage(
      { primary: { signer: pki.author, kind: "author", authority: pki.authority } },
      buildUnsignedPackage({ id: "Carol.Signed", version: "1.0.0" }),
    );
    const preview = await previewPackage(harness.db(), harness.storage(), await harness.stage(bytes), {
      ...services.judging(),
      uploaderId: owner,
      trust: trustOf(pki),
    });
    expect(preview.refused).toBe(false);
    expect(preview.judgement.signatureReport?.author?.signer?.sha256Fingerprint).toBe(fingerprint);
    expect(await certificate()).toMatchObject({ subject: null, firstSeenIssues: null });
    expect(await mail()).toBe(0);

    const outcome = await submitPreview(harness.db(), harness.storage(), preview.attemptId, {
      ...services.judging(),
      uploaderId: owner,
      trust: trustOf(pki),
    });
    expect(outcome.status).toBe("accepted");
    expect((await certificate()).subject).toContain("CN=Signet Test Author");
    expect(await mail()).toBe(1);
  });

  describe("submitting a preview", () => {
    // Each test signs with its own test PKI: a certificate another test published is no longer
    // one whose first push proves its registration.
    const signedBy = (signing: TestPki, id: string, version: string, files?: Record<string, string>) =>
      signedPackage(
        { primary: { signer: signing.author, kind: "author", authority: signing.authority } },
        buildUnsignedPackage({ id, version, ...(files ? { files } : {}) }),
      );

    it("does not read the package's bytes again: the judge reads a few ranges, publishing its one pass", async () => {
      const dave = await harness.createUser("dave");
      const own = await createTestPki();
      await registerCertificateFile(harness.db(), dave, own.author.der, services.getTrustStore().codeSigningRoots);
      // Random text deflates little, so most of the file is this entry's data.
      const large = () => ({ "lib/data.txt": randomBytes(2_500_000).toString("base64") });
      const submitRecorded = async (bytes: Uint8Array, forgetFacts: boolean) => {
        const preview = await previewPackage(harness.db(), harness.storage(), await harness.stage(bytes), {
          ...services.judging(),
          uploaderId: dave,
          trust: trustOf(own),
        });
        expect(preview.judgement.issues.filter((issue) => issue.level === "error")).toEqual([]);
        if (forgetFacts)
          await harness.db().uploadAttempt.update({ where: { id: preview.attemptId }, data: { judgedFacts: null } });
        const { storage, gets } = recordingStorage(harness.storage());
        const outcome = await submitPreview(harness.db(), storage, preview.attemptId, {
          ...services.judging(),
          uploaderId: dave,
          trust: trustOf(own),
        });
        expect(outcome.issues.filter((issue) => issue.level === "error")).toEqual([]);
        expect(outcome.status).toBe("accepted");
        return bytesRead(gets, `pending/${preview.attemptId}.nupkg`, bytes.byteLength);
      };

      const withFacts = await signedBy(own, "Dave.Large", "1.0.0", large());
      // Publishing streams the file once to add the gallery's signature; judging, and publishing's
      // reading of the signature, add a few blocks around the central directory and the manifest.
      expect(await submitRecorded(withFacts, false)).toBeLessThan(withFacts.byteLength + 6 * READ_BLOCK_BYTES);
      // A preview that kept no facts (one made before they were kept) is judged in full: the
      // hashes and every entry's data read again, on top of publishing's pass.
      const withoutFacts = await signedBy(own, "Dave.Large", "2.0.0", large());
      expect(await submitRecorded(withoutFacts, true)).toBeGreaterThan(2 * withoutFacts.byteLength);
    });

    it("catches what changed since the preview: a compromise mark, a new reservation, the trusted roots", async () => {
      const erin = await harness.createUser("erin");
      const frank = await harness.createUser("frank");
      const own = await createTestPki();
      await registerCertificateFile(harness.db(), erin, own.author.der, services.getTrustStore().codeSigningRoots);
      const preview = async (uploaderId: string, bytes: Uint8Array) => {
        const result = await previewPackage(harness.db(), harness.storage(), await harness.stage(bytes), {
          ...services.judging(),
          uploaderId,
          trust: trustOf(own),
        });
        expect(result.judgement.issues.filter((issue) => issue.level === "error")).toEqual([]);
        return result.attemptId;
      };
      const submitted = async (attemptId: string, uploaderId: string, trust = trustOf(own)) => {
        const { storage, gets } = recordingStorage(harness.storage());
        const outcome = await submitPreview(harness.db(), storage, attemptId, {
          ...services.judging(),
          uploaderId,
          trust,
        });
        expect(outcome.status).toBe("rejected");
        // Refused, nothing is published: every byte read was the judge's, a few ranges.
        expect(bytesRead(gets, `pending/${attemptId}.nupkg`, 0)).toBeLessThan(4 * READ_BLOCK_BYTES);
        return outcome.issues.filter((issue) => issue.level === "error").map((issue) => issue.code);
      };

      const compromised = await preview(erin, await signedBy(own, "Erin.Signed", "1.0.0"));
      const fingerprint = createHash("sha256").update(own.author.der).digest("hex");
      await harness.db().certificate.update({
        where: { sha256Fingerprint: fingerprint },
        data: { compromisedAt: new Date("2000-01-01T00:00:00Z"), compromisedReason: "key stolen" },
      });
      expect(await submitted(compromised, erin)).toEqual(["CERTIFICATE_COMPROMISED"]);
      await harness.db().certificate.update({
        where: { sha256Fingerprint: fingerprint },
        data: { compromisedAt: null, compromisedReason: null },
      });

      const reserved = await preview(frank, buildUnsignedPackage({ id: "Frank.Tool", version: "1.0.0" }));
      await harness.db().prefixReservation.create({
        data: { pattern: "Frank.", patternLower: "frank.", owners: { create: { userId: erin } } },
      });
      expect(await submitted(reserved, frank)).toEqual(["PACKAGE_ID_RESERVED"]);

      // The roots the preview was judged against are no longer trusted: the chain is judged afresh.
      const untrusted = await preview(erin, await signedBy(own, "Erin.Signed", "2.0.0"));
      expect(await submitted(untrusted, erin, { codeSigningRoots: [], timestampingRoots: [] })).toEqual(
        expect.arrayContaining(["NU3018"]),
      );
    });
  });
});
