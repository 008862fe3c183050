import { describe, expect, it } from "vitest";
import { fullUtc } from "./wording";

describe("fullUtc", () => {
  it("writes the exact moment in UTC to the second", () => {
    expect(fullUtc(new Date("2026-11-23T14:05:09.123Z"))).toBe("2026-11-23 14:05:09 UTC");
    expect(fullUtc("2026-11-23T14:05:09Z")).toBe("2026-11-23 14:05:09 UTC");
  });
});
