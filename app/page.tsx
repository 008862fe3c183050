import Link from "next/link";
import { SearchBox } from "@/app/_components/SearchBox";
import { getDb } from "@/lib/db";
import { listRecentVersions, type RecentPackageVersion } from "@/lib/db/packages";

// The list changes with every upload, so it is read on each request.
export const dynamic = "force-dynamic";

const SIGNATURE_BADGES: Record<RecentPackageVersion["signatureStatus"], { label: string; className: string }> = {
  VALID: { label: "Signed", className: "bg-green-100 text-green-800" },
  INVALID: { label: "Signature invalid", className: "bg-red-100 text-red-800" },
  UNSIGNED: { label: "Unsigned", className: "bg-slate-100 text-slate-700" },
};

export default async function HomePage() {
  const recent = await listRecentVersions(getDb(), 10);
  return (
    <div className="space-y-10">
      <section className="space-y-4 rounded bg-brand-light px-6 py-10 text-center">
        <h1 className="text-3xl font-semibold text-brand-dark">Find packages you can trust</h1>
        <p className="text-slate-700">See who signed every package, and whether it is exactly what they signed.</p>
        <div className="mx-auto max-w-xl">
          <SearchBox size="large" />
        </div>
      </section>
      <section aria-labelledby="recent-heading" className="space-y-3">
        <h2 id="recent-heading" className="text-xl font-semibold">
          Recently published
        </h2>
        {recent.length === 0 ? (
          <p className="text-slate-600">
            No packages have been published yet. <Link href="/upload">Upload the first one</Link>.
          </p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded border border-slate-200">
            {recent.map((item) => {
              const badge = SIGNATURE_BADGES[item.signatureStatus];
              return (
                <li key={`${item.packageId}@${item.version}`} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-baseline sm:gap-3">
                  <Link href={`/packages/${encodeURIComponent(item.packageId)}/${encodeURIComponent(item.version)}`} className="font-medium">
                    {item.packageId}
                  </Link>
                  <span className="text-sm text-slate-500">{item.version}</span>
                  <span className={`w-fit rounded px-2 py-0.5 text-xs ${badge.className}`}>{badge.label}</span>
                  <span className="truncate text-sm text-slate-600 sm:flex-1">{item.description}</span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
