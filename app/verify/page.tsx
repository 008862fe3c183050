import type { Metadata } from "next";
import { maxPackageBytes } from "@/lib/config";
import { formatSize } from "@/lib/validation/rules/wording";
import { VerifyCopy } from "./VerifyCopy";

export const metadata: Metadata = { title: "Verify a copy" };
export const dynamic = "force-dynamic";

export default function VerifyPage() {
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">Verify a copy</h1>
        <p className="max-w-3xl text-slate-700">
          Got a package from a mirror, a colleague or a build cache? Find out whether it is byte for byte what this
          gallery published (or what its author uploaded, before the gallery signed it), who signed it, and what NuGet
          does with it under each consumer policy. A copy that differs is told apart as re-signed, re-zipped or changed,
          with the files that changed.
        </p>
        <p className="text-sm text-slate-600">
          From a script: <code>npm run verify -- --against {"<gallery URL>"} file.nupkg</code>, or{" "}
          <code>POST /api/verify</code> with the package as the body.
        </p>
      </div>
      <VerifyCopy maxBytesText={formatSize(maxPackageBytes())} />
    </div>
  );
}
