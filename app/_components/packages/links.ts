// Addresses of the package pages, built in one place so every link encodes IDs the same way.

export function packageHref(packageId: string, version?: string): string {
  const base = `/packages/${encodeURIComponent(packageId)}`;
  return version === undefined ? base : `${base}/${encodeURIComponent(version)}`;
}

/** A publication log entry with its inclusion proof under the current signed checkpoint. */
export function logEntryHref(index: number): string {
  return `/api/log/entries/${index}`;
}

/** The dependency graph trust view of a version, for a target framework when one is chosen. */
export function graphHref(packageId: string, version: string, framework?: string): string {
  const base = `${packageHref(packageId, version)}/graph`;
  return framework === undefined ? base : `${base}?framework=${encodeURIComponent(framework)}`;
}
