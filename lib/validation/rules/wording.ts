// Small helpers so every rule words lists and sizes the same way in its messages.

/** "a", "a or b", "a, b or c" (with "and" when asked). */
export function listOf(items: readonly string[], conjunction: "or" | "and"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items.at(-1)}`;
}

/** "'a'", "'a' or 'b'", "'a', 'b' or 'c'": names quoted so they stand out in a sentence. */
export function quotedList(items: readonly string[], conjunction: "or" | "and"): string {
  return listOf(
    items.map((item) => `'${item}'`),
    conjunction,
  );
}

/**
 * "2026-11-23 14:05:09 UTC": a moment to the second, as pages show it on hover and as a
 * sentence writes it where no <time> can carry it (messages a client prints, mails).
 */
export function fullUtc(value: Date | string): string {
  const iso = (typeof value === "string" ? new Date(value) : value).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

const MEBIBYTE = 1024 * 1024;

/** Bytes as people read file sizes: "250 MB", "1.5 MB", "812 bytes" (binary megabytes, as
 * nuget.org's 250 MB limit is 262,144,000 bytes). */
export function formatSize(bytes: number): string {
  if (bytes < MEBIBYTE) return `${bytes.toLocaleString("en-US")} bytes`;
  const megabytes = Math.round((bytes / MEBIBYTE) * 10) / 10;
  return `${megabytes.toLocaleString("en-US")} MB`;
}
