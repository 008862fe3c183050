import { describe, expect, it } from "vitest";
import { formatRelative } from "./format";

describe("formatRelative", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  it.each([
    ["2026-11-23T11:59:40Z", "just now"],
    ["2026-11-23T11:55:00Z", "5 minutes ago"],
    ["2026-11-23T09:00:00Z", "3 hours ago"],
    ["2026-11-22T12:00:00Z", "yesterday"],
    ["2026-11-20T12:00:00Z", "3 days ago"],
    ["2026-08-01T12:00:00Z", "3 months ago"],
    ["2023-11-01T12:00:00Z", "3 years ago"],
    ["2027-02-23T12:00:00Z", "in 3 months"],
  ])("%s reads %s", (moment, words) => {
    expect(formatRelative(moment, now)).toBe(words);
  });
});
