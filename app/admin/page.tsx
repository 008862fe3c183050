import type { Metadata } from "next";
import Link from "next/link";
import { getDashboardCounts } from "@/lib/admin/dashboard";
import { requireAdmin } from "@/lib/web/session";
import { quarantineLimits } from "@/lib/config";
import { getDb } from "@/lib/services";
import { formatSize } from "@/lib/validation/rules/wording";
import { AdminShell } from "./_components/AdminShell";

export const metadata: Metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

export default async function AdminDashboardPage() {
  await requireAdmin("/admin");
  const counts = await getDashboardCounts(getDb());
  const cards = [
    {
      href: "/admin/uploads",
      title: "Rejected uploads",
      figure: counts.rejectedUploads,
      text: "refused by the upload rules, waiting for review",
    },
    {
      href: "/admin/uploads",
      title: "Quarantine",
      figure: formatSize(counts.quarantineBytes),
      text: `in ${counts.quarantinedFiles} refused files kept for review (each account may keep ${formatSize(quarantineLimits().bytesPerAccount)})`,
    },
    {
      href: "/admin/reservations",
      title: "Prefix reservations",
      figure: counts.reservations,
      text: "reserved package IDs and prefixes",
    },
    {
      href: "/admin/certificates",
      title: "Certificates",
      figure: counts.certificates,
      text: `known to the gallery, ${counts.compromisedCertificates} marked compromised; ${counts.compromisedVersions} published ${counts.compromisedVersions === 1 ? "version carries" : "versions carry"} a warning`,
    },
    {
      href: "/admin/users",
      title: "Users",
      figure: counts.users,
      text: `accounts, ${counts.admins} administrators, ${counts.lockedUsers} locked`,
    },
    {
      href: "/admin/audit",
      title: "Audit log",
      figure: counts.auditEntriesLastWeek,
      text: "admin actions in the last 7 days",
    },
  ];
  return (
    <AdminShell
      section="/admin"
      title="Admin console"
      intro="Review what the upload rules refused, reserve package ID prefixes, react to compromised certificates and manage accounts. Every change is recorded in the audit log."
    >
      <section aria-label="Overview" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {cards.map((card) => (
          <Link
            key={card.title}
            href={card.href}
            className="block rounded border border-slate-200 p-4 hover:border-accent hover:no-underline"
          >
            <h2 className="font-medium text-accent">{card.title}</h2>
            <p className="mt-1 text-3xl font-semibold text-slate-900" data-count={card.title}>
              {card.figure}
            </p>
            <p className="mt-1 text-sm text-slate-600">{card.text}</p>
          </Link>
        ))}
      </section>
    </AdminShell>
  );
}
