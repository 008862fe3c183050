import { formatDate, formatFullUtc, formatRelative } from "./format";

/**
 * A moment as people read it ("3 days ago"; a calendar date with `dateOnly`, for validity
 * periods), the full UTC time on hover and in `dateTime`. `now` is the render's clock.
 */
export function Time({ value, dateOnly = false, now = new Date() }: { value: Date | string; dateOnly?: boolean; now?: Date }) {
  const iso = typeof value === "string" ? new Date(value).toISOString() : value.toISOString();
  return (
    <time dateTime={iso} title={formatFullUtc(iso)}>
      {dateOnly ? formatDate(iso) : formatRelative(iso, now)}
    </time>
  );
}
