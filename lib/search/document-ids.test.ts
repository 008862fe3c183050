import { describe, expect, it } from "vitest";
import { SEQUENCE_BITS, allocateIds, downloadsBucket, firstIdFor, idFits } from "./document-ids";

const BUCKET = 2 ** SEQUENCE_BITS;

describe("document ids in downloads order", () => {
  it("give more downloads a lower first id, never a higher one", () => {
    const counts = [0n, 1n, 2n, 3n, 10n, 11n, 99n, 100n, 104n, 105n, 10_000n, 5_000_000_000n, 2n ** 53n];
    const firstIds = counts.map(firstIdFor);
    for (let index = 1; index < counts.length; index += 1) {
      expect(firstIds[index]).toBeLessThanOrEqual(firstIds[index - 1] as number);
    }
    // Small counts each have a bucket; large ones share buckets 1/16 of a doubling wide.
    expect(new Set([0n, 1n, 2n, 3n].map(downloadsBucket)).size).toBe(4);
    expect(downloadsBucket(10_000n)).toBe(downloadsBucket(10_050n));
    expect(downloadsBucket(10_000n)).toBeLessThan(downloadsBucket(10_500n));
    expect(firstIdFor(2n ** 53n)).toBeGreaterThan(0);
    expect(Number.isSafeInteger(firstIdFor(0n) + BUCKET)).toBe(true);
  });

  it("tell whether an id still fits a count", () => {
    expect(idFits(firstIdFor(100n) + 7, 100n)).toBe(true);
    expect(idFits(firstIdFor(100n) + 7, 101n)).toBe(true);
    expect(idFits(firstIdFor(100n) + 7, 1000n)).toBe(false);
    expect(idFits(firstIdFor(100n) + BUCKET, 100n)).toBe(false);
  });

  it("are allocated each next in its bucket, after the highest already used", () => {
    const used = new Map([[firstIdFor(100n), firstIdFor(100n) + 41]]);
    expect(allocateIds([100n, 0n, 100n, 0n], used)).toEqual([
      firstIdFor(100n) + 42,
      firstIdFor(0n),
      firstIdFor(100n) + 43,
      firstIdFor(0n) + 1,
    ]);
  });

  it("refuse to leave their bucket", () => {
    expect(() => allocateIds([100n], new Map([[firstIdFor(100n), firstIdFor(100n) + BUCKET - 1]]))).toThrow(
      /no free id/,
    );
  });
});
