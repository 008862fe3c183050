import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <div className="space-y-3 py-10 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-slate-600">There is nothing at this address. Check the spelling, or search for a package.</p>
      <p>
        <Link href="/">Back to the home page</Link>
      </p>
    </div>
  );
}
