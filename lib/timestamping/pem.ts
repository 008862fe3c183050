// PEM armour for DER objects (certificates, PKCS#8 keys), as openssl and the NuGet
// certificate bundles write it: base64 in 64-character lines between BEGIN/END markers.

export function toPem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der).toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** Every block with the given label, in file order, as DER. */
export function fromPem(text: string, label: string): Uint8Array<ArrayBuffer>[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]*?)-----END ${label}-----`, "g");
  return [...text.matchAll(pattern)].map(
    (match) => new Uint8Array(Buffer.from((match[1] ?? "").replace(/\s+/g, ""), "base64")),
  );
}
