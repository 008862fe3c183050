import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { listRegisteredCertificates } from "@/lib/certificates/registry";
import { getDb } from "@/lib/db";
import { CertificateManager } from "./CertificateManager";

export const metadata: Metadata = { title: "Certificates" };
export const dynamic = "force-dynamic";

export default async function CertificatesPage() {
  const user = await requireUser("/account/certificates");
  const certificates = await listRegisteredCertificates(getDb(), user.id);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Certificates</h1>
        <p className="mt-2 max-w-3xl text-slate-600">
          Register the code-signing certificates your packages are signed with. Every package you push that is signed is checked
          against them: a package signed with a certificate that no owner registered is refused.
        </p>
      </div>
      <CertificateManager initialCertificates={certificates} />
    </div>
  );
}
