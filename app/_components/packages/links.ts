// Addresses of the package pages, built in one place so every link encodes IDs the same way.

export function packageHref(packageId: string, version?: string): string {
  const base = `/packages/${encodeURIComponent(packageId)}`;
  return version === undefined ? base : `${base}/${encodeURIComponent(version)}`;
}
