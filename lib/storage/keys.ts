import { IssueError } from "@/lib/issues";

/**
 * Uploads being received and judged are staged under this first key segment, on the local
 * storage folder whatever the configured store: the validators read them as local files.
 */
export const STAGING_FOLDER = "incoming";

// Keys are relative paths of plain segments ("packages/contoso.utils/1.0.0.nupkg"). Anything
// that could leave the storage root (.., absolute paths, backslashes) or confuse a file system
// or object store (empty segments, control characters) is refused.
const SEGMENT = /^[A-Za-z0-9_+-][A-Za-z0-9._+-]*$/;
const MAX_KEY_LENGTH = 512;

export function assertValidStorageKey(key: string): string[] {
  const segments = key.split("/");
  const valid =
    key.length > 0 &&
    key.length <= MAX_KEY_LENGTH &&
    segments.every((segment) => SEGMENT.test(segment) && segment !== "." && segment !== "..");
  if (!valid) {
    // The key is the gallery's own naming, never a person's input, and it is not repeated here:
    // messages can reach a client, and a storage layout is nobody else's business.
    throw new IssueError(
      "INVALID_STORAGE_KEY",
      'The gallery refused one of its own storage names; it must be "/"-separated names of letters, digits, ".", "_", "+" and "-".',
    );
  }
  return segments;
}
