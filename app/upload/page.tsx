import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/web/session";
import { maxPackageBytes } from "@/lib/config";
import { PackageUploader } from "./PackageUploader";

export const metadata: Metadata = { title: "Upload a package" };
export const dynamic = "force-dynamic";

export default async function UploadPage() {
  await requireUser("/upload");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Upload a package</h1>
        <p className="mt-2 max-w-3xl text-slate-600">
          Upload a .nupkg to see what the gallery makes of it: its manifest, its signature and anything that would stop
          it from being published. It is published only when you submit. Signed packages must be signed with a
          certificate registered on <Link href="/account/certificates">Certificates</Link> by the package&apos;s
          required signer; to push from the command line, create a key on <Link href="/account/api-keys">API keys</Link>
          .
        </p>
      </div>
      <PackageUploader maxBytes={maxPackageBytes()} />
    </div>
  );
}
