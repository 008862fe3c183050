// How every page, message and mail writes a certificate fingerprint. Here, at the bottom of lib/,
// so the upload judge's messages can use it without importing lib/certificates (which imports
// lib/validation). Browser-safe.

/** "AB:CD:…", the form `openssl x509 -fingerprint -sha256` prints. */
export function displayFingerprint(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(":");
}
