// How pages write times: as people read them ("3 days ago", "in 2 months"), with the full UTC
// moment kept for a hover and for machines. Relative words are computed when the page is
// rendered; the full moment beside them never goes stale.

export function formatDate(value: Date | string): string {
  return (typeof value === "string" ? new Date(value) : value).toISOString().slice(0, 10);
}

const RELATIVE = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

// Each unit is used while the distance is below the next one's size.
const UNITS: readonly (readonly [Intl.RelativeTimeFormatUnit, number])[] = [
  ["second", 1_000],
  ["minute", 60_000],
  ["hour", 3_600_000],
  ["day", 86_400_000],
  ["month", 30 * 86_400_000],
  ["year", 365 * 86_400_000],
];

/** "3 days ago", "in 2 months", "just now": the distance from `now`, in the largest whole unit. */
export function formatRelative(value: Date | string, now: Date): string {
  const distance = (typeof value === "string" ? new Date(value) : value).getTime() - now.getTime();
  if (Math.abs(distance) < 45_000) return "just now";
  let [unit, size]: readonly [Intl.RelativeTimeFormatUnit, number] = ["second", 1_000];
  for (const candidate of UNITS) if (Math.abs(distance) >= candidate[1]) [unit, size] = candidate;
  return RELATIVE.format(Math.trunc(distance / size), unit);
}
