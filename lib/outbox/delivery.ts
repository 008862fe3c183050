// Sending the outbox by SMTP (nodemailer) when SIGNET_SMTP_URL is configured, e.g.
// smtp://user:password@mail.example:587, with SIGNET_MAIL_FROM as the sender. Without it nothing
// is sent and the messages stay on the account page. A failed message keeps its error and is
// tried again on the next round; the next round comes after each enqueue and on a timer.
import nodemailer from "nodemailer";
import type { Db } from "@/lib/db";

export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
}

const BATCH = 50;
const DEFAULT_FROM = "Signet <no-reply@localhost>";

/** The configured SMTP transport, or null when mail is not configured. */
export function configuredTransport(
  environment: Readonly<Record<string, string | undefined>> = process.env,
): { transport: MailTransport; from: string } | null {
  const url = environment.SIGNET_SMTP_URL;
  if (!url) return null;
  return { transport: nodemailer.createTransport(url), from: environment.SIGNET_MAIL_FROM || DEFAULT_FROM };
}

/** Sends up to one batch of unsent messages; returns how many were sent. */
export async function deliverOutbox(db: Db, mail = configuredTransport(), now = () => new Date()): Promise<number> {
  if (!mail) return 0;
  const pending = await db.outboxMessage.findMany({
    where: { sentAt: null },
    orderBy: { createdAt: "asc" },
    take: BATCH,
    select: { id: true, subject: true, body: true, user: { select: { email: true } } },
  });
  let sent = 0;
  for (const message of pending) {
    try {
      await mail.transport.sendMail({
        from: mail.from,
        to: message.user.email,
        subject: message.subject,
        text: message.body,
      });
      await db.outboxMessage.update({ where: { id: message.id }, data: { sentAt: now(), sendError: null } });
      sent++;
    } catch (failure) {
      const reason = failure instanceof Error ? failure.message : String(failure);
      await db.outboxMessage.update({ where: { id: message.id }, data: { sendError: reason.slice(0, 500) } });
    }
  }
  return sent;
}

let running: Promise<unknown> | null = null;

/** Starts a delivery round in the background unless one is running; never throws. */
export function deliverOutboxSoon(db: Db): void {
  if (running || !configuredTransport()) return;
  running = deliverOutbox(db)
    .catch((failure: unknown) => console.error("[signet] outbox delivery failed", failure))
    .finally(() => {
      running = null;
    });
}
