import type { Metadata } from "next";
import Link from "next/link";
import { listUploadsForReview, REVIEW_STATUSES, type RejectedUploadList } from "@/lib/admin/uploads";
import { requireAdmin } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { AdminShell, AdminTable, BUTTON, CELL, FilterSelect, INPUT, UtcTime } from "../_components/AdminShell";

export const metadata: Metadata = { title: "Rejected uploads | Admin" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;

const STATUS_LABELS: Record<(typeof REVIEW_STATUSES)[number] | "all", string> = {
  REJECTED: "Refused, awaiting review",
  APPROVED: "Approved by an admin",
  DELETED: "Deleted by an admin",
  ACCEPTED: "Accepted",
  all: "All reviewed and refused",
};

function FilterForm({ filter }: { filter: RejectedUploadList["filter"] }) {
  const field = (name: string, label: string, value: string | undefined, type = "text", placeholder?: string) => (
    <label htmlFor={`filter-${name}`} className="block space-y-1 text-sm">
      <span className="block font-medium text-slate-800">{label}</span>
      <input
        id={`filter-${name}`}
        name={name}
        type={type}
        defaultValue={value ?? ""}
        placeholder={placeholder}
        className={INPUT}
      />
    </label>
  );
  return (
    <form
      method="get"
      aria-label="Filter uploads"
      className="flex flex-wrap items-end gap-3 rounded border border-slate-200 p-4"
    >
      {field("code", "Issue code", filter.code, "text", "NU3018")}
      {field("packageId", "Package ID contains", filter.packageId)}
      {field("uploader", "Uploader", filter.uploader, "text", "username")}
      {field("from", "From", filter.from, "date")}
      {field("to", "To (inclusive)", filter.to, "date")}
      <FilterSelect
        id="filter-status"
        name="status"
        label="Status"
        value={filter.status}
        options={Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))}
      />
      <button type="submit" className={BUTTON}>
        Filter
      </button>
      <Link href="/admin/uploads" className="text-sm">
        Clear
      </Link>
    </form>
  );
}

function pageLink(params: SearchParams, page: number): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (typeof value === "string" && key !== "page") query.set(key, value);
  query.set("page", String(page));
  return `/admin/uploads?${query.toString()}`;
}

export default async function RejectedUploadsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireAdmin("/admin/uploads");
  const params = await searchParams;
  const list = await listUploadsForReview(getDb(), params);
  const lastPage = Math.max(1, Math.ceil(list.total / Math.max(list.pageSize, 1)));
  return (
    <AdminShell
      section="/admin/uploads"
      title="Rejected uploads"
      intro="Uploads the rules refused keep their file in quarantine. Open one to read every issue, its signature report and manifest, download the file, and revalidate it, approve it with a reason, or delete it."
    >
      <FilterForm filter={list.filter} />
      {list.problems.length > 0 ? (
        <ul
          role="alert"
          className="list-disc rounded border border-amber-300 bg-amber-50 py-2 pr-3 pl-8 text-sm text-amber-950"
        >
          {list.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      <p className="text-sm text-slate-600">{list.total === 1 ? "1 upload" : `${list.total} uploads`}</p>
      <AdminTable
        label="Uploads"
        headings={["When", "Package", "Uploader", "Status", "Why it was refused"]}
        empty="No uploads match."
      >
        {list.attempts.map((attempt) => (
          <tr key={attempt.id} data-upload={attempt.id}>
            <td className={`${CELL} whitespace-nowrap`}>
              <UtcTime value={attempt.createdAt} />
            </td>
            <td className={CELL}>
              <Link href={`/admin/uploads/${attempt.id}`}>
                {attempt.packageId ? `${attempt.packageId} ${attempt.version ?? ""}` : "Unreadable package"}
              </Link>
              <div className="text-xs text-slate-500">{attempt.source === "API" ? "Push" : "Web upload"}</div>
            </td>
            <td className={CELL}>{attempt.uploaderUsername}</td>
            <td className={CELL}>{attempt.status.toLowerCase()}</td>
            <td className={CELL}>
              <ul className="space-y-1">
                {attempt.issues
                  .filter((issue) => issue.level === "error")
                  .map((issue, index) => (
                    <li key={`${index}:${issue.code}`} data-issue-code={issue.code}>
                      <code className="text-xs font-semibold">{issue.code}</code> {issue.message}
                    </li>
                  ))}
              </ul>
            </td>
          </tr>
        ))}
      </AdminTable>
      {lastPage > 1 ? (
        <nav aria-label="Pages" className="flex gap-4 text-sm">
          {list.page > 1 ? <Link href={pageLink(params, list.page - 1)}>Previous</Link> : null}
          <span>
            Page {list.page} of {lastPage}
          </span>
          {list.page < lastPage ? <Link href={pageLink(params, list.page + 1)}>Next</Link> : null}
        </nav>
      ) : null}
    </AdminShell>
  );
}
