import type { Metadata } from "next";
import { AUDIT_PAGE_SIZE, listAuditActions, listAuditEntries } from "@/lib/audit";
import { requireAdmin } from "@/lib/web/session";
import { getDb } from "@/lib/services";
import { Fingerprint } from "@/app/_components/packages/Fingerprint";
import { Time } from "@/app/_components/packages/Time";
import { AdminShell, AdminTable, BUTTON, CELL, FilterSelect, UtcTime } from "../_components/AdminShell";

export const metadata: Metadata = { title: "Audit log | Admin" };
export const dynamic = "force-dynamic";

const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/** One recorded value in the site's forms: a moment as a <time>, a fingerprint as one, other data as it was recorded. */
function DetailValue({ value }: { value: unknown }) {
  if (typeof value === "string" && ISO_MOMENT.test(value)) return <Time value={value} />;
  if (typeof value === "string" && SHA256_HEX.test(value)) return <Fingerprint hex={value} className="" />;
  if (typeof value === "string") return <>{value}</>;
  return <pre className="inline whitespace-pre-wrap break-all font-mono">{JSON.stringify(value)}</pre>;
}

function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <dl className="text-xs">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt className="inline text-slate-500">{key}: </dt>
          <dd className="inline break-all">
            <DetailValue value={value} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

export default async function AuditLogPage({
  searchParams,
}: {
  searchParams: Promise<{ action?: string | string[] }>;
}) {
  await requireAdmin("/admin/audit");
  const { action } = await searchParams;
  const selected = typeof action === "string" && action ? action : undefined;
  const [entries, actions] = await Promise.all([
    listAuditEntries(getDb(), { action: selected }),
    listAuditActions(getDb()),
  ]);
  return (
    <AdminShell
      section="/admin/audit"
      title="Audit log"
      intro={`Every admin action, newest first (the latest ${AUDIT_PAGE_SIZE} shown).`}
    >
      <form method="get" className="flex flex-wrap items-end gap-2">
        <FilterSelect
          id="audit-action"
          name="action"
          label="Action"
          value={selected ?? ""}
          options={[{ value: "", label: "All actions" }, ...actions.map((name) => ({ value: name, label: name }))]}
        />
        <button type="submit" className={BUTTON}>
          Filter
        </button>
      </form>
      <AdminTable
        headings={["When", "Who", "Action", "Target", "Reason", "Details"]}
        empty={selected ? `No admin actions recorded for ${selected}.` : "No admin actions recorded."}
      >
        {entries.map((entry) => (
          <tr key={entry.id} data-action={entry.action}>
            <td className={`${CELL} whitespace-nowrap`}>
              <UtcTime value={entry.createdAt} />
            </td>
            <td className={CELL}>{entry.actorUsername}</td>
            <td className={`${CELL} font-mono text-xs`}>{entry.action}</td>
            <td className={CELL}>
              {entry.targetType}
              {entry.targetId ? (
                <div className="break-all font-mono text-xs text-slate-500">{entry.targetId}</div>
              ) : null}
            </td>
            <td className={CELL}>{entry.reason ?? <span className="text-slate-400">—</span>}</td>
            <td className={CELL}>
              <Details details={entry.details} />
            </td>
          </tr>
        ))}
      </AdminTable>
    </AdminShell>
  );
}
