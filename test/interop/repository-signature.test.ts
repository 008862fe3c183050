// The gallery's repository signatures (lib/signing/sign) judged by the real client:
// `dotnet nuget verify --all` on (1) an unsigned package the gallery primary-signed, (2) a
// package the client author-signed and the gallery countersigned, and (3) such a package that
// first carried another repository's countersignature, which the gallery replaced. The verify
// SDK trusts the interop root (which issues the author and the repository certificates) and
// the interop TSA root, as the engine does. The content hash the client prints must be the
// one it printed before the repository signature was added.
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositorySignPackage, type RepositorySignatureOptions } from "@/lib/signing/sign";
import { openFileSource } from "@/lib/zip/source";
import { findTestSdk } from "@/test/support/dotnet";
import { EXTENDED_KEY_USAGE, generateRsaKey, issueCertificate } from "@/test/support/pki";
import { repositorySignatureOptions } from "@/test/support/repository-signing";
import { InteropWorld } from "./harness";

const installed = await findTestSdk(
  "test/interop/repository-signature.test.ts",
  "the NuGet client's check of the gallery's repository signatures",
);

describe.skipIf(!installed)(
  "repository signatures written by the gallery, verified by dotnet nuget verify --all",
  () => {
    let world: InteropWorld;
    let gallery: RepositorySignatureOptions;
    let otherRepository: RepositorySignatureOptions;

    beforeAll(async () => {
      if (!installed) return;
      world = await InteropWorld.create(installed);
      const [galleryKey, otherKey] = await Promise.all([generateRsaKey(), generateRsaKey()]);
      const issue = (commonName: string, key: typeof galleryKey) =>
        issueCertificate({
          commonName,
          key,
          issuer: world.certificates.root,
          extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
        });
      gallery = await repositorySignatureOptions(await issue("Signet Interop Gallery", galleryKey), world.authority, {
        serviceIndexUrl: "https://gallery.example/v3/index.json",
      });
      otherRepository = await repositorySignatureOptions(
        await issue("Signet Interop Other Repository", otherKey),
        world.authority,
        {
          serviceIndexUrl: "https://other.example/v3/index.json",
          owners: ["someone-else"],
        },
      );
    }, 180_000);

    afterAll(() => world?.dispose());

    async function signInPlace(packagePath: string, options: RepositorySignatureOptions): Promise<void> {
      const source = await openFileSource(packagePath);
      try {
        const signed = await repositorySignPackage(source, options);
        const bytes = await signed.package.read(0, signed.package.size);
        await writeFile(packagePath, bytes);
      } finally {
        await source.close();
      }
    }

    /** The .NET 10 SDK prints "Content hash: <base64 SHA-512>" for each package it verifies. */
    function contentHashLine(output: string): string | undefined {
      return /^Content hash:\s*(\S+)/m.exec(output)?.[1];
    }

    it("accepts the gallery's primary signature on an unsigned package", async () => {
      const packagePath = await world.unsignedPackage("RepositoryPrimary");
      const unsignedHash = createHash("sha512")
        .update(await readFile(packagePath))
        .digest("base64");
      await signInPlace(packagePath, gallery);
      const verdict = await world.clientVerdict(packagePath);
      expect(verdict.valid, verdict.output).toBe(true);
      expect(verdict.output).toContain("Signature type: Repository");
      expect(verdict.output).toContain("https://gallery.example/v3/index.json");
      expect(contentHashLine(verdict.output)).toBe(unsignedHash);
    }, 120_000);

    it("accepts the gallery's countersignature on a package the client signed, and the author signature still verifies", async () => {
      const packagePath = await world.signWithClient("RepositoryCountersigned", world.certificates.signer);
      const before = await world.clientVerdict(packagePath);
      await signInPlace(packagePath, gallery);
      const verdict = await world.clientVerdict(packagePath);
      expect(verdict.valid, verdict.output).toBe(true);
      expect(verdict.output).toContain("Signature type: Author");
      expect(verdict.output).toContain("Signature type: Repository");
      expect(verdict.output).toContain("https://gallery.example/v3/index.json");
      expect(contentHashLine(before.output)).toMatch(/^[A-Za-z0-9+/]{86}==$/);
      expect(contentHashLine(verdict.output)).toBe(contentHashLine(before.output));
    }, 120_000);

    it("replaces another repository's countersignature, and the client sees only the gallery's", async () => {
      const packagePath = await world.signWithClient("RepositoryReplaced", world.certificates.signer);
      await signInPlace(packagePath, otherRepository);
      expect((await world.clientVerdict(packagePath)).output).toContain("https://other.example/v3/index.json");
      await signInPlace(packagePath, gallery);
      const verdict = await world.clientVerdict(packagePath);
      expect(verdict.valid, verdict.output).toBe(true);
      expect(verdict.output).toContain("https://gallery.example/v3/index.json");
      expect(verdict.output).not.toContain("https://other.example/v3/index.json");
      const engine = await world.engineVerdict(packagePath);
      expect(engine.valid).toBe(true);
    }, 120_000);
  },
);
