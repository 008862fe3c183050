// Damage to signed packages. First, by class (test/support/tamper.ts): every damaged variant
// of a valid signed package is never reported valid, and its first code is one the NuGet
// client gives for that class of damage (the table the differential test checks against
// `dotnet nuget verify --all` on every run). Then random bytes: whatever bytes of a real
// `.signature.p7s` change, or however it is cut short, verification returns a report (never
// throws), and a damaged signature is never reported valid unless the damage missed
// everything it checks (unsigned attributes outside the timestamps are not covered by any
// signature, so that can happen).

import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyPackageSignatures, type SignatureReport } from "@/lib/signing";
import { bufferSource } from "@/lib/zip/source";
import { replaceSignature, signatureOf } from "@/test/support/nupkg";
import { CORPUS_DIRECTORY, requireCorpus } from "@/test/support/shared-data";
import { createTestPki, signedPackage, trustOf, type TestPki } from "@/test/support/signing";
import { DAMAGE, DAMAGE_CLASSES, NUGET_CODES_BY_DAMAGE, seededRandom } from "@/test/support/tamper";

const PACKAGE = path.join(CORPUS_DIRECTORY, "nupkg/Microsoft.Bcl.AsyncInterfaces.8.0.0.nupkg");
const present = requireCorpus(
  "nupkg/Microsoft.Bcl.AsyncInterfaces.8.0.0.nupkg",
  "test/hostile/mutation-fuzz.test.ts",
  "signature fuzzing",
);

/** Variants per damage class; each is replayable from its seed. */
const VARIANTS_PER_CLASS = 12;

/** The first error code, with an unsigned package as NU3004 (what `verify --all` says for it). */
function firstCode(report: SignatureReport): string {
  if (report.status === "unsigned") return "NU3004";
  return report.issues.find((issue) => issue.level === "error")?.code ?? "(none)";
}

describe("every damaged variant of a valid signed package", () => {
  let pki: TestPki;
  let signed: { countersigned: Uint8Array; authorOnly: Uint8Array };

  beforeAll(async () => {
    pki = await createTestPki();
    const author = { signer: pki.author, kind: "author" as const, authority: pki.authority };
    signed = {
      authorOnly: await signedPackage({ primary: author }),
      countersigned: await signedPackage({
        primary: author,
        countersigners: [{ signer: pki.repository, kind: "repository", authority: pki.authority }],
      }),
    };
    for (const bytes of Object.values(signed))
      expect((await verifyPackageSignatures(bufferSource(bytes), { trust: trustOf(pki) })).status).toBe("valid");
  });

  it.each(DAMAGE_CLASSES)(
    "%s: never valid, and first a code NuGet gives for it",
    async (damage) => {
      const wrong: string[] = [];
      for (let seed = 1; seed <= VARIANTS_PER_CLASS; seed++) {
        const original = seed % 2 === 0 ? signed.countersigned : signed.authorOnly;
        const report = await verifyPackageSignatures(bufferSource(DAMAGE[damage](original, seededRandom(seed))), {
          trust: trustOf(pki),
        });
        const code = firstCode(report);
        if (report.status === "valid" || !NUGET_CODES_BY_DAMAGE[damage].includes(code))
          wrong.push(`seed ${seed}: ${report.status}, first ${code}: ${report.issues[0]?.message ?? ""}`);
      }
      expect(wrong).toEqual([]);
    },
    120_000,
  );
});

// 200 verifications each: about a minute on an idle machine, several under the load of parallel builds.
describe.skipIf(!present)("damaged packages never crash verification", () => {
  const original = present ? new Uint8Array(readFileSync(PACKAGE)) : new Uint8Array(0);
  const signature = present ? signatureOf(original) : new Uint8Array(0);
  const next = seededRandom(20261123);
  const trust = { codeSigningRoots: [], timestampingRoots: [] };

  it("survives 200 random byte changes and truncations", async () => {
    for (let round = 0; round < 200; round++) {
      const damaged = signature.slice(
        0,
        round % 3 === 0 ? Math.floor(next() * signature.byteLength) : signature.byteLength,
      );
      for (let flips = 1 + Math.floor(next() * 4); flips > 0 && damaged.byteLength > 0; flips--) {
        damaged[Math.floor(next() * damaged.byteLength)] = Math.floor(next() * 256);
      }
      const report = await verifyPackageSignatures(bufferSource(replaceSignature(original, damaged)), { trust });
      expect(["valid", "invalid"]).toContain(report.status);
      for (const issue of report.issues) expect(issue.code).toMatch(/^(NU3\d{3}|[A-Z0-9_]+)$/);
    }
  }, 300_000);

  it("survives 200 random byte changes in the central directory and end record", async () => {
    const tail = 4096;
    for (let round = 0; round < 200; round++) {
      const damaged = original.slice();
      for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) {
        damaged[damaged.byteLength - 1 - Math.floor(next() * tail)] = Math.floor(next() * 256);
      }
      const report = await verifyPackageSignatures(bufferSource(damaged), { trust });
      expect(["unsigned", "valid", "invalid"]).toContain(report.status);
    }
  }, 300_000);
});
