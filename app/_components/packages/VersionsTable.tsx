import Link from "next/link";
import type { VersionRow } from "@/lib/packages/package-page";
import { Time } from "./Time";
import { packageHref } from "./links";
import type { SignatureVerdict } from "@/lib/packages/signature-verdict";
import { SigningBadge } from "./SigningBadge";

/** `currentVerdict` is the shown version's verdict, so its row says what the page's header says. */
export function VersionsTable({
  packageId,
  versions,
  currentVerdict,
}: {
  packageId: string;
  versions: VersionRow[];
  currentVerdict: SignatureVerdict;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Versions of {packageId}</caption>
        <thead className="border-b border-slate-200 text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-3 font-medium">
              Version
            </th>
            <th scope="col" className="py-2 pr-3 font-medium">
              Published
            </th>
            <th scope="col" className="py-2 pr-3 text-right font-medium">
              Downloads
            </th>
            <th scope="col" className="py-2 font-medium">
              Signing
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {versions.map((row) => (
            <tr
              key={row.version}
              data-version={row.version}
              aria-current={row.current ? "page" : undefined}
              className={row.current ? "bg-brand-light/60" : undefined}
            >
              <td className="py-2 pr-3 break-all">
                <Link href={packageHref(packageId, row.version)}>{row.version}</Link>
                {row.listed ? null : <span className="ml-2 text-xs text-slate-500">(unlisted)</span>}
              </td>
              <td className="py-2 pr-3 whitespace-nowrap">
                <Time value={row.publishedAt} />
              </td>
              <td className="py-2 pr-3 text-right tabular-nums" data-downloads>
                {row.downloads.toLocaleString("en-US")}
              </td>
              <td className="py-2">
                <SigningBadge state={row.signing} verdict={row.current ? currentVerdict : undefined} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
