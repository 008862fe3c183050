import Link from "next/link";
import { requestFeedSource } from "@/app/_components/feed-source";
import { PackageView } from "@/app/_components/packages/PackageView";
import { getCurrentUser } from "@/lib/web/session";
import { loadPackageOr404 } from "./load";

/** The page for /packages/<id> and /packages/<id>/<version>; owners and admins also get the manage link. */
export async function PackageRoute({ id, version }: { id: string; version?: string }) {
  const [page, user, source] = await Promise.all([
    loadPackageOr404(id, version),
    getCurrentUser(),
    requestFeedSource(),
  ]);
  const canManage = user !== null && (user.role === "ADMIN" || page.owners.includes(user.username));
  return (
    <div className="space-y-4">
      {canManage ? (
        <p className="text-right text-sm">
          <Link href={`/packages/${encodeURIComponent(page.packageId)}/manage`}>Manage package</Link>
        </p>
      ) : null}
      <PackageView page={page} source={source} />
    </div>
  );
}
