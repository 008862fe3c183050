import { describe, expect, it } from "vitest";
import { certificateStatus } from "./status";

const NOW = new Date("2026-11-23T12:00:00Z");
const days = (count: number) => new Date(NOW.getTime() + count * 86_400_000);

describe("certificateStatus", () => {
  it("is pending without details, and otherwise follows the expiry date", () => {
    expect(certificateStatus(null, NOW)).toBe("pending");
    expect(certificateStatus(days(31), NOW)).toBe("active");
    expect(certificateStatus(days(30), NOW)).toBe("expiring");
    expect(certificateStatus(days(0.01), NOW)).toBe("expiring");
    expect(certificateStatus(NOW, NOW)).toBe("expired");
    expect(certificateStatus(days(-1), NOW)).toBe("expired");
  });
});
