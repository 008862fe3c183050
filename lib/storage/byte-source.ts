// A stored package as a ByteSource, so the zip and signature readers work on published files
// the way they work on staged ones: every read is one ranged get, nothing is held whole.
import type { ByteSource } from "@/lib/zip/source";
import type { PackageStorage } from "./index";

async function collect(chunks: AsyncIterable<Uint8Array>, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  let filled = 0;
  for await (const chunk of chunks) {
    bytes.set(chunk.subarray(0, length - filled), filled);
    filled += Math.min(chunk.byteLength, length - filled);
  }
  if (filled !== length) throw new RangeError(`The stored object ended after ${filled} of ${length} bytes.`);
  return bytes;
}

export async function storageSource(storage: PackageStorage, key: string): Promise<ByteSource> {
  const size = await storage.size(key);
  const check = (start: number, endExclusive: number) => {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endExclusive) || start < 0 || endExclusive < start || endExclusive > size) {
      throw new RangeError(`Byte range [${start}, ${endExclusive}) is outside the ${size}-byte package.`);
    }
  };
  return {
    size,
    async read(offset, length) {
      check(offset, offset + length);
      if (length === 0) return new Uint8Array(0);
      return collect(await storage.get(key, { start: offset, end: offset + length - 1 }), length);
    },
    async *stream(start, endExclusive) {
      check(start, endExclusive);
      if (start === endExclusive) return;
      for await (const chunk of await storage.get(key, { start, end: endExclusive - 1 })) yield chunk as Uint8Array;
    },
    async close() {},
  };
}
