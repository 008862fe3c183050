import Link from "next/link";

export function SiteFooter() {
  return (
    <footer className="border-t border-slate-200 bg-slate-50 text-sm text-slate-600">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-6">
        <p>Signet: a NuGet gallery that shows who signed each package and whether it is intact.</p>
        <nav aria-label="Footer" className="flex gap-4">
          <Link href="/packages">Packages</Link>
          <Link href="/upload">Upload</Link>
          <a href="/api/health">Status</a>
        </nav>
      </div>
    </footer>
  );
}
