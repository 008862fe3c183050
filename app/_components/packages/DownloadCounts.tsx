// A package's downloads: the total, and a table of the last 30 UTC days (a table rather than a
// chart, so screen readers and phones get the same figures), with how fresh the counts are.
import type { PackagePage } from "@/lib/packages/package-page";
import { Time } from "./Time";

function freshness(seconds: number): string {
  if (seconds % 60 === 0) return seconds === 60 ? "every minute" : `every ${seconds / 60} minutes`;
  return seconds === 1 ? "every second" : `every ${seconds} seconds`;
}

export function DownloadCounts({ packageId, downloads }: { packageId: string; downloads: PackagePage["downloads"] }) {
  const lastDays = downloads.perDay.reduce((sum, day) => sum + day.downloads, 0);
  return (
    <div className="space-y-2 text-sm">
      <p>
        <span className="text-lg font-semibold tabular-nums" data-total-downloads>
          {downloads.total.toLocaleString("en-US")}
        </span>{" "}
        {downloads.total === 1 ? "download" : "downloads"} of all versions, {lastDays.toLocaleString("en-US")} in the
        last {downloads.perDay.length} days.
      </p>
      <p className="text-slate-500">
        Counts are brought up to date {freshness(downloads.rollUpSeconds)}, so the newest downloads may not show yet.
      </p>
      <details>
        <summary className="cursor-pointer text-accent">Downloads per day</summary>
        <div className="mt-2 max-h-80 overflow-auto">
          <table className="text-left">
            <caption className="sr-only">
              Downloads of {packageId} per UTC day, last {downloads.perDay.length} days
            </caption>
            <thead className="border-b border-slate-200 text-slate-500">
              <tr>
                <th scope="col" className="py-1 pr-6 font-medium">
                  Day (UTC)
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Downloads
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {[...downloads.perDay].reverse().map((day) => (
                <tr key={day.day} data-day={day.day}>
                  <td className="py-1 pr-6 tabular-nums">
                    <Time value={day.day} dateOnly />
                  </td>
                  <td className="py-1 text-right tabular-nums">{day.downloads.toLocaleString("en-US")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
