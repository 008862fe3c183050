// API key secrets. A secret is shown to its owner once; the gallery keeps only its SHA-256 (to
// find the key when it comes back) and its first characters (so a person can tell keys apart).
// The fixed "signet_" prefix makes a leaked key recognisable to secret scanners and to people.
import { createHash, randomBytes } from "node:crypto";

export const API_KEY_SECRET_PREFIX = "signet_";

// 32 random bytes: far beyond guessing, so a fast unsalted hash is enough to store it.
const SECRET_BYTES = 32;
const SECRET_PATTERN = /^signet_[A-Za-z0-9_-]{43}$/;
// "signet_" plus four characters of the random part: enough to tell a handful of keys apart,
// far too few to help anyone guess the rest.
const DISPLAYED_PREFIX_LENGTH = API_KEY_SECRET_PREFIX.length + 4;

export function generateApiKeySecret(): string {
  return API_KEY_SECRET_PREFIX + randomBytes(SECRET_BYTES).toString("base64url");
}

/** Whether the text has the shape of a secret this gallery issues (checked before any lookup). */
export function isWellFormedApiKeySecret(secret: string): boolean {
  return SECRET_PATTERN.test(secret);
}

/** Lower-case hex SHA-256 of the secret: what the database stores and looks keys up by. */
export function hashApiKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export function displayedKeyPrefix(secret: string): string {
  return secret.slice(0, DISPLAYED_PREFIX_LENGTH);
}
