import { describe, expect, it } from "vitest";
import { isSignedAfterCompromise } from "./certificates";

describe("isSignedAfterCompromise", () => {
  const since = new Date("2026-11-01T00:00:00Z");

  it("flags versions signed at or after the date, and none when nothing is compromised", () => {
    expect(isSignedAfterCompromise(new Date("2026-10-31T23:59:59Z"), since)).toBe(false);
    expect(isSignedAfterCompromise(since, since)).toBe(true);
    expect(isSignedAfterCompromise(new Date("2026-11-02T00:00:00Z"), since)).toBe(true);
    expect(isSignedAfterCompromise(new Date("2026-11-02T00:00:00Z"), null)).toBe(false);
  });

  it("flags a version whose signing time is unknown, since nothing shows it predates the compromise", () => {
    expect(isSignedAfterCompromise(null, since)).toBe(true);
  });
});
