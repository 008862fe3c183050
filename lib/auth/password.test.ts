import { describe, expect, it } from "vitest";
import { ConcurrencyGate } from "@/lib/auth/hashing-gate";
import { hashPassword, verifyPassword } from "@/lib/auth/password";

const gate = new ConcurrencyGate(1, 16);

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery staple", gate);
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(stored).not.toContain("correct horse");
    expect(await verifyPassword("correct horse battery staple", stored, gate)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", stored, gate)).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same password", gate)).not.toBe(await hashPassword("same password", gate));
  });

  it.each(["", "plain-text", "bcrypt$2b$10$abc", "scrypt$x$8$1$c2FsdA$aGFzaA", "scrypt$16384$8$1$$"])(
    "treats the malformed stored value %j as no match",
    async (stored) => {
      expect(await verifyPassword("anything", stored, gate)).toBe(false);
    },
  );
});
