import type { Metadata } from "next";
import { AUDIT_PAGE_SIZE, listAuditActions, listAuditEntries } from "@/lib/admin/audit";
import { requireAdmin } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { AdminShell, BUTTON, CELL, EmptyRow, HEAD_CELL, INPUT, TABLE, UtcTime } from "../_components/AdminShell";

export const metadata: Metadata = { title: "Audit log | Admin" };
export const dynamic = "force-dynamic";

function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <dl className="text-xs">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt className="inline text-slate-500">{key}: </dt>
          <dd className="inline break-all">{typeof value === "string" ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<{ action?: string | string[] }> }) {
  await requireAdmin("/admin/audit");
  const { action } = await searchParams;
  const selected = typeof action === "string" && action ? action : undefined;
  const [entries, actions] = await Promise.all([listAuditEntries(getDb(), { action: selected }), listAuditActions(getDb())]);
  return (
    <AdminShell section="/admin/audit" title="Audit log" intro={`Every admin action, newest first (the latest ${AUDIT_PAGE_SIZE} shown).`}>
      <form method="get" className="flex flex-wrap items-end gap-2">
        <label htmlFor="audit-action" className="block space-y-1 text-sm">
          <span className="block font-medium text-slate-800">Action</span>
          <select id="audit-action" name="action" defaultValue={selected ?? ""} className={INPUT}>
            <option value="">All actions</option>
            {actions.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={BUTTON}>
          Filter
        </button>
      </form>
      <table className={TABLE}>
        <thead>
          <tr>
            <th className={HEAD_CELL}>When</th>
            <th className={HEAD_CELL}>Who</th>
            <th className={HEAD_CELL}>Action</th>
            <th className={HEAD_CELL}>Target</th>
            <th className={HEAD_CELL}>Reason</th>
            <th className={HEAD_CELL}>Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.length === 0 ? (
            <EmptyRow columns={6}>No admin actions recorded{selected ? ` for ${selected}` : ""}.</EmptyRow>
          ) : (
            entries.map((entry) => (
              <tr key={entry.id} data-action={entry.action}>
                <td className={`${CELL} whitespace-nowrap`}>
                  <UtcTime value={entry.createdAt} />
                </td>
                <td className={CELL}>{entry.actorUsername}</td>
                <td className={`${CELL} font-mono text-xs`}>{entry.action}</td>
                <td className={CELL}>
                  {entry.targetType}
                  {entry.targetId ? <div className="break-all font-mono text-xs text-slate-500">{entry.targetId}</div> : null}
                </td>
                <td className={CELL}>{entry.reason ?? <span className="text-slate-400">—</span>}</td>
                <td className={CELL}>
                  <Details details={entry.details} />
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </AdminShell>
  );
}
