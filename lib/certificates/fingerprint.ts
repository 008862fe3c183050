// SHA-256 certificate fingerprints as people paste them: with colons, spaces or dashes, in
// either case, sometimes with openssl's "sha256 Fingerprint=" prefix. Stored as 64 lower-case
// hex characters, shown as colon-separated upper-case pairs like `openssl x509 -fingerprint`.
// Runs in the browser too (the page previews and checks before submitting).

import { IssueError } from "@/lib/issues";

const SHA256_HEX_LENGTH = 64;
const OPENSSL_PREFIX = /^\s*sha-?256\s+fingerprint\s*=\s*/i;

/** The fingerprint as 64 lower-case hex characters; throws INVALID_FINGERPRINT. */
export function parseFingerprint(text: string): string {
  const hex = text
    .replace(OPENSSL_PREFIX, "")
    .replace(/[\s:\-]/g, "")
    .toLowerCase();
  if (!/^[0-9a-f]*$/.test(hex)) {
    throw new IssueError(
      "INVALID_FINGERPRINT",
      "A SHA-256 fingerprint has only the hex digits 0-9 and A-F (colons, spaces and dashes between them are fine).",
    );
  }
  if (hex.length !== SHA256_HEX_LENGTH) {
    throw new IssueError(
      "INVALID_FINGERPRINT",
      `A SHA-256 fingerprint has ${SHA256_HEX_LENGTH} hex digits; this one has ${hex.length}.`,
    );
  }
  return hex;
}

export { displayFingerprint } from "@/lib/signing/fingerprint-text";
