import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  API_KEY_SECRET_PREFIX,
  displayedKeyPrefix,
  generateApiKeySecret,
  hashApiKeySecret,
  isWellFormedApiKeySecret,
} from "./secret";

describe("API key secrets", () => {
  it("are recognisable, well formed and different every time", () => {
    const secrets = Array.from({ length: 50 }, generateApiKeySecret);
    expect(new Set(secrets).size).toBe(50);
    for (const secret of secrets) {
      expect(secret.startsWith(API_KEY_SECRET_PREFIX)).toBe(true);
      expect(isWellFormedApiKeySecret(secret)).toBe(true);
    }
  });

  it("are stored as the SHA-256 of the whole secret, in lower-case hex", () => {
    const secret = generateApiKeySecret();
    expect(hashApiKeySecret(secret)).toBe(createHash("sha256").update(secret).digest("hex"));
    expect(hashApiKeySecret(secret)).not.toBe(hashApiKeySecret(`${secret.slice(0, -1)}x`));
  });

  it("show only the recognisable prefix and four random characters", () => {
    const secret = generateApiKeySecret();
    expect(displayedKeyPrefix(secret)).toBe(secret.slice(0, API_KEY_SECRET_PREFIX.length + 4));
  });

  it.each([
    ["", false],
    ["oy2abcdefghijklmnopqrstuvwxyz0123456789abcdefg", false],
    [`${API_KEY_SECRET_PREFIX}short`, false],
    [`${API_KEY_SECRET_PREFIX}${"a".repeat(43)}`, true],
    [`${API_KEY_SECRET_PREFIX}${"a".repeat(42)}+`, false],
    [`${API_KEY_SECRET_PREFIX}${"a".repeat(44)}`, false],
    [` ${API_KEY_SECRET_PREFIX}${"a".repeat(43)}`, false],
  ])("%j is well formed: %s", (secret, expected) => {
    expect(isWellFormedApiKeySecret(secret)).toBe(expected);
  });
});
