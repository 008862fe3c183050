// A stored object as a ByteSource made of ranged gets, for stores without a file handle to
// read from (Azure Blob Storage): the zip and signature readers work on it as on a local file,
// and nothing is held whole. The readers ask for many small ranges close together (a local
// header, then a small entry's data, then the next header), so a small read fetches the
// aligned block around it and the reads that follow inside a cached block cost no request; large ranges (the
// hashing pass, a big entry) are streamed straight from the store.
import type { ByteSource } from "@/lib/zip/source";
import type { PackageStorage } from "./package-storage";

/** What one small read fetches: a few hundred small entries' headers and data in one request. */
export const READ_BLOCK_BYTES = 256 * 1024;
/** Ranges up to this long are served from a block (the end-of-central-directory search reads 64 KiB and a little); longer ones are streamed. */
const SMALL_READ_BYTES = READ_BLOCK_BYTES / 2;
/** At most 1 MiB held per open source. */
const CACHED_BLOCKS = 4;

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
    if (
      !Number.isSafeInteger(start) ||
      !Number.isSafeInteger(endExclusive) ||
      start < 0 ||
      endExclusive < start ||
      endExclusive > size
    ) {
      throw new RangeError(`Byte range [${start}, ${endExclusive}) is outside the ${size}-byte package.`);
    }
  };
  const fetch = async (start: number, endExclusive: number) =>
    collect(await storage.get(key, { start, end: endExclusive - 1 }), endExclusive - start);
  // A few blocks, the most recently used last: the readers go back and forth between the
  // central directory at the end and the entries at the start, some of them at the same time.
  const blocks: Array<{ start: number; bytes: Uint8Array }> = [];
  /** The bytes of a small range, from a cached block or from the block-aligned one fetched for it; null for a large range. */
  const fromBlock = async (start: number, endExclusive: number): Promise<Uint8Array | null> => {
    const cached = blocks.findIndex(
      (block) => start >= block.start && endExclusive <= block.start + block.bytes.byteLength,
    );
    if (cached >= 0) {
      const [block] = blocks.splice(cached, 1);
      if (block) {
        blocks.push(block);
        return block.bytes.subarray(start - block.start, endExclusive - block.start);
      }
    }
    if (endExclusive - start > SMALL_READ_BYTES) return null;
    const blockStart = start - (start % READ_BLOCK_BYTES);
    const block = {
      start: blockStart,
      bytes: await fetch(blockStart, Math.min(size, Math.max(blockStart + READ_BLOCK_BYTES, endExclusive))),
    };
    blocks.push(block);
    if (blocks.length > CACHED_BLOCKS) blocks.shift();
    return block.bytes.subarray(start - blockStart, endExclusive - blockStart);
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
