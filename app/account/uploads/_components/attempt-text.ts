// How an upload attempt is named on My uploads, the same in the list and the detail.

/** "Contoso.Utils 1.2.0"; a package whose manifest could not be read has no name to give. */
export function attemptName(attempt: { packageId: string | null; version: string | null }): string {
  return attempt.packageId ? `${attempt.packageId} ${attempt.version ?? ""}`.trim() : "Unreadable package";
}
