import { formatDate, formatDateTime } from "./format";

/** A moment as people read it here (UTC), with the exact ISO time kept for machines. */
export function Time({ value, dateOnly = false }: { value: Date | string; dateOnly?: boolean }) {
  const iso = typeof value === "string" ? value : value.toISOString();
  return <time dateTime={iso}>{dateOnly ? formatDate(iso) : formatDateTime(iso)}</time>;
}
