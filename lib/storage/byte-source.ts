// A stored object as a ByteSource made of ranged gets, for stores without a file handle to
// read from (Azure Blob Storage): the zip and signature readers work on it as on a local file,
// and nothing is held whole. The readers ask for many small ranges close together (a local
// header, then a small entry's data, then the next header), so a small read fetches one block
// around it and the reads that follow inside that block cost no request; large ranges (the
// hashing pass, a big entry) are streamed straight from the store.
import type { ByteSource } from "@/lib/zip/source";
import type { PackageStorage } from "./package-storage";

/** What one small read fetches: a few hundred small entries' headers and data in one request. */
export const READ_BLOCK_BYTES = 256 * 1024;
/** Ranges up to this long are served from a block; longer ones are streamed. */
const SMALL_READ_BYTES = READ_BLOCK_BYTES / 4;

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

/** The object at `key` read by ranged gets; fails with STORAGE_OBJECT_NOT_FOUND when there is none. */
export async function rangedSource(storage: PackageStorage, key: string): Promise<ByteSource> {
  const size = await storage.size(key);
  const check = (start: number, endExclusive: number) => {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endExclusive) || start < 0 || endExclusive < start || endExclusive > size) {
      throw new RangeError(`Byte range [${start}, ${endExclusive}) is outside the ${size}-byte package.`);
    }
  };
  const fetch = async (start: number, endExclusive: number) => collect(await storage.get(key, { start, end: endExclusive - 1 }), endExclusive - start);
  let block: { start: number; bytes: Uint8Array } | null = null;
  /** The bytes of a small range, from the current block or a new one starting at it; null for a large range. */
  const fromBlock = async (start: number, endExclusive: number): Promise<Uint8Array | null> => {
    if (block && start >= block.start && endExclusive <= block.start + block.bytes.byteLength) {
      return block.bytes.subarray(start - block.start, endExclusive - block.start);
    }
    if (endExclusive - start > SMALL_READ_BYTES) return null;
    const fetched = { start, bytes: await fetch(start, Math.min(size, start + READ_BLOCK_BYTES)) };
    block = fetched;
    return fetched.bytes.subarray(0, endExclusive - start);
  };
  return {
    size,
    async read(offset, length) {
      check(offset, offset + length);
      if (length === 0) return new Uint8Array(0);
      return (await fromBlock(offset, offset + length)) ?? fetch(offset, offset + length);
    },
    async *stream(start, endExclusive) {
      check(start, endExclusive);
      if (start === endExclusive) return;
      const small = await fromBlock(start, endExclusive);
      if (small) {
        yield small;
        return;
      }
      for await (const chunk of await storage.get(key, { start, end: endExclusive - 1 })) yield chunk as Uint8Array;
    },
    async close() {},
  };
}
