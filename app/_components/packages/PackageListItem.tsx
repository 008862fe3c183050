import Link from "next/link";
import type { SearchResult } from "@/lib/packages/search";
import { OwnerLinks } from "./OwnerLinks";
import { SigningBadge } from "./SigningBadge";
import { VerifiedBadge } from "./VerifiedBadge";
import { packageHref } from "./links";

export function PackageListItem({ result }: { result: SearchResult }) {
  return (
    <li data-package={result.packageId} className="space-y-1 px-4 py-3">
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <Link href={packageHref(result.packageId)} className="font-medium break-all">
          {result.packageId}
        </Link>
        <VerifiedBadge verification={result.verification} />
        <span className="text-sm text-slate-500">{result.version}</span>
        <SigningBadge state={result.signing} />
      </div>
      {result.title && result.title !== result.packageId ? <p className="text-sm text-slate-800">{result.title}</p> : null}
      <p className="line-clamp-2 text-sm break-words text-slate-600">{result.description}</p>
      <p className="text-xs text-slate-500">
        by{" "}
        <OwnerLinks owners={result.owners} />
      </p>
    </li>
  );
}
