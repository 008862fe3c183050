// The outbox: email-worthy events for an account (a new signer on a package, a certificate about
// to expire or marked compromised, what the gallery learnt about a certificate registered by
// fingerprint, a trusted-publishing policy used for the first time). Every event is a row first:
// the account page shows them whether or not mail is configured, and delivery (delivery.ts)
// sends the unsent ones by SMTP when SIGNET_SMTP_URL is set. Rows written inside a publishing
// transaction commit or roll back with it, so no mail tells of a version that does not exist.
import type { Db } from "@/lib/db";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export type OutboxKind =
  | "signer.new"
  | "certificate.expiring"
  | "certificate.compromised"
  | "certificate.first-seen"
  | "trusted-publishing.first-use";

export interface OutboxEntry {
  userId: string;
  kind: OutboxKind;
  subject: string;
  body: string;
  /** For events told once (an expiry warning per certificate and threshold): a second entry with the same key is dropped. */
  dedupeKey?: string;
}

export interface OutboxMessageView {
  id: string;
  kind: string;
  subject: string;
  body: string;
  createdAt: Date;
  sentAt: Date | null;
  sendError: string | null;
}

/** Adds events; those whose dedupe key is already in the outbox are left out. */
export async function enqueueOutbox(db: Db | Tx, entries: readonly OutboxEntry[]): Promise<number> {
  const keys = entries.flatMap((entry) => (entry.dedupeKey ? [entry.dedupeKey] : []));
  const existing =
    keys.length === 0
      ? []
      : await db.outboxMessage.findMany({ where: { dedupeKey: { in: keys } }, select: { dedupeKey: true } });
  const taken = new Set(existing.map((row) => row.dedupeKey));
  const fresh = entries.filter((entry) => !entry.dedupeKey || !taken.has(entry.dedupeKey));
  for (const entry of fresh) {
    await db.outboxMessage.create({
      data: {
        userId: entry.userId,
        kind: entry.kind,
        subject: entry.subject,
        body: entry.body,
        dedupeKey: entry.dedupeKey ?? null,
      },
    });
  }
  return fresh.length;
}

/** The account's newest messages, for the account page. */
export async function listOutbox(db: Db, userId: string, take = 20): Promise<OutboxMessageView[]> {
  return db.outboxMessage.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    take,
    select: { id: true, kind: true, subject: true, body: true, createdAt: true, sentAt: true, sendError: true },
  });
}
