import { randomBytes } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bufferSource, openFileSource, type ByteSource } from "./source";

// Over 2 MiB so streams cross the 1 MiB chunk boundary and reuse both buffers.
const bytes = new Uint8Array(randomBytes(2 * 1024 * 1024 + 12345));
let file: string;

beforeAll(async () => {
  file = path.join(await mkdtemp(path.join(tmpdir(), "signet-source-")), "bytes.bin");
  await writeFile(file, bytes);
});

async function collect(source: ByteSource, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source.stream(start, end)) chunks.push(Buffer.from(chunk)); // copied: chunks may be reused
  return Buffer.concat(chunks);
}

describe.each([
  ["file", () => openFileSource(file)],
  ["buffer", async () => bufferSource(bytes)],
])("%s source", (_name, open) => {
  it("reads and streams exact ranges", async () => {
    const source = await open();
    try {
      expect(source.size).toBe(bytes.byteLength);
      expect(await source.read(100, 50)).toEqual(bytes.subarray(100, 150));
      for (const [start, end] of [
        [0, bytes.byteLength],
        [5, 1024 * 1024 + 7],
        [10, 10],
        [bytes.byteLength - 3, bytes.byteLength],
      ] as const) {
        expect((await collect(source, start, end)).equals(Buffer.from(bytes.subarray(start, end)))).toBe(true);
      }
    } finally {
      await source.close();
    }
  });

  it("rejects ranges outside the bytes", async () => {
    const source = await open();
    try {
      await expect(source.read(bytes.byteLength - 1, 2)).rejects.toThrow(RangeError);
      await expect(collect(source, 0, bytes.byteLength + 1)).rejects.toThrow(RangeError);
      await expect(source.read(-1, 2)).rejects.toThrow(RangeError);
    } finally {
      await source.close();
    }
  });

  it("lets a consumer stop early", async () => {
    const source = await open();
    try {
      for await (const chunk of source.stream(0, bytes.byteLength)) {
        expect(chunk.byteLength).toBeGreaterThan(0);
        break;
      }
      expect(await source.read(0, 4)).toEqual(bytes.subarray(0, 4));
    } finally {
      await source.close();
    }
  });
});
