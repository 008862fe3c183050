import { describe, expect, it } from "vitest";
import { parseSignatureContent, readPropertySections } from "./content";

const HASH = "bgE4DbQVrB6UdEJXkkxQg1/dVJjf4BsrIa/+Y7NASW0=";
const encode = (text: string) => new TextEncoder().encode(text);

describe("parseSignatureContent", () => {
  it("reads the content NuGet writes", () => {
    const content = parseSignatureContent(encode(`Version:1\n\n2.16.840.1.101.3.4.2.1-Hash:${HASH}\n\n`));
    expect(content.hashAlgorithm.name).toBe("SHA-256");
    expect(content.hashValue).toBe(HASH);
  });

  it("accepts CRLF line endings and SHA-512", () => {
    const hash = Buffer.alloc(64, 7).toString("base64");
    const content = parseSignatureContent(encode(`Version:1\r\n\r\n2.16.840.1.101.3.4.2.3-Hash:${hash}\r\n\r\n`));
    expect(content.hashAlgorithm.name).toBe("SHA-512");
  });

  it("takes the first SHA-2 hash property in document order", () => {
    const other = Buffer.alloc(48, 1).toString("base64");
    const content = parseSignatureContent(
      encode(`Version:1\n\n2.16.840.1.101.3.4.2.2-Hash:${other}\n2.16.840.1.101.3.4.2.1-Hash:${HASH}\n\n`),
    );
    expect(content.hashAlgorithm.name).toBe("SHA-384");
  });

  it.each([
    ["NU3007", `Version:2\n\n2.16.840.1.101.3.4.2.1-Hash:${HASH}\n\n`],
    ["NU3016", "Version:1\n\n1.3.14.3.2.26-Hash:AAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n"],
    ["NU3000", `Version:1\n\n2.16.840.1.101.3.4.2.1-Hash:${HASH}\n`],
    ["NU3000", `Version:1\n\n2.16.840.1.101.3.4.2.1-Hash:${HASH}`],
    ["NU3000", `2.16.840.1.101.3.4.2.1-Hash:${HASH}\n\n`],
    ["NU3000", "Version:1\n\n"],
    ["NU3000", `Version:1\nVersion:1\n\n2.16.840.1.101.3.4.2.1-Hash:${HASH}\n\n`],
    ["NU3000", `Version:1\n\n\n2.16.840.1.101.3.4.2.1-Hash:${HASH}\n\n`],
    ["NU3000", `Version 1\n\n2.16.840.1.101.3.4.2.1-Hash:${HASH}\n\n`],
  ])("refuses with %s: %j", (code, text) => {
    expect(() => parseSignatureContent(encode(text))).toThrow(expect.objectContaining({ code }));
  });

  it("reads bytes that are not UTF-8 as U+FFFD, as .NET does: a damaged name is unreadable, a damaged hash is only a different hash", () => {
    expect(() => parseSignatureContent(new Uint8Array([0xff, 0xfe, 0x0a]))).toThrow(
      expect.objectContaining({ code: "NU3000" }),
    );
    const damaged = encode(`Version:1\n\n2.16.840.1.101.3.4.2.1-Hash:${HASH}\n\n`);
    damaged[damaged.indexOf(HASH.charCodeAt(3), 40)] = 0xb5;
    expect(parseSignatureContent(damaged)).toMatchObject({ hashValue: `${HASH.slice(0, 3)}\ufffd${HASH.slice(4)}` });
    expect(parseSignatureContent(encode("Version:1\n\n2.16.840.1.101.3.4.2.1-Hash:not base64!\n\n"))).toMatchObject({
      hashValue: "not base64!",
    });
  });
});

describe("readPropertySections", () => {
  it("splits sections at empty lines and keeps values containing colons", () => {
    expect(readPropertySections("a:1\nb:x:y\n\nc:2\n\n").map((section) => Object.fromEntries(section))).toEqual([
      { a: "1", b: "x:y" },
      { c: "2" },
    ]);
  });
});
