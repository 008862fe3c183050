// Random access over a package's bytes. Packages can be hundreds of megabytes, so readers
// ask for the few ranges they need (end of central directory, headers, one entry) and hash
// the rest as a stream; nothing here ever holds a whole file in memory.

import { open, type FileHandle } from "node:fs/promises";

export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `offset`; rejects when the range runs past the end. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** The bytes of [start, endExclusive) in chunks, in order. */
  stream(start: number, endExclusive: number): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

/** Large enough that hashing is bound by the hash, not by per-read overhead. */
const STREAM_CHUNK_BYTES = 1 << 20;

function assertRange(size: number, offset: number, endExclusive: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(endExclusive) || offset < 0 || endExclusive < offset || endExclusive > size) {
    throw new RangeError(`Byte range [${offset}, ${endExclusive}) is outside the ${size}-byte package.`);
  }
}

class FileByteSource implements ByteSource {
  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  async read(offset: number, length: number): Promise<Uint8Array> {
    assertRange(this.size, offset, offset + length);
    const bytes = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(bytes, filled, length - filled, offset + filled);
      if (bytesRead === 0) throw new RangeError(`The file ended before byte ${offset + length}.`);
      filled += bytesRead;
    }
    return bytes;
  }

  async *stream(start: number, endExclusive: number): AsyncIterable<Uint8Array> {
    assertRange(this.size, start, endExclusive);
    // A fresh chunk each time: consumers such as zlib streams may hold on to a chunk after
    // the next one is read. Memory stays flat because consumed chunks are collected.
    let position = start;
    while (position < endExclusive) {
      const chunk = await this.read(position, Math.min(STREAM_CHUNK_BYTES, endExclusive - position));
      yield chunk;
      position += chunk.byteLength;
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

export async function openFileSource(path: string): Promise<ByteSource> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    return new FileByteSource(handle, size);
  } catch (cause) {
    await handle.close();
    throw cause;
  }
}

/** A source over bytes already in memory (small packages, uploads under a size limit, tests). */
export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.byteLength,
    async read(offset, length) {
      assertRange(bytes.byteLength, offset, offset + length);
      return bytes.subarray(offset, offset + length);
    },
    async *stream(start, endExclusive) {
      assertRange(bytes.byteLength, start, endExclusive);
      for (let position = start; position < endExclusive; position += STREAM_CHUNK_BYTES) {
        yield bytes.subarray(position, Math.min(position + STREAM_CHUNK_BYTES, endExclusive));
      }
    },
    async close() {},
  };
}
