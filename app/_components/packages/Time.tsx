import { fullUtc } from "@/lib/validation/rules/wording";
import { formatDate, formatRelative } from "./format";

/**
 * A moment as people read it ("3 days ago"; a calendar date with `dateOnly`, for validity
 * periods), the full UTC time on hover and in `dateTime`. `now` is the render's clock. Client
 * components use it too: the browser's clock may put a moment in another minute than the
 * server's did, which is no reason to warn about the hydrated words.
 */
export function Time({
  value,
  dateOnly = false,
  now = new Date(),
}: {
  value: Date | string;
  dateOnly?: boolean;
  now?: Date;
}) {
  const iso = typeof value === "string" ? new Date(value).toISOString() : value.toISOString();
  return (
    <time dateTime={iso} title={fullUtc(iso)} suppressHydrationWarning>
      {dateOnly ? formatDate(iso) : formatRelative(iso, now)}
    </time>
  );
}
