// Where a registered certificate stands today, for the list's status column. Browser-safe.
// A certificate is Active only once the account has proven it holds the private key
// (lib/validation/rules/signer-rules.ts); before that it is "awaiting proof", whatever its dates say.
export type CertificateStatus = "unproven" | "pending" | "active" | "expiring" | "expired";

export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

/** `expired` first (nothing can make it usable), then `unproven`, then by how far `notAfter` is from `now` (`pending` when only the fingerprint is known). */
export function certificateStatus(notAfter: Date | null, proven: boolean, now: Date): CertificateStatus {
  const remaining = notAfter ? notAfter.getTime() - now.getTime() : null;
  if (remaining !== null && remaining <= 0) return "expired";
  if (!proven) return "unproven";
  if (remaining === null) return "pending";
  return remaining <= EXPIRY_WARNING_DAYS * DAY_MS ? "expiring" : "active";
}

export const STATUS_LABELS: Readonly<Record<CertificateStatus, string>> = {
  unproven: "Awaiting proof of possession",
  pending: "Details pending",
  active: "Active",
  expiring: `Expires within ${EXPIRY_WARNING_DAYS} days`,
  expired: "Expired",
};
