// Expiry warnings for registered certificates (NuGetGallery#6180 asks for them): 30 and 7 days
// before a proven registration's certificate expires, each account that registered it gets an
// outbox message (shown on the account page, mailed when SMTP is set), once per threshold. Runs
// when an account page is shown (for that account) and on the server's timer (for everyone).
import { displayFingerprint } from "@/lib/certificates/fingerprint";
import type { Db } from "@/lib/db";
import { enqueueOutbox, type OutboxEntry } from "@/lib/outbox/outbox";
import { formatDistinguishedName } from "@/lib/signing/distinguished-name";

export const EXPIRY_WARNING_THRESHOLDS_DAYS = [30, 7] as const;
const DAY_MS = 86_400_000;

/** The smallest threshold the remaining time is within, or null (expired, or further away than all). */
export function expiryThreshold(notAfter: Date, now: Date): number | null {
  const remaining = notAfter.getTime() - now.getTime();
  if (remaining <= 0) return null;
  const within = EXPIRY_WARNING_THRESHOLDS_DAYS.filter((days) => remaining <= days * DAY_MS);
  return within.length > 0 ? Math.min(...within) : null;
}

/** Queues the warnings due at `now` (for one account, or all); returns how many were new. */
export async function queueExpiryWarnings(db: Db, now = new Date(), userId?: string): Promise<number> {
  const horizon = new Date(now.getTime() + Math.max(...EXPIRY_WARNING_THRESHOLDS_DAYS) * DAY_MS);
  const registrations = await db.registeredCertificate.findMany({
    where: {
      ...(userId ? { userId } : {}),
      provenBy: { not: null },
      certificate: { notAfter: { gt: now, lte: horizon } },
    },
    select: {
      id: true,
      userId: true,
      certificate: { select: { sha256Fingerprint: true, subject: true, notAfter: true } },
    },
  });
  const entries = registrations.flatMap((registration): OutboxEntry[] => {
    const { notAfter, subject, sha256Fingerprint } = registration.certificate;
    const days = notAfter ? expiryThreshold(notAfter, now) : null;
    if (!notAfter || days === null) return [];
    return [
      {
        userId: registration.userId,
        kind: "certificate.expiring",
        subject: `Your signing certificate expires within ${days} days`,
        body: `The certificate ${subject ? formatDistinguishedName(subject) : ""} (SHA-256 ${displayFingerprint(sha256Fingerprint)}) registered on your account expires on ${notAfter.toISOString().slice(0, 10)}. Packages signed with it after that are refused; timestamped packages signed before stay valid. Register the renewed certificate and prove possession before then.`,
        dedupeKey: `certificate.expiring:${registration.id}:${days}`,
      },
    ];
  });
  return entries.length === 0 ? 0 : enqueueOutbox(db, entries);
}
