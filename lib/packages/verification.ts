// The "Verified" checkmark and the sentence saying why, from the package's current owners and
// the reservations matching its ID. The rule itself is lib/validation's isVerifiedPackage; this
// only adds which reservation and which owner make it true, for the tooltip.

import {
  displayReservationPattern,
  isVerifiedPackage,
  matchReservations,
} from "@/lib/validation/rules/prefix-reservation";
import { listOf } from "@/lib/validation/rules/wording";

export interface AccountRef {
  id: string;
  username: string;
}

export interface ReservationWithOwners {
  pattern: string;
  isPrefix: boolean;
  isPublic: boolean;
  owners: readonly AccountRef[];
}

export interface Verification {
  verified: boolean;
  /** Why, for the tooltip and screen readers; null when not verified. */
  sentence: string | null;
}

export const NOT_VERIFIED: Verification = { verified: false, sentence: null };

export function verifyPackageId(
  packageId: string,
  packageOwners: readonly AccountRef[],
  reservations: readonly ReservationWithOwners[],
): Verification {
  const ownerIds = packageOwners.map((owner) => owner.id);
  const rules = reservations.map((reservation) => ({
    ...reservation,
    ownerIds: reservation.owners.map((owner) => owner.id),
  }));
  if (!isVerifiedPackage(packageId, ownerIds, rules)) return NOT_VERIFIED;
  const reasons = matchReservations(packageId, rules).flatMap((reservation) => {
    const holders = reservation.owners.filter((owner) => ownerIds.includes(owner.id)).map((owner) => owner.username);
    if (holders.length === 0) return [];
    const kind = reservation.isPrefix ? "ID prefix" : "ID";
    const whom = holders.length === 1 ? "package owner" : "package owners";
    return [`the ${kind} ${displayReservationPattern(reservation)} is reserved for ${whom} ${listOf(holders, "and")}`];
  });
  return { verified: true, sentence: `Verified: ${listOf(reasons, "and")}.` };
}
