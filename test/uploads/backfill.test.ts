// The backfill that repository-signs versions published before the gallery signed what it
// publishes: it can be stopped and run again, signs each version once, keeps the uploaded SHA-512,
// and only then does RepositorySignatures say allRepositorySigned.
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { repositoryServiceIndexUrl } from "@/lib/config";
import { loadRepositorySignaturesIndex } from "@/lib/feed/repository-signatures";
import { verifyPackageSignatures } from "@/lib/signing";
import { repositorySignPackage } from "@/lib/signing/sign";
import { parseEntry } from "@/lib/tlog/entry";
import type { RepositorySigner } from "@/lib/trust/repository-signing";
import { repositorySignPublishedVersions } from "@/lib/uploads/backfill";
import { bufferSource } from "@/lib/zip/source";
import { testDialects } from "@/test/db/scratch";
import { createTestPki, trustOf, type TestPki } from "@/test/support/signing";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { createUnsignedPublishedVersion } from "@/test/support/published-version";
import { repositorySignatureOptions, testRepositorySigner } from "@/test/support/repository-signing";
import { logInvariantViolations } from "@/test/tlog/invariants";
import { useUploadHarness } from "./harness";
import { services } from "@/lib/services";

const sha512 = (bytes: Uint8Array) => createHash("sha512").update(bytes).digest("base64");

describe.each(testDialects())("repository-signing versions published before repository signing, on %s", (dialect) => {
  const harness = useUploadHarness(dialect);
  let pki: TestPki;
  let signer: RepositorySigner;
  const uploads = new Map<string, Uint8Array>();

  beforeAll(async () => {
    pki = await createTestPki();
    signer = await testRepositorySigner(pki.repository, pki.authority);
  });

  async function stored(storageKey: string): Promise<Uint8Array> {
    return new Uint8Array(Buffer.concat((await (await harness.storage().get(storageKey)).toArray()) as Buffer[]));
  }

  /** A version published before repository signing: the uploaded file, logged with no repository certificate. */
  async function legacyVersion(ownerId: string, id: string, servedFile?: "gallery-signed"): Promise<void> {
    const uploaded = buildUnsignedPackage({ id, version: "1.0.0" });
    uploads.set(id, uploaded);
    const { storageKey } = await createUnsignedPublishedVersion(harness.db(), harness.storage(), {
      ownerId,
      packageId: id,
      version: "1.0.0",
      bytes: uploaded,
    });
    // A run stopped between renaming the signed file into place and committing leaves the
    // gallery's signature on a file the row (and the log) still call unsigned.
    if (servedFile === "gallery-signed") {
      const options = await repositorySignatureOptions(pki.repository, pki.authority, {
        serviceIndexUrl: repositoryServiceIndexUrl(),
        owners: ["alice"],
      });
      const { package: signed } = await repositorySignPackage(bufferSource(uploaded), options);
      await harness.storage().put(storageKey, Readable.from([Buffer.from(await signed.read(0, signed.size))]));
    }
  }

  it("signs in runs that can stop and start again, each version once, until the resource says allRepositorySigned", async () => {
    const alice = await harness.createUser("alice");
    for (const id of ["Legacy.One", "Legacy.Two", "Legacy.Three"]) await legacyVersion(alice, id);
    await legacyVersion(alice, "Legacy.Interrupted", "gallery-signed");
    expect((await loadRepositorySignaturesIndex(harness.db(), "https://gallery.example")).allRepositorySigned).toBe(
      false,
    );

    let done = 0;
    const first = await repositorySignPublishedVersions(harness.db(), harness.storage(), {
      signer,
      trust: trustOf(pki),
      staging: services.staging,
      batchSize: 2,
      shouldStop: () => done >= 1,
      onProgress: () => done++,
    });
    expect(first).toMatchObject({ signed: 1, failed: [], remaining: 3 });

    const second = await repositorySignPublishedVersions(harness.db(), harness.storage(), {
      signer,
      trust: trustOf(pki),
      staging: services.staging,
      batchSize: 2,
    });
    expect(second).toMatchObject({ signed: 3, failed: [], remaining: 0 });
    const third = await repositorySignPublishedVersions(harness.db(), harness.storage(), {
      signer,
      trust: trustOf(pki),
      staging: services.staging,
    });
    expect(third).toMatchObject({ signed: 0, failed: [], remaining: 0 });

    for (const [id, uploaded] of uploads) {
      const row = await harness
        .db()
        .packageVersion.findFirstOrThrow({ where: { registration: { packageIdLower: id.toLowerCase() } } });
      const served = await stored(row.storageKey);
      expect(row).toMatchObject({
        uploadedSha512: sha512(uploaded),
        sha512: sha512(served),
        packageSize: served.byteLength,
      });
      expect(row.repositoryCertificateId).not.toBeNull();
      const report = await verifyPackageSignatures(bufferSource(served), {
        trust: trustOf(pki),
        includeContentHash: true,
      });
      expect(report.status, id).toBe("valid");
      expect(report.repository).toMatchObject({ placement: "primary", packageOwners: ["alice"] });
      expect(report.contentHash).toBe(sha512(uploaded));
    }
    // Each version's signing is logged once, with the file it is served as from then on.
    expect(await logInvariantViolations(harness.db())).toEqual([]);
    const signings = (await harness.db().logEntry.findMany({ where: { kind: "repository-signed" } })).map((entry) =>
      parseEntry(entry.data),
    );
    expect(signings.map((entry) => ("packageId" in entry ? entry.packageId : "")).sort()).toEqual(
      [...uploads.keys()].sort(),
    );
    const index = await loadRepositorySignaturesIndex(harness.db(), "https://gallery.example");
    expect(index.allRepositorySigned).toBe(true);
    expect(index.signingCertificates.map((certificate) => certificate.fingerprints["2.16.840.1.101.3.4.2.1"])).toEqual([
      createHash("sha256").update(pki.repository.der).digest("hex"),
    ]);
  });

  it("reports a version it cannot sign and goes on with the others", async () => {
    const bob = await harness.createUser("bob");
    await legacyVersion(bob, "Legacy.Broken");
    await legacyVersion(bob, "Legacy.Fine");
    const broken = await harness
      .db()
      .packageVersion.findFirstOrThrow({ where: { registration: { packageIdLower: "legacy.broken" } } });
    await harness.storage().delete(broken.storageKey);
    const result = await repositorySignPublishedVersions(harness.db(), harness.storage(), {
      signer,
      trust: trustOf(pki),
      staging: services.staging,
    });
    expect(result.signed).toBe(1);
    expect(result.failed.map((failure) => [failure.packageId, failure.issue.code])).toEqual([
      ["Legacy.Broken", "STORAGE_OBJECT_NOT_FOUND"],
    ]);
    expect(result.remaining).toBe(1);
    expect((await loadRepositorySignaturesIndex(harness.db(), "https://gallery.example")).allRepositorySigned).toBe(
      false,
    );
  });
});
