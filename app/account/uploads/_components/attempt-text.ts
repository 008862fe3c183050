// How an upload attempt is named and dated on My uploads, the same in the list and the detail.

/** "Contoso.Utils 1.2.0"; a package whose manifest could not be read has no name to give. */
export function attemptName(attempt: { packageId: string | null; version: string | null }): string {
  return attempt.packageId ? `${attempt.packageId} ${attempt.version ?? ""}`.trim() : "Unreadable package";
}

/** "2026-11-23 14:05 UTC": the same on the server and in every reader's browser. */
export function uploadedAt(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
