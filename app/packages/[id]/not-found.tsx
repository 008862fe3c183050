import type { Metadata } from "next";
import Link from "next/link";
import { SearchBox } from "@/app/_components/SearchBox";

export const metadata: Metadata = { title: "Package not found" };

export default function PackageNotFound() {
  return (
    <div className="mx-auto max-w-xl space-y-4 py-10 text-center">
      <h1 className="text-2xl font-semibold">Package not found</h1>
      <p className="text-slate-600">
        The gallery has no package (or no such version) at this address. IDs are matched without regard to case, so
        check the spelling, or search for it:
      </p>
      <SearchBox size="large" />
      <p>
        <Link href="/packages">Browse all packages</Link>
      </p>
    </div>
  );
}
