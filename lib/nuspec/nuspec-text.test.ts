import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodeNuspecBytes } from "./nuspec-text";
import { parseNuspec } from "./parse-nuspec";

const MANIFEST = `<?xml version="1.0"?><package><metadata><id>Café.Paket</id><version>1.0.0</version></metadata></package>`;

function utf16be(text: string): Uint8Array {
  const littleEndian = Buffer.from(text, "utf16le");
  return Uint8Array.from(littleEndian, (_, index) => littleEndian[index ^ 1] ?? 0);
}

describe("decodeNuspecBytes", () => {
  it("reads a real UTF-8 manifest with a byte-order mark, leaving the mark out", () => {
    const bytes = readFileSync(new URL("./fixtures/Newtonsoft.Json.13.0.3.nuspec", import.meta.url));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = decodeNuspecBytes(bytes);
    expect(text.startsWith("<?xml")).toBe(true);
    expect(parseNuspec(text).copyright).toBe("Copyright © James Newton-King 2008");
  });

  it.each([
    ["UTF-8 without a byte-order mark", Buffer.from(MANIFEST, "utf8")],
    ["UTF-16LE with a byte-order mark", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MANIFEST, "utf16le")])],
    ["UTF-16LE without a byte-order mark", Buffer.from(MANIFEST, "utf16le")],
    ["UTF-16BE with a byte-order mark", Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(MANIFEST)])],
    ["UTF-16BE without a byte-order mark", utf16be(MANIFEST)],
  ])("reads %s", (_case, bytes) => {
    const text = decodeNuspecBytes(bytes);
    expect(text).toBe(MANIFEST);
    expect(parseNuspec(text).id).toBe("Café.Paket");
  });

  it("refuses bytes that are not valid in the detected encoding instead of replacing them", () => {
    const invalidUtf8 = Buffer.from([
      ...Buffer.from("<package><metadata><id>A"),
      0xc3,
      0x28,
      ...Buffer.from("</id></metadata></package>"),
    ]);
    expect(() => decodeNuspecBytes(invalidUtf8)).toThrow(
      expect.objectContaining({
        name: "IssueError",
        code: "NUSPEC_INVALID_ENCODING",
        message: expect.stringContaining("not valid UTF-8 text"),
      }),
    );
    const oddUtf16 = Buffer.from([0xff, 0xfe, 0x3c, 0x00, 0x00, 0xd8]);
    expect(() => decodeNuspecBytes(oddUtf16)).toThrow(expect.objectContaining({ code: "NUSPEC_INVALID_ENCODING" }));
  });
});
