// The frame of every admin page: the console's own navigation and the page heading. Each page
// checks for an admin itself (requireAdmin) before rendering this.
import Link from "next/link";
import { Time } from "@/app/_components/packages/Time";
import type { ReactNode } from "react";

export const ADMIN_SECTIONS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/uploads", label: "Rejected uploads" },
  { href: "/admin/reservations", label: "Prefix reservations" },
  { href: "/admin/certificates", label: "Certificates" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/audit", label: "Audit log" },
] as const;

export type AdminSection = (typeof ADMIN_SECTIONS)[number]["href"];

export function AdminShell({
  section,
  title,
  intro,
  children,
}: {
  section: AdminSection;
  title: ReactNode;
  intro?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="space-y-6">
      <nav aria-label="Admin" className="flex flex-wrap gap-x-5 gap-y-2 border-b border-slate-200 pb-3 text-sm">
        {ADMIN_SECTIONS.map((entry) => (
          <Link
            key={entry.href}
            href={entry.href}
            aria-current={entry.href === section ? "page" : undefined}
            className={entry.href === section ? "font-semibold text-slate-900" : undefined}
          >
            {entry.label}
          </Link>
        ))}
      </nav>
      <div>
        <h1 className="text-2xl font-semibold">{title}</h1>
        {intro ? <p className="mt-2 max-w-3xl text-slate-600">{intro}</p> : null}
      </div>
      {children}
    </div>
  );
}

/** A moment as the whole site writes it ("3 days ago", or a validity date with `dateOnly`; full UTC on hover); a dash for none. */
export function UtcTime({ value, dateOnly = false }: { value: Date | null; dateOnly?: boolean }) {
  if (!value) return <span className="text-slate-400">—</span>;
  return <Time value={value} dateOnly={dateOnly} />;
}

export const CELL = "border-b border-slate-100 px-3 py-2 align-top";
export const INPUT = "rounded border border-slate-300 px-3 py-1.5 text-sm focus:border-accent";
export const BUTTON = "rounded bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-brand disabled:opacity-60";

/** A table with its headings, or one row saying `empty` when there are no rows. */
export function AdminTable({
  label,
  headings,
  empty,
  children,
}: {
  label?: string;
  headings: readonly string[];
  empty: ReactNode;
  children: ReactNode[];
}) {
  return (
    // Wide tables scroll inside their own box, so the page itself never scrolls sideways on a phone.
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-left text-sm" aria-label={label}>
        <thead>
          <tr>
            {headings.map((heading) => (
              <th key={heading} className="border-b border-slate-300 px-3 py-2 font-medium text-slate-600">
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {children.length > 0 ? (
            children
          ) : (
            <tr>
              <td colSpan={headings.length} className="px-3 py-6 text-center text-slate-500">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** A GET search box: works without JavaScript, and the query stays in the URL. */
export function SearchForm({ label, query }: { label: string; query: string }) {
  return (
    <form method="get" role="search" className="flex flex-wrap gap-2">
      <label htmlFor="admin-query" className="sr-only">
        {label}
      </label>
      <input
        id="admin-query"
        name="q"
        defaultValue={query}
        placeholder={label}
        className={`${INPUT} min-w-0 flex-1 sm:min-w-80`}
      />
      <button type="submit" className={BUTTON}>
        Search
      </button>
    </form>
  );
}

/** A labelled <select> for GET filter forms. */
export function FilterSelect({
  id,
  name,
  label,
  value,
  options,
}: {
  id: string;
  name: string;
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
}) {
  return (
    <label htmlFor={id} className="block max-w-full space-y-1 text-sm">
      <span className="block font-medium text-slate-800">{label}</span>
      <select id={id} name={name} defaultValue={value} className={`${INPUT} max-w-full`}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
