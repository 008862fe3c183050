// The audit trail of admin actions. Every admin mutation calls `recordAuditEntry` with the
// transaction that makes the change, so a change and its record are never separated.
import { z } from "zod";
import type { Db } from "@/lib/db";
import type { TransactionClient } from "@/generated/prisma/sqlite/internal/prismaNamespace";

/** A Prisma client or the client of an open transaction: both can write an entry. */
export type DbWriter = Db | TransactionClient;

export interface AuditRecord {
  actorId: string;
  /** "<target type>.<verb>", e.g. prefix.create, certificate.compromise, user.lock. */
  action: string;
  targetType: string;
  targetId: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

export async function recordAuditEntry(tx: DbWriter, record: AuditRecord): Promise<void> {
  await tx.auditLogEntry.create({
    data: {
      actorId: record.actorId,
      action: record.action,
      targetType: record.targetType,
      targetId: record.targetId,
      reason: record.reason ?? null,
      details: JSON.stringify(record.details ?? {}),
    },
  });
}

export interface AuditEntryView {
  id: string;
  createdAt: Date;
  actorUsername: string;
  action: string;
  targetType: string;
  targetId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

export interface AuditLogFilter {
  action?: string;
  take?: number;
}

export const AUDIT_PAGE_SIZE = 200;

function parseDetails(json: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : { value: parsed };
  } catch {
    // Entries are written by recordAuditEntry, but other writers may store plain text.
    return { text: json };
  }
}

/** Newest first; `action` narrows to one action name. */
export async function listAuditEntries(db: Db, filter: AuditLogFilter = {}): Promise<AuditEntryView[]> {
  const rows = await db.auditLogEntry.findMany({
    where: filter.action ? { action: filter.action } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.take ?? AUDIT_PAGE_SIZE,
    include: { actor: { select: { username: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt,
    actorUsername: row.actor.username,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    reason: row.reason,
    details: parseDetails(row.details),
  }));
}

/** Every action name that occurs in the log, for the filter's choices. */
export async function listAuditActions(db: Db): Promise<string[]> {
  const rows = await db.auditLogEntry.findMany({
    distinct: ["action"],
    select: { action: true },
    orderBy: { action: "asc" },
  });
  return rows.map((row) => row.action);
}

const REASON_MAX_LENGTH = 1000;

/** A reason an admin gives for an action; blank counts as none. */
export const optionalReasonSchema = z
  .string()
  .trim()
  .max(REASON_MAX_LENGTH, `A reason has at most ${REASON_MAX_LENGTH} characters.`)
  .optional()
  .transform((reason) => (reason ? reason : null));

/** For actions whose record is worthless without a why (approving a refused upload, a lock). */
export const requiredReasonSchema = z
  .string({ error: "Give a reason." })
  .trim()
  .min(1, "Give a reason; it is kept in the audit log.")
  .max(REASON_MAX_LENGTH, `A reason has at most ${REASON_MAX_LENGTH} characters.`);
