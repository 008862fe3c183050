// The two shapes the upload pages are built from: a titled section, and a list of term/value
// rows (values carry data-field so tests and people's tools can find them).
import type { ReactNode } from "react";

export function Section({
  id,
  title,
  boxed = false,
  children,
}: {
  id: string;
  title: ReactNode;
  boxed?: boolean;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className={`space-y-3 ${boxed ? "rounded border border-slate-200 p-5" : ""}`}>
      <h2 id={id} className="text-lg font-medium">
        {title}
      </h2>
      {children}
    </section>
  );
}

export function DetailList({ children }: { children: ReactNode }) {
  return <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">{children}</dl>;
}

export function DetailRow({ term, field, children }: { term: string; field?: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{term}</dt>
      <dd data-field={field} className="break-words">
        {children}
      </dd>
    </>
  );
}
