import type { Metadata } from "next";
import Link from "next/link";
import { SearchBox } from "@/app/_components/SearchBox";
import { SigningBadge } from "@/app/_components/packages/SigningBadge";
import { packageHref } from "@/app/_components/packages/links";
import { getDb } from "@/lib/services";
import { countGallery, type GalleryCounts } from "@/lib/search/gallery-counts";
import { reservationPatterns } from "@/lib/nuget-client/client-config";
import { readAllReservations } from "@/lib/packages/page-queries";
import { DEFAULT_SEARCH, searchPackages } from "@/lib/search/search";
import { FeedSourceInstructions } from "./_components/FeedSourceInstructions";
import { requestFeedSource } from "./_components/feed-source";

export const metadata: Metadata = { title: { absolute: "Signet: NuGet packages, and who signed them" } };

// The list changes with every upload, so it is read on each request.
export const dynamic = "force-dynamic";

function Counts({ counts }: { counts: GalleryCounts }) {
  const items = [
    { label: counts.packages === 1 ? "package" : "packages", value: counts.packages },
    { label: counts.listedVersions === 1 ? "version" : "versions", value: counts.listedVersions },
    { label: "signed versions", value: counts.signedVersions },
  ];
  return (
    <dl aria-label="Gallery counts" className="flex flex-wrap justify-center gap-x-8 gap-y-2 text-slate-700">
      {items.map((item) => (
        <div key={item.label} className="flex items-baseline gap-1.5">
          <dd className="text-xl font-semibold text-brand-dark">{item.value.toLocaleString("en-US")}</dd>
          <dt className="text-sm">{item.label}</dt>
        </div>
      ))}
    </dl>
  );
}

export default async function HomePage() {
  const db = getDb();
  const [recent, counts, reservations, source] = await Promise.all([
    searchPackages(db, { ...DEFAULT_SEARCH, order: "recent", take: 10 }),
    countGallery(db),
    readAllReservations(db),
    requestFeedSource(),
  ]);
  const patterns = reservationPatterns(reservations);
  return (
    <div className="space-y-10">
      <section className="space-y-5 rounded bg-brand-light px-6 py-10 text-center">
        <h1 className="text-3xl font-semibold text-brand-dark">Find packages you can trust</h1>
        <p className="text-slate-700">See who signed every package, and whether it is exactly what they signed.</p>
        <div className="mx-auto max-w-xl">
          <SearchBox size="large" />
        </div>
        <Counts counts={counts} />
      </section>
      <section aria-labelledby="recent-heading" className="space-y-3">
        <div className="flex items-baseline justify-between gap-3">
          <h2 id="recent-heading" className="text-xl font-semibold">
            Recently published
          </h2>
          <Link href="/packages" className="text-sm">
            All packages
          </Link>
        </div>
        {recent.hits.length === 0 ? (
          <p className="text-slate-600">
            No packages have been published yet. <Link href="/upload">Upload the first one</Link>.
          </p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded border border-slate-200">
            {recent.hits.map((hit) => (
              <li key={hit.packageId} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-baseline sm:gap-3">
                <Link href={packageHref(hit.packageId)} className="font-medium break-all">
                  {hit.packageId}
                </Link>
                <span className="text-sm text-slate-500">{hit.shown.version}</span>
                <SigningBadge state={hit.shown.signing} />
                <span className="truncate text-sm text-slate-600 sm:flex-1">{hit.shown.description}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="feed-heading" className="max-w-3xl space-y-3">
        <h2 id="feed-heading" className="text-xl font-semibold">
          Use this gallery as a NuGet source
        </h2>
        <FeedSourceInstructions
          source={source}
          patterns={patterns}
          mappingNote="Reserved IDs then restore only from this gallery, and everything else from nuget.org, so nobody can slip a look-alike of a reserved package in from elsewhere."
        />
      </section>
    </div>
  );
}
