import type { Metadata } from "next";
import Link from "next/link";
import { IssueList, errorsOf } from "@/app/_components/IssueList";
import { requireUser } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { listUploadAttempts, type UploadAttemptSummary } from "@/lib/uploads";
import { formatSize } from "@/lib/validation/rules/wording";
import { OutcomeBadge } from "./_components/OutcomeBadge";
import { Time } from "@/app/_components/packages/Time";
import { attemptName } from "./_components/attempt-text";

export const metadata: Metadata = { title: "My uploads" };
export const dynamic = "force-dynamic";

const MY_UPLOADS_PAGE_SIZE = 20;

/** `?page=` as a page number; anything odd reads as the first page. */
function pageNumber(value: string | string[] | undefined): number {
  const page = typeof value === "string" && /^\d{1,6}$/.test(value) ? Number(value) : 1;
  return Math.max(page, 1);
}

function AttemptItem({ attempt }: { attempt: UploadAttemptSummary }) {
  const name = attemptName(attempt);
  const reasons = errorsOf(attempt.issues);
  return (
    <li aria-label={name} data-attempt={attempt.id} className="space-y-2 rounded border border-slate-200 p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Link href={`/account/uploads/${attempt.id}`} className="font-medium break-all">
          {name}
        </Link>
        <OutcomeBadge status={attempt.status} />
      </div>
      <p className="text-sm text-slate-600">
        <Time value={attempt.createdAt} /> · {formatSize(attempt.fileSize)} ·{" "}
        {attempt.source === "API" ? "pushed with an API key" : "uploaded on the web page"}
      </p>
      {reasons.length > 0 ? <IssueList issues={reasons} label={`Reasons for ${name}`} /> : null}
    </li>
  );
}

function Pager({ page, pageCount }: { page: number; pageCount: number }) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label="Pages" className="flex items-center justify-between text-sm">
      {page > 1 ? <Link href={`/account/uploads?page=${page - 1}`}>Newer uploads</Link> : <span />}
      <span className="text-slate-600">
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? <Link href={`/account/uploads?page=${page + 1}`}>Older uploads</Link> : <span />}
    </nav>
  );
}

export default async function MyUploadsPage({ searchParams }: { searchParams: Promise<{ page?: string | string[] }> }) {
  const user = await requireUser("/account/uploads");
  const { page } = await searchParams;
  const result = await listUploadAttempts(getDb(), {
    uploaderId: user.id,
    page: pageNumber(page),
    pageSize: MY_UPLOADS_PAGE_SIZE,
  });
  const pageCount = Math.ceil(result.total / result.pageSize);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">My uploads</h1>
        <p className="mt-2 max-w-3xl text-slate-600">
          Every package you uploaded or pushed, newest first, with the gallery&apos;s verdict. A refused upload, from
          the upload page or from <code>dotnet nuget push</code>, is kept with its file for an administrator to review;
          fix the reasons and upload again. Only a preview you never submit is removed, a day after you uploaded it.
        </p>
      </div>
      {result.total === 0 ? (
        <p className="text-slate-600">
          You have not uploaded anything yet. <Link href="/upload">Upload a package</Link>.
        </p>
      ) : (
        <>
          <p className="text-sm text-slate-600">
            {result.total} {result.total === 1 ? "upload" : "uploads"}
          </p>
          <ol aria-label="Uploads" className="space-y-3">
            {result.attempts.map((attempt) => (
              <AttemptItem key={attempt.id} attempt={attempt} />
            ))}
          </ol>
          <Pager page={result.page} pageCount={pageCount} />
        </>
      )}
    </div>
  );
}
