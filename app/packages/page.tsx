import type { Metadata } from "next";
import { AutoSubmitForm } from "@/app/_components/AutoSubmitForm";
import { PackageListItem } from "@/app/_components/packages/PackageListItem";
import { Pagination } from "@/app/_components/packages/Pagination";
import { getDb } from "@/lib/services";
import { searchPackages } from "@/lib/search/search";
import {
  describeTotal,
  pageCount,
  SITE_SORTS,
  siteSearchFromParams,
  siteSearchHref,
  siteSearchQuery,
  type SiteSearch,
  type SiteSort,
} from "@/lib/search/site-search";

export const metadata: Metadata = { title: "Packages" };

// Signing state and compromise flags change under a published version, so every view is read fresh.
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function Summary({
  query,
  total,
  totalIsLowerBound,
}: {
  query: SiteSearch;
  total: number;
  totalIsLowerBound: boolean;
}) {
  const filters = [query.signedOnly ? "signed" : null, query.verifiedOnly ? "with a verified ID" : null].filter(
    (item) => item !== null,
  );
  const what = describeTotal(total, totalIsLowerBound);
  return (
    <p role="status" className="text-sm text-slate-600">
      {what}
      {query.text ? <> matching “{query.text}”</> : null}
      {filters.length > 0 ? `, ${filters.join(" and ")}` : null}
    </p>
  );
}

export default async function PackagesPage({ searchParams }: Props) {
  const query = siteSearchFromParams(await searchParams);
  const result = await searchPackages(getDb(), siteSearchQuery(query));
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-semibold">Packages</h1>
      <AutoSubmitForm action="/packages" method="get" role="search" aria-label="Search packages" className="space-y-3">
        <div className="flex">
          <label htmlFor="package-search" className="sr-only">
            Search by ID, title, tag, description or owner
          </label>
          <input
            id="package-search"
            name="q"
            type="search"
            defaultValue={query.text}
            placeholder="Search by ID, title, tag, description or owner"
            className="min-w-0 flex-1 rounded-l border border-slate-300 px-3 py-2 focus:border-accent focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-amber-400"
          />
          <button type="submit" className="rounded-r bg-accent px-4 font-medium text-white hover:bg-brand">
            Search
          </button>
        </div>
        <fieldset className="flex flex-wrap gap-x-5 gap-y-2 text-sm">
          <legend className="sr-only">Filters and order</legend>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="signed" value="1" defaultChecked={query.signedOnly} className="h-4 w-4" />
            Signed only
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="verified" value="1" defaultChecked={query.verifiedOnly} className="h-4 w-4" />
            Verified IDs only
          </label>
          <label className="flex items-center gap-2">
            Sort by
            <select name="sort" defaultValue={query.sort} className="rounded border border-slate-300 px-2 py-1">
              {(Object.keys(SITE_SORTS) as SiteSort[]).map((sort) => (
                <option key={sort} value={sort}>
                  {SITE_SORTS[sort]}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
      </AutoSubmitForm>
      <Summary query={query} total={result.total} totalIsLowerBound={result.totalIsLowerBound} />
      {result.hits.length > 0 ? (
        <ul aria-label="Search results" className="divide-y divide-slate-200 rounded border border-slate-200">
          {result.hits.map((hit) => (
            <PackageListItem key={hit.packageId} hit={hit} />
          ))}
        </ul>
      ) : (
        <p className="rounded border border-dashed border-slate-300 p-6 text-center text-slate-600">
          No packages found. Try fewer words{query.signedOnly || query.verifiedOnly ? ", or clear the filters" : ""}.
        </p>
      )}
      <Pagination
        page={query.page}
        pageCount={pageCount(result.total, result.totalIsLowerBound)}
        hrefFor={(page) => siteSearchHref({ ...query, page })}
      />
    </div>
  );
}
