// Random access over a package's bytes. Packages can be hundreds of megabytes, so readers
// ask for the few ranges they need (end of central directory, headers, one entry) and hash
// the rest as a stream; nothing here ever holds a whole file in memory.

import { open, type FileHandle } from "node:fs/promises";

export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `offset`; rejects when the range runs past the end. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * The bytes of [start, endExclusive) in chunks, in order. A chunk may be a view of a buffer
   * the source reuses: it is valid until the next chunk is requested, so copy it to keep it.
   */
  stream(start: number, endExclusive: number): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
}

/** Large enough that hashing is bound by the hash, not by per-read overhead. */
const STREAM_CHUNK_BYTES = 1 << 20;

function assertRange(size: number, offset: number, endExclusive: number): void {
  if (
    !Number.isSafeInteger(offset) ||
    !Number.isSafeInteger(endExclusive) ||
    offset < 0 ||
    endExclusive < offset ||
    endExclusive > size
  ) {
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
    return this.fill(new Uint8Array(length), offset, length);
  }

  async *stream(start: number, endExclusive: number): AsyncIterable<Uint8Array> {
    assertRange(this.size, start, endExclusive);
    // Two buffers, reused: fresh allocations for every chunk cost more than hashing them
    // (page faults on new memory), and while the consumer hashes one buffer the next read
    // fills the other on the thread pool.
    const length = Math.min(STREAM_CHUNK_BYTES, Math.max(endExclusive - start, 1));
    let target = new Uint8Array(length);
    let spare = new Uint8Array(length);
    const readAt = (position: number) => {
      const buffer = target;
      [target, spare] = [spare, target];
      return this.fill(buffer, position, Math.min(length, endExclusive - position));
    };
    let pending = start < endExclusive ? readAt(start) : null;
    let position = start;
    try {
      while (pending) {
        const chunk = await pending;
        position += chunk.byteLength;
        pending = position < endExclusive ? readAt(position) : null;
        yield chunk;
      }
    } finally {
      // A consumer that stops early leaves a read in flight; its failure is no longer anyone's concern.
      pending?.catch(() => undefined);
    }
  }

  /** Fills the first `length` bytes of `buffer` from `offset`; returns that view. */
  private async fill(buffer: Uint8Array, offset: number, length: number): Promise<Uint8Array> {
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(buffer, filled, length - filled, offset + filled);
      if (bytesRead === 0) throw new RangeError(`The file ended before byte ${offset + length}.`);
      filled += bytesRead;
    }
    return buffer.subarray(0, length);
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
