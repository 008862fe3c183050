import type { Metadata } from "next";
import Link from "next/link";
import { listReservations, type ReservationView } from "@/lib/admin/reservations";
import { requireAdmin } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { ActionForm } from "@/app/_components/ActionForm";
import { AdminShell, AdminTable, CELL } from "../_components/AdminShell";

export const metadata: Metadata = { title: "Prefix reservations | Admin" };
export const dynamic = "force-dynamic";

function VerifiedBadge({ verified }: { verified: boolean }) {
  return verified ? (
    <span className="rounded bg-green-100 px-1.5 py-0.5 text-xs font-medium text-green-800">Verified</span>
  ) : (
    <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">Not verified</span>
  );
}

function ReservationRow({ reservation }: { reservation: ReservationView }) {
  const endpoint = `/api/admin/reservations/${reservation.id}`;
  return (
    <tr data-reservation={reservation.display}>
      <td className={CELL}>
        <code className="font-semibold">{reservation.display}</code>
        <div className="text-xs text-slate-500">{reservation.isPrefix ? "Prefix" : "Exact ID"}</div>
      </td>
      <td className={CELL}>
        {reservation.isPublic ? "Public: anyone may publish, without the badge" : "Private: owners only"}
      </td>
      <td className={CELL}>
        {reservation.owners.length === 0 ? (
          <span className="text-slate-500">No owners (blocked for everyone)</span>
        ) : (
          reservation.owners.map((owner) => <div key={owner.id}>{owner.username}</div>)
        )}
      </td>
      <td className={CELL}>
        {reservation.packages.length === 0 ? (
          <span className="text-slate-500">No packages yet</span>
        ) : (
          <ul className="space-y-1">
            {reservation.packages.map((match) => (
              <li key={match.packageId} data-package={match.packageId}>
                <Link href={`/packages/${encodeURIComponent(match.packageId)}`}>{match.packageId}</Link>{" "}
                <VerifiedBadge verified={match.verified} />
                <span className="block text-xs text-slate-500">owners: {match.owners.join(", ") || "none"}</span>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className={`${CELL} w-72 space-y-3`}>
        <details>
          <summary className="cursor-pointer text-accent">Edit</summary>
          <div className="mt-2">
            <ActionForm
              endpoint={endpoint}
              method="PATCH"
              submitLabel="Save"
              fields={[
                {
                  kind: "usernames",
                  name: "owners",
                  label: "Owners",
                  defaultValue: reservation.owners.map((owner) => owner.username).join(", "),
                  hint: "Usernames, separated by commas.",
                },
                { kind: "checkbox", name: "isPublic", label: "Public", defaultChecked: reservation.isPublic },
                { kind: "text", name: "reason", label: "Reason (optional)" },
              ]}
            />
          </div>
        </details>
        <ActionForm
          endpoint={endpoint}
          method="DELETE"
          submitLabel="Delete"
          danger
          confirmText={`Delete the reservation '${reservation.display}'? Packages verified only through it lose the badge.`}
        />
      </td>
    </tr>
  );
}

export default async function ReservationsPage() {
  await requireAdmin("/admin/reservations");
  const reservations = await listReservations(getDb());
  return (
    <AdminShell
      section="/admin/reservations"
      title="Prefix reservations"
      intro="A reservation keeps new package IDs for its owners: an exact ID, or a prefix such as Contoso.*. Private reservations refuse everyone else's new IDs; public ones let anyone publish, without the Verified badge. A package is verified while one of its owners owns a matching reservation, so changing owners here changes the badges at once."
    >
      <section aria-labelledby="reserve-heading" className="rounded border border-slate-200 p-4">
        <h2 id="reserve-heading" className="mb-3 text-lg font-medium">
          Reserve an ID or prefix
        </h2>
        <ActionForm
          endpoint="/api/admin/reservations"
          method="POST"
          submitLabel="Reserve"
          fields={[
            {
              kind: "text",
              name: "pattern",
              label: "Package ID or prefix",
              required: true,
              placeholder: "Contoso.*",
              hint: "End with * for a prefix.",
            },
            {
              kind: "usernames",
              name: "owners",
              label: "Owners",
              placeholder: "alice, bob",
              hint: "Usernames, separated by commas.",
            },
            { kind: "checkbox", name: "isPublic", label: "Public" },
            { kind: "text", name: "reason", label: "Reason (optional)" },
          ]}
        />
      </section>
      <AdminTable
        headings={["Reserved", "Who may publish", "Owners", "Matching packages", "Change"]}
        empty="Nothing is reserved yet."
      >
        {reservations.map((reservation) => (
          <ReservationRow key={reservation.id} reservation={reservation} />
        ))}
      </AdminTable>
    </AdminShell>
  );
}
