// One search result: icon, ID with the reserved-ID check, latest version, signing badge, title,
// description, the target frameworks its dependency groups name, owners, total downloads and
// when it was last updated.
import Link from "next/link";
import type { PackageSearchHit } from "@/lib/search/search";
import { OwnerLinks } from "./OwnerLinks";
import { SigningBadge } from "./SigningBadge";
import { Time } from "./Time";
import { VerifiedBadge } from "./VerifiedBadge";
import { packageHref } from "./links";

/** The package's icon when its manifest names an https image; a neutral square otherwise (no mixed content, no tracking over http). */
function Icon({ url }: { url: string | null }) {
  if (url?.startsWith("https://")) {
    return (
      // eslint-disable-next-line @next/next/no-img-element -- arbitrary third-party hosts; next/image would proxy them
      <img
        src={url}
        alt=""
        width={40}
        height={40}
        loading="lazy"
        referrerPolicy="no-referrer"
        className="h-10 w-10 shrink-0 rounded object-contain"
      />
    );
  }
  return <span aria-hidden="true" className="h-10 w-10 shrink-0 rounded bg-slate-100" />;
}

export function PackageListItem({ hit }: { hit: PackageSearchHit }) {
  const { shown } = hit;
  return (
    <li data-package={hit.packageId} className="flex gap-3 px-4 py-3">
      <Icon url={shown.iconUrl} />
      <div className="min-w-0 flex-1 space-y-1">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <Link href={packageHref(hit.packageId)} className="font-medium break-all">
            {hit.packageId}
          </Link>
          <VerifiedBadge verification={hit.verification} />
          <span className="text-sm text-slate-600" data-latest-version>
            {shown.version}
          </span>
          <SigningBadge state={shown.signing} />
        </div>
        {shown.title && shown.title !== hit.packageId ? <p className="text-sm text-slate-800">{shown.title}</p> : null}
        <p className="line-clamp-2 text-sm break-words text-slate-600">{shown.description}</p>
        {shown.targetFrameworks.length > 0 ? (
          <ul aria-label="Target frameworks" data-target-frameworks className="flex flex-wrap gap-1">
            {shown.targetFrameworks.map((framework) => (
              <li key={framework} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
                {framework}
              </li>
            ))}
          </ul>
        ) : null}
        <p className="text-xs text-slate-600">
          by <OwnerLinks owners={hit.owners} /> ·{" "}
          <span data-downloads>
            {hit.downloads.toLocaleString("en-US")} {hit.downloads === 1 ? "download" : "downloads"}
          </span>{" "}
          · updated <Time value={shown.publishedAt} />
        </p>
      </div>
    </li>
  );
}
