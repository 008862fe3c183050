import Link from "next/link";
import type { PackageSearchHit } from "@/lib/search/search";
import { OwnerLinks } from "./OwnerLinks";
import { SigningBadge } from "./SigningBadge";
import { VerifiedBadge } from "./VerifiedBadge";
import { packageHref } from "./links";

export function PackageListItem({ hit }: { hit: PackageSearchHit }) {
  const { shown } = hit;
  return (
    <li data-package={hit.packageId} className="space-y-1 px-4 py-3">
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <Link href={packageHref(hit.packageId)} className="font-medium break-all">
          {hit.packageId}
        </Link>
        <VerifiedBadge verification={hit.verification} />
        <span className="text-sm text-slate-500">{shown.version}</span>
        <SigningBadge state={shown.signing} />
      </div>
      {shown.title && shown.title !== hit.packageId ? <p className="text-sm text-slate-800">{shown.title}</p> : null}
      <p className="line-clamp-2 text-sm break-words text-slate-600">{shown.description}</p>
      <p className="text-xs text-slate-500">
        by{" "}
        <OwnerLinks owners={hit.owners} />
      </p>
    </li>
  );
}
