import { describe, expect, it } from "vitest";
import { certificateStatus } from "./status";

const NOW = new Date("2026-11-23T12:00:00Z");
const days = (count: number) => new Date(NOW.getTime() + count * 86_400_000);

describe("certificateStatus", () => {
  it("is awaiting proof until the key is proven, and otherwise follows the expiry date", () => {
    expect(certificateStatus(days(31), false, NOW)).toBe("unproven");
    expect(certificateStatus(null, false, NOW)).toBe("unproven");
    expect(certificateStatus(days(-1), false, NOW)).toBe("expired");
    expect(certificateStatus(null, true, NOW)).toBe("pending");
    expect(certificateStatus(days(31), true, NOW)).toBe("active");
    expect(certificateStatus(days(30), true, NOW)).toBe("expiring");
    expect(certificateStatus(days(0.01), true, NOW)).toBe("expiring");
    expect(certificateStatus(NOW, true, NOW)).toBe("expired");
    expect(certificateStatus(days(-1), true, NOW)).toBe("expired");
  });
});
