// The outbox's timer (instrumentation-node.ts starts it): expiry warnings for every account, stale
// proof-of-possession challenges purged, then a delivery round, at start and every
// OUTBOX_INTERVAL_MS.
import type { Db } from "@/lib/db";
import { queueExpiryWarnings } from "@/lib/identity/expiry";
import { purgeStaleChallenges } from "@/lib/identity/possession";
import { deliverOutbox, type configuredTransport } from "@/lib/outbox/delivery";

const OUTBOX_INTERVAL_MS = 15 * 60_000;

/** One round of the timer; a failure is logged, never thrown (it must not stop the server). */
export async function outboxRound(
  db: Db,
  mail?: ReturnType<typeof configuredTransport>,
  now = new Date(),
): Promise<void> {
  try {
    await queueExpiryWarnings(db, now);
    await purgeStaleChallenges(db, now);
    await deliverOutbox(db, mail);
  } catch (failure) {
    console.error("[signet] outbox round failed", failure);
  }
}

export function startOutboxHousekeeping(db: Db): void {
  const round = () => void outboxRound(db);
  round();
  setInterval(round, OUTBOX_INTERVAL_MS).unref();
}
