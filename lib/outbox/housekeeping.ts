// The outbox's timer (instrumentation.ts starts it): expiry warnings for every account, then a
// delivery round, at start and every OUTBOX_INTERVAL_MS.
import type { Db } from "@/lib/db";
import { queueExpiryWarnings } from "@/lib/identity/expiry";
import { deliverOutbox } from "./delivery";

const OUTBOX_INTERVAL_MS = 15 * 60_000;

export function startOutboxHousekeeping(db: Db): void {
  const round = () =>
    queueExpiryWarnings(db)
      .then(() => deliverOutbox(db))
      .catch((failure: unknown) => console.error("[signet] outbox round failed", failure));
  void round();
  setInterval(round, OUTBOX_INTERVAL_MS).unref();
}
