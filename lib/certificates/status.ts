// Where a registered certificate stands today, for the list's status column. Browser-safe.

export type CertificateStatus = "pending" | "active" | "expiring" | "expired";

export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/** `pending` when only the fingerprint is known; otherwise by how far `notAfter` is from `now`. */
export function certificateStatus(notAfter: Date | null, now: Date): CertificateStatus {
  if (!notAfter) return "pending";
  const remaining = notAfter.getTime() - now.getTime();
  if (remaining <= 0) return "expired";
  return remaining <= EXPIRY_WARNING_DAYS * DAY_MS ? "expiring" : "active";
}

export const STATUS_LABELS: Readonly<Record<CertificateStatus, string>> = {
  pending: "Details pending",
  active: "Active",
  expiring: `Expires within ${EXPIRY_WARNING_DAYS} days`,
  expired: "Expired",
};
