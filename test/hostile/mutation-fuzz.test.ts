// Random damage to a real signature: whatever bytes of the `.signature.p7s` change, or however
// it is cut short, verification returns a report (never throws), and a damaged signature is
// never reported valid unless the damage missed everything it checks (unsigned attributes
// outside the timestamps are not covered by any signature, so that can happen).

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { verifyPackageSignatures } from "@/lib/signing";
import { bufferSource } from "@/lib/zip/source";
import { replaceSignature, signatureOf } from "@/test/support/nupkg";
import { CORPUS_DIRECTORY } from "@/test/support/shared-data";

const PACKAGE = path.join(CORPUS_DIRECTORY, "nupkg/Microsoft.Bcl.AsyncInterfaces.8.0.0.nupkg");
const present = existsSync(PACKAGE);
if (!present) console.warn(`SKIPPING signature fuzzing: ${PACKAGE} is missing.`);

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

describe.skipIf(!present)("damaged packages never crash verification", () => {
  const original = present ? new Uint8Array(readFileSync(PACKAGE)) : new Uint8Array(0);
  const signature = present ? signatureOf(original) : new Uint8Array(0);
  const next = random(20261123);
  const trust = { codeSigningRoots: [], timestampingRoots: [] };

  it("survives 200 random byte changes and truncations", async () => {
    for (let round = 0; round < 200; round++) {
      const damaged = signature.slice(0, round % 3 === 0 ? Math.floor(next() * signature.byteLength) : signature.byteLength);
      for (let flips = 1 + Math.floor(next() * 4); flips > 0 && damaged.byteLength > 0; flips--) {
        damaged[Math.floor(next() * damaged.byteLength)] = Math.floor(next() * 256);
      }
      const report = await verifyPackageSignatures(bufferSource(replaceSignature(original, damaged)), { trust });
      expect(["valid", "invalid"]).toContain(report.status);
      for (const issue of report.issues) expect(issue.code).toMatch(/^(NU3\d{3}|[A-Z0-9_]+)$/);
    }
  }, 120_000);

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
  }, 120_000);
});
