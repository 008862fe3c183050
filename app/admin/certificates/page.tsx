import type { Metadata } from "next";
import Link from "next/link";
import { searchCertificates } from "@/lib/admin/certificates";
import { requireAdmin } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { DistinguishedName } from "@/app/_components/packages/DistinguishedName";
import { Fingerprint } from "@/app/_components/packages/Fingerprint";
import { AdminShell, AdminTable, CELL, SearchForm, UtcTime } from "../_components/AdminShell";

export const metadata: Metadata = { title: "Certificates | Admin" };
export const dynamic = "force-dynamic";

export default async function CertificatesPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  await requireAdmin("/admin/certificates");
  const { q } = await searchParams;
  const query = typeof q === "string" ? q : "";
  const certificates = await searchCertificates(getDb(), query);
  return (
    <AdminShell
      section="/admin/certificates"
      title="Certificates"
      intro="Every certificate registered on an account or seen on a signed package. Search by SHA-256 fingerprint (any format, as openssl or Windows prints it; six or more digits of it are enough) or by part of the subject; open one to see who registered it, what it signed, and to mark it compromised."
    >
      <SearchForm label="SHA-256 fingerprint or subject" query={query} />
      <AdminTable
        headings={["Subject", "SHA-256 fingerprint", "Expires", "Accounts", "Signed versions", "Status"]}
        empty={query ? `No certificate matches '${query}'.` : "No certificates yet."}
      >
        {certificates.map((certificate) => (
          <tr key={certificate.id}>
            <td className={CELL}>
              <Link href={`/admin/certificates/${certificate.id}`}>
                {certificate.subject ? <DistinguishedName value={certificate.subject} /> : "Details pending"}
              </Link>
            </td>
            <td className={`${CELL} max-w-64`}>
              <Fingerprint hex={certificate.sha256Fingerprint} />
            </td>
            <td className={CELL}>
              <UtcTime value={certificate.notAfter} />
            </td>
            <td className={CELL}>{certificate.registrationCount}</td>
            <td className={CELL}>{certificate.signedVersionCount}</td>
            <td className={CELL}>
              {certificate.compromisedAt ? (
                <span className="font-medium text-red-700">Compromised</span>
              ) : (
                "Not compromised"
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
    </AdminShell>
  );
}
