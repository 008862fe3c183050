import { describe, expect, it } from "vitest";
import { displayFingerprint, parseFingerprint } from "./fingerprint";

const HEX = "0123456789abcdef".repeat(4);

describe("parseFingerprint", () => {
  it("accepts plain, upper-case, colon-, space- and dash-separated hex and openssl's output", () => {
    expect(parseFingerprint(HEX)).toBe(HEX);
    expect(parseFingerprint(HEX.toUpperCase())).toBe(HEX);
    expect(parseFingerprint(displayFingerprint(HEX))).toBe(HEX);
    expect(parseFingerprint(` ${HEX.match(/../g)?.join(" ")} `)).toBe(HEX);
    expect(parseFingerprint(HEX.match(/.{8}/g)?.join("-") ?? "")).toBe(HEX);
    expect(parseFingerprint(`sha256 Fingerprint=${displayFingerprint(HEX)}`)).toBe(HEX);
  });

  it("refuses other characters and other lengths, saying which", () => {
    expect(() => parseFingerprint(`${HEX.slice(1)}g`)).toThrow("only the hex digits");
    expect(() => parseFingerprint(HEX.slice(0, 40))).toThrow("this one has 40");
    expect(() => parseFingerprint("")).toThrow(expect.objectContaining({ code: "INVALID_FINGERPRINT" }));
  });
});

describe("displayFingerprint", () => {
  it("prints colon-separated upper-case pairs like openssl", () => {
    expect(displayFingerprint("0a1b2c")).toBe("0A:1B:2C");
  });
});
