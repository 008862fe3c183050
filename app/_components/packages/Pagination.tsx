import Link from "next/link";

// Page numbers shown around the current one; the first and last are always reachable.
const WINDOW = 2;

function visiblePages(page: number, pageCount: number): number[] {
  const pages = new Set([1, pageCount]);
  for (let candidate = page - WINDOW; candidate <= page + WINDOW; candidate += 1) {
    if (candidate >= 1 && candidate <= pageCount) pages.add(candidate);
  }
  return [...pages].sort((a, b) => a - b);
}

export function Pagination({
  page,
  pageCount,
  hrefFor,
}: {
  page: number;
  pageCount: number;
  hrefFor: (page: number) => string;
}) {
  if (pageCount <= 1) return null;
  const pages = visiblePages(page, pageCount);
  const linkClass = "rounded border border-slate-300 px-2.5 py-1 hover:border-accent hover:no-underline";
  return (
    <nav aria-label="Pages of results" className="flex flex-wrap items-center gap-1 text-sm">
      {page > 1 ? (
        <Link href={hrefFor(page - 1)} rel="prev" className={linkClass}>
          ← Previous
        </Link>
      ) : null}
      {pages.map((number, index) => (
        <span key={number} className="flex items-center gap-1">
          {index > 0 && number - (pages[index - 1] ?? number) > 1 ? <span aria-hidden="true">…</span> : null}
          {number === page ? (
            <span aria-current="page" className="rounded bg-accent px-2.5 py-1 text-white">
              {number}
            </span>
          ) : (
            <Link href={hrefFor(number)} className={linkClass} aria-label={`Page ${number}`}>
              {number}
            </Link>
          )}
        </span>
      ))}
      {page < pageCount ? (
        <Link href={hrefFor(page + 1)} rel="next" className={linkClass}>
          Next →
        </Link>
      ) : null}
    </nav>
  );
}
