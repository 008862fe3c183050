import { describe, expect, it } from "vitest";
import {
  BUCKET_SIZE,
  TRUSTED_FLAG,
  allocateIds,
  documentFlags,
  downloadsBucket,
  firstIdFor,
  idFits,
} from "./document-ids";

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
    expect(Number.isSafeInteger(firstIdFor(0n) + BUCKET_SIZE - 1)).toBe(true);
  });

  it("tell whether an id still fits a count", () => {
    expect(idFits(firstIdFor(100n) + 7, 100n)).toBe(true);
    expect(idFits(firstIdFor(100n) + 7, 101n)).toBe(true);
    expect(idFits(firstIdFor(100n) + 7, 1000n)).toBe(false);
    expect(idFits(firstIdFor(100n) + BUCKET_SIZE, 100n)).toBe(false);
  });

  it("are allocated each next in its bucket, after the highest already used, carrying their flags", () => {
    const first = firstIdFor(100n);
    const used = new Map([[first, first + 41 * 128 + documentFlags(63, true)]]);
    const ids = allocateIds(
      [
        { downloads: 100n, flags: documentFlags(8, false) },
        { downloads: 0n, flags: documentFlags(63, true) },
        { downloads: 100n, flags: documentFlags(53, true) },
        { downloads: 0n, flags: documentFlags(10, false) },
      ],
      used,
    );
    expect(ids).toEqual([
      first + 42 * 128 + 8,
      firstIdFor(0n) + 127,
      first + 43 * 128 + 53 + 64,
      firstIdFor(0n) + 128 + 10,
    ]);
    // The flags are read off the id, as a search tests them on FTS5's rowid.
    expect(ids.map((id) => id % 128)).toEqual([8, 127, 117, 10]);
    expect(ids.map((id) => ((id % 128) & TRUSTED_FLAG) !== 0)).toEqual([false, true, true, false]);
    expect(ids.map((id) => idFits(id, id < firstIdFor(0n) ? 100n : 0n))).toEqual([true, true, true, true]);
  });

  it("refuse to leave their bucket, and flags that do not fit", () => {
    const first = firstIdFor(100n);
    expect(() =>
      allocateIds([{ downloads: 100n, flags: documentFlags(1, false) }], new Map([[first, first + BUCKET_SIZE - 1]])),
    ).toThrow(/no free id/);
    expect(() => documentFlags(0, true)).toThrow(/do not fit/);
    expect(() => documentFlags(64, false)).toThrow(/do not fit/);
  });
});
