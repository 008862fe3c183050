import type { Metadata } from "next";
import Link from "next/link";
import { getCertificateDetail, type CertificateDetail } from "@/lib/admin/certificates";
import { requireAdmin } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { DistinguishedName } from "@/app/_components/packages/DistinguishedName";
import { Fingerprint } from "@/app/_components/packages/Fingerprint";
import { ActionForm } from "@/app/_components/ActionForm";
import { loadOrNotFound } from "../../_components/load-or-not-found";
import { AdminShell, AdminTable, CELL, UtcTime } from "../../_components/AdminShell";

export const metadata: Metadata = { title: "Certificate | Admin" };
export const dynamic = "force-dynamic";

function CompromiseSection({ certificate }: { certificate: CertificateDetail }) {
  const compromised = certificate.compromisedAt !== null;
  // The same form marks and clears, so its answer stays in view after the page refreshes.
  return (
    <section
      aria-labelledby="compromise-heading"
      className={`space-y-3 rounded border p-4 ${compromised ? "border-red-300 bg-red-50 text-red-900" : "border-slate-200"}`}
    >
      <h2 id="compromise-heading" className="text-lg font-medium">
        {compromised ? (
          <>
            Compromised since <UtcTime value={certificate.compromisedAt} />
          </>
        ) : (
          "Mark compromised"
        )}
      </h2>
      <p className="text-sm">
        {compromised
          ? `Reason: ${certificate.compromisedReason ?? "none given"}. New pushes signed with it are refused; versions signed at or after this time show a warning.`
          : "From the date given (00:00 UTC), versions signed with this certificate carry a warning on their pages, and new pushes signed with it are refused."}
      </p>
      <ActionForm
        endpoint={`/api/admin/certificates/${certificate.id}/compromise`}
        method={compromised ? "DELETE" : "PUT"}
        submitLabel={compromised ? "Clear the compromise mark" : "Mark compromised"}
        danger={!compromised}
        confirmText={
          compromised ? undefined : "Mark this certificate compromised? Pushes signed with it will be refused."
        }
        fields={
          compromised
            ? [{ kind: "text", name: "reason", label: "Reason for clearing (optional)" }]
            : [
                { kind: "date", name: "compromisedAt", label: "Compromised from", required: true },
                { kind: "textarea", name: "reason", label: "Reason", required: true },
              ]
        }
      />
    </section>
  );
}

export default async function CertificateDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdmin(`/admin/certificates/${encodeURIComponent(id)}`);
  const certificate = await loadOrNotFound(getCertificateDetail(getDb(), id), "CERTIFICATE_NOT_FOUND");
  const facts = [
    ["SHA-256", <Fingerprint key="sha256" hex={certificate.sha256Fingerprint} />],
    ["SHA-1", certificate.sha1Fingerprint ? <Fingerprint key="sha1" hex={certificate.sha1Fingerprint} /> : "—"],
    [
      "Issuer",
      certificate.issuer ? <DistinguishedName key="issuer" value={certificate.issuer} className="text-xs" /> : "—",
    ],
    [
      "Serial number",
      <code key="serial" className="font-mono text-xs break-all">
        {certificate.serialNumber ?? "—"}
      </code>,
    ],
  ] as const;
  return (
    <AdminShell
      section="/admin/certificates"
      title={certificate.subject ? <DistinguishedName value={certificate.subject} /> : "Certificate (details pending)"}
    >
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
        {facts.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-slate-500">{term}</dt>
            <dd className="min-w-0">{value}</dd>
          </div>
        ))}
        <dt className="text-slate-500">Valid</dt>
        <dd>
          <UtcTime value={certificate.notBefore} dateOnly /> to <UtcTime value={certificate.notAfter} dateOnly />
        </dd>
      </dl>
      <CompromiseSection certificate={certificate} />
      <section aria-labelledby="registrations-heading" className="space-y-2">
        <h2 id="registrations-heading" className="text-lg font-medium">
          Registered by
        </h2>
        {certificate.registrations.length === 0 ? (
          <p className="text-slate-500">No account has registered this certificate.</p>
        ) : (
          <ul className="list-disc pl-5">
            {certificate.registrations.map((registration) => (
              <li key={registration.username}>
                <Link href={`/account/certificates?username=${encodeURIComponent(registration.username)}`}>
                  {registration.username}
                </Link>{" "}
                on <UtcTime value={registration.registeredAt} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="versions-heading" className="space-y-2">
        <h2 id="versions-heading" className="text-lg font-medium">
          Package versions signed with it
        </h2>
        <AdminTable
          headings={["Package", "Proven signed by", "Published", "Warning"]}
          empty="No published version is signed with this certificate."
        >
          {certificate.signedVersions.map((version) => (
            <tr key={`${version.packageId}/${version.version}`}>
              <td className={CELL}>
                <Link
                  href={`/packages/${encodeURIComponent(version.packageId)}/${encodeURIComponent(version.version)}`}
                >
                  {version.packageId} {version.version}
                </Link>
              </td>
              <td className={CELL}>
                <UtcTime value={version.provenSigningTime} />{" "}
                {version.provenSigningTimeSource === "TIMESTAMP" ? "(timestamp)" : "(received, no timestamp)"}
              </td>
              <td className={CELL}>
                <UtcTime value={version.publishedAt} />
              </td>
              <td className={CELL}>
                {version.flagged ? (
                  <span className="font-medium text-red-700">Signed at or after the compromise</span>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </AdminTable>
      </section>
    </AdminShell>
  );
}
