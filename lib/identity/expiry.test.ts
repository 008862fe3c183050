import { describe, expect, it } from "vitest";
import { expiryThreshold } from "./expiry";

const NOW = new Date("2026-11-23T12:00:00Z");
const inDays = (days: number) => new Date(NOW.getTime() + days * 86_400_000);

describe("expiryThreshold", () => {
  it("warns 30 days before, then 7, and not for expired certificates or ones further away", () => {
    expect(expiryThreshold(inDays(31), NOW)).toBeNull();
    expect(expiryThreshold(inDays(30), NOW)).toBe(30);
    expect(expiryThreshold(inDays(8), NOW)).toBe(30);
    expect(expiryThreshold(inDays(7), NOW)).toBe(7);
    expect(expiryThreshold(inDays(0.5), NOW)).toBe(7);
    expect(expiryThreshold(NOW, NOW)).toBeNull();
  });
});
