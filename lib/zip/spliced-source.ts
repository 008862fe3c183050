// A package that exists only as a recipe: ranges of another source and bytes in memory, one
// after the other. Taking a signature out of a package, or putting one in, only moves the
// central directory and the end record; the entries' bytes are ranges of the original file.
// So a re-signed package of hundreds of megabytes can be verified and streamed to storage
// without ever being held in memory or written twice.

import type { ByteSource } from "./source";

export type SplicePiece = { kind: "range"; start: number; end: number } | { kind: "bytes"; bytes: Uint8Array };

interface PlacedPiece {
  piece: SplicePiece;
  /** Offset of the piece in the spliced source. */
  offset: number;
  length: number;
}

function lengthOf(piece: SplicePiece): number {
  return piece.kind === "bytes" ? piece.bytes.byteLength : piece.end - piece.start;
}

/** The bytes of `pieces` (ranges of `base`, literal bytes) as one source. Closing it does not close `base`. */
export function splicedSource(base: ByteSource, pieces: readonly SplicePiece[]): ByteSource {
  const placed: PlacedPiece[] = [];
  let size = 0;
  for (const piece of pieces) {
    const length = lengthOf(piece);
    if (piece.kind === "range" && (piece.start < 0 || piece.end < piece.start || piece.end > base.size)) {
      throw new RangeError(`Byte range [${piece.start}, ${piece.end}) is outside the ${base.size}-byte package.`);
    }
    if (length > 0) placed.push({ piece, offset: size, length });
    size += length;
  }

  async function* segments(start: number, endExclusive: number): AsyncIterable<Uint8Array> {
    if (start < 0 || endExclusive < start || endExclusive > size)
      throw new RangeError(`Byte range [${start}, ${endExclusive}) is outside the ${size}-byte package.`);
    for (const { piece, offset, length } of placed) {
      const from = Math.max(start, offset);
      const to = Math.min(endExclusive, offset + length);
      if (from >= to) continue;
      if (piece.kind === "bytes") yield piece.bytes.subarray(from - offset, to - offset);
      else yield* base.stream(piece.start + from - offset, piece.start + to - offset);
    }
  }

  return {
    size,
    async read(offset, length) {
      const bytes = new Uint8Array(length);
      let filled = 0;
      for await (const chunk of segments(offset, offset + length)) {
        bytes.set(chunk, filled);
        filled += chunk.byteLength;
      }
      return bytes;
    },
    stream: segments,
    async close() {},
  };
}
