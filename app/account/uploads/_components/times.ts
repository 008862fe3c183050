/** "2026-11-23 14:05 UTC": the same on the server and in every reader's browser. */
export function uploadedAt(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
