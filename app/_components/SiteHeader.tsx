import Link from "next/link";
import { AccountMenu } from "@/app/_components/AccountMenu";
import { SearchBox } from "@/app/_components/SearchBox";
import { getCurrentUser } from "@/lib/web/session";

export async function SiteHeader() {
  const user = await getCurrentUser();
  return (
    <header className="bg-brand text-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-3 px-4 py-3">
        <Link href="/" className="text-xl font-semibold tracking-tight text-white hover:no-underline">
          Signet
        </Link>
        <div className="order-last w-full sm:order-none sm:w-auto sm:flex-1">
          <SearchBox />
        </div>
        <nav aria-label="Site" className="ml-auto flex items-center gap-5 text-sm">
          <Link href="/verify" className="text-white">
            Verify a copy
          </Link>
          <Link href="/upload" className="text-white">
            Upload
          </Link>
          {user ? (
            <AccountMenu username={user.username} isAdmin={user.role === "ADMIN"} />
          ) : (
            <Link href="/signin" className="text-white">
              Sign in
            </Link>
          )}
        </nav>
      </div>
    </header>
  );
}
