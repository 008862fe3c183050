// Publishing repository-signs: what the gallery serves is the upload with its repository
// signature (a primary signature on an unsigned package, a countersignature on an author
// signature, another repository's removed first), verified again before it is published, with
// the uploaded file's SHA-512 kept beside the served one. A signature that cannot be made
// refuses the upload and leaves nothing published.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyPackageSignatures, type SignatureReport } from "@/lib/signing";
import type { RepositorySigner } from "@/lib/trust/repository-signing";
import { galleryTrustStore, services } from "@/lib/services";
import { submitPackage } from "@/lib/uploads";
import { bufferSource } from "@/lib/zip/source";
import { testDialects } from "@/test/db/scratch";
import { createTestPki, signedPackage, trustOf, type TestPki } from "@/test/support/signing";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { testRepositorySigner, withoutRepositorySignature } from "@/test/support/repository-signing";
import { registerFingerprint } from "@/lib/certificates/registry";
import { useUploadHarness } from "./harness";
import { CORPUS_SIGNERS, corpusPackage, corpusPackagesFor } from "./packages";

const corpusPresent = corpusPackagesFor(
  "test/uploads/repository-signing.test.ts",
  "repository signing of nuget.org's signed packages",
);

const sha512 = (bytes: Uint8Array) => createHash("sha512").update(bytes).digest("base64");
const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe.each(testDialects())("repository signing at publish on %s", (dialect) => {
  const harness = useUploadHarness(dialect);
  let pki: TestPki;
  let signer: RepositorySigner;
  let trust: ReturnType<typeof trustOf>;

  beforeAll(async () => {
    pki = await createTestPki();
    signer = await testRepositorySigner(pki.repository, pki.authority);
    // The nuget.org corpus packages chain to the SDK's roots; the test signer to the test roots.
    const bundles = galleryTrustStore();
    trust = {
      codeSigningRoots: [...bundles.codeSigningRoots, ...trustOf(pki).codeSigningRoots],
      timestampingRoots: [...bundles.timestampingRoots, ...trustOf(pki).timestampingRoots],
    };
  });

  async function served(
    packageIdLower: string,
    version: string,
  ): Promise<{ bytes: Uint8Array; row: Awaited<ReturnType<typeof findVersion>> }> {
    const row = await findVersion(packageIdLower, version);
    const chunks = (await (await harness.storage().get(row.storageKey)).toArray()) as Buffer[];
    return { bytes: new Uint8Array(Buffer.concat(chunks)), row };
  }

  function findVersion(packageIdLower: string, version: string) {
    return harness.db().packageVersion.findFirstOrThrow({
      where: { versionLower: version, registration: { packageIdLower } },
      include: { repositoryCertificate: true },
    });
  }

  async function verify(bytes: Uint8Array): Promise<SignatureReport> {
    return verifyPackageSignatures(bufferSource(bytes), { trust, includeContentHash: true });
  }

  it("serves an unsigned upload with the gallery's repository primary signature, vouching for its owner, and keeps the uploaded SHA-512", async () => {
    const alice = await harness.createUser("alice");
    const uploaded = buildUnsignedPackage({ id: "Contoso.Signed", version: "1.0.0" });
    const outcome = await submitPackage(harness.db(), harness.storage(), await harness.stage(uploaded), {
      ...services.judging(),
      uploaderId: alice,
      source: "API",
      trust,
      repositorySigner: async () => signer,
    });
    expect(outcome.status).toBe("accepted");
    const { bytes, row } = await served("contoso.signed", "1.0.0");
    expect(await withoutRepositorySignature(bytes)).toEqual(uploaded);
    expect(row).toMatchObject({
      signatureStatus: "UNSIGNED",
      uploadedSha512: sha512(uploaded),
      sha512: sha512(bytes),
      packageSize: bytes.byteLength,
      contentHash: sha512(uploaded),
    });
    expect(row.repositoryCertificate).toMatchObject({
      sha256Fingerprint: sha256Hex(pki.repository.der),
      subject: "CN=Signet Test Repository",
    });
    expect(row.repositorySignedAt).toBeInstanceOf(Date);
    const report = await verify(bytes);
    expect(report.status).toBe("valid");
    expect(report.repository).toMatchObject({
      placement: "primary",
      serviceIndexUrl: "https://localhost:3000/v3/index.json",
      packageOwners: ["alice"],
    });
    expect(report.contentHash).toBe(sha512(uploaded));
    // The page shows the served file's report: the gallery's signature like any other.
    expect(JSON.parse(row.signatureReport ?? "null")).toMatchObject({
      repository: { placement: "primary", valid: true },
    });
  });

  it("countersigns an author-signed upload; the author signature still verifies and the content hash is unchanged", async () => {
    const bob = await harness.createUser("bob");
    await registerFingerprint(harness.db(), bob, sha256Hex(pki.author.der));
    const uploaded = await signedPackage(
      { primary: { signer: pki.author, kind: "author", authority: pki.authority } },
      buildUnsignedPackage({ id: "Contoso.AuthorSigned", version: "1.0.0" }),
    );
    const outcome = await submitPackage(harness.db(), harness.storage(), await harness.stage(uploaded), {
      ...services.judging(),
      uploaderId: bob,
      source: "API",
      trust,
      repositorySigner: async () => signer,
    });
    expect(outcome.status, JSON.stringify(outcome.issues)).toBe("accepted");
    const { bytes, row } = await served("contoso.authorsigned", "1.0.0");
    const before = await verify(uploaded);
    const after = await verify(bytes);
    expect(after.status).toBe("valid");
    expect(after.author?.valid).toBe(true);
    expect(after.repository).toMatchObject({ placement: "countersignature", packageOwners: ["bob"], valid: true });
    expect(after.contentHash).toBe(before.contentHash);
    expect(row).toMatchObject({
      signatureStatus: "VALID",
      uploadedSha512: sha512(uploaded),
      contentHash: before.contentHash,
    });
  });

  it.skipIf(!corpusPresent)(
    "replaces nuget.org's repository countersignature with the gallery's, telling the uploader",
    async () => {
      const carol = await harness.createUser("carol");
      await registerFingerprint(harness.db(), carol, CORPUS_SIGNERS.jsonNet);
      const uploaded = corpusPackage("Newtonsoft.Json.13.0.3.nupkg");
      const outcome = await submitPackage(harness.db(), harness.storage(), await harness.stage(uploaded), {
        ...services.judging(),
        uploaderId: carol,
        source: "API",
        trust,
        repositorySigner: async () => signer,
      });
      expect(outcome.status, JSON.stringify(outcome.issues)).toBe("accepted");
      expect(outcome.issues.find((issue) => issue.code === "REPOSITORY_SIGNATURE_REPLACED")).toMatchObject({
        level: "warning",
        message: expect.stringContaining("repository countersignature from https://api.nuget.org/v3/index.json"),
      });
      const { bytes } = await served("newtonsoft.json", "13.0.3");
      const report = await verify(bytes);
      expect(report.author).toMatchObject({ kind: "author", valid: true });
      expect(report.repository).toMatchObject({
        placement: "countersignature",
        serviceIndexUrl: "https://localhost:3000/v3/index.json",
        packageOwners: ["carol"],
      });
      expect(report.contentHash).toBe((await verify(uploaded)).contentHash);
    },
  );

  it.skipIf(!corpusPresent)(
    "treats a package whose primary signature is nuget.org's as the unsigned package underneath, and signs that",
    async () => {
      const erin = await harness.createUser("erin");
      const uploaded = corpusPackage("Modernizr.2.8.3.nupkg");
      const outcome = await submitPackage(harness.db(), harness.storage(), await harness.stage(uploaded), {
        ...services.judging(),
        uploaderId: erin,
        source: "API",
        trust,
        repositorySigner: async () => signer,
      });
      expect(outcome.status, JSON.stringify(outcome.issues)).toBe("accepted");
      expect(outcome.issues.find((issue) => issue.code === "REPOSITORY_SIGNATURE_REPLACED")?.message).toContain(
        "repository primary signature from https://api.nuget.org/v3/index.json",
      );
      const { bytes, row } = await served("modernizr", "2.8.3");
      expect(row.signatureStatus).toBe("UNSIGNED");
      const report = await verify(bytes);
      expect(report.status).toBe("valid");
      expect(report.author).toBeNull();
      expect(report.repository).toMatchObject({
        placement: "primary",
        serviceIndexUrl: "https://localhost:3000/v3/index.json",
        packageOwners: ["erin"],
      });
      expect(report.contentHash).toBe((await verify(uploaded)).contentHash);
    },
  );

  it("refuses the upload when the timestamp authority fails, and publishes nothing", async () => {
    const dave = await harness.createUser("dave");
    const broken: RepositorySigner = {
      ...signer,
      timestamper: async () => Promise.reject(new Error("connection refused")),
    };
    const uploaded = buildUnsignedPackage({ id: "Contoso.NoTimestamp", version: "1.0.0" });
    const outcome = await submitPackage(harness.db(), harness.storage(), await harness.stage(uploaded), {
      ...services.judging(),
      uploaderId: dave,
      source: "API",
      trust,
      repositorySigner: async () => broken,
    });
    expect(outcome.status).toBe("rejected");
    expect(outcome.issues.filter((issue) => issue.level === "error").map((issue) => issue.code)).toEqual([
      "REPOSITORY_TIMESTAMP_FAILED",
    ]);
    expect(
      await harness.db().packageVersion.count({ where: { registration: { packageIdLower: "contoso.notimestamp" } } }),
    ).toBe(0);
    const files = await harness.storedFiles();
    expect(files.filter((file) => file.startsWith("incoming/"))).toEqual([]);
    expect(files.filter((file) => file.includes("contoso.notimestamp"))).toEqual([]);
    expect(files).toContain(`quarantine/${outcome.attemptId}.nupkg`);
  });
});
