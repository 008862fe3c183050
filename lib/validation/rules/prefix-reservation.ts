// Package ID prefix reservations, with nuget.org's semantics (NuGetGallery's ReservedNamespace):
// - a prefix reservation "Contoso." matches every ID starting with it, an exact one only that
//   ID, both case-insensitively; one ID can match several reservations;
// - only NEW IDs are judged: existing IDs are grandfathered and only need package ownership;
// - a new ID inside reservations is allowed when an owner-to-be owns ANY matching reservation,
//   or ANY matching reservation is public; otherwise it is refused (409 on nuget.org);
// - "verified" (the checkmark) means at least one package owner owns a matching reservation;
//   pushing into a public reservation without owning it does not verify.
// Deliberate difference: nuget.org stores the verified flag and updates it on ownership events
// (and forgets to clear it in places, NGG #8941); we derive it from the current owners, so the
// same function answers at push time and on every page.

import { error, type Issue } from "@/lib/issues";
import { quotedList } from "./wording";

export interface PrefixReservationRule {
  /** Without a trailing "*": "Contoso." reserves Contoso.*; an exact reservation is the whole ID. */
  pattern: string;
  isPrefix: boolean;
  /** Public (nuget.org "shared"): anyone may create IDs inside it, without the checkmark. */
  isPublic: boolean;
  ownerIds: readonly string[];
}

export interface PrefixReservationInput {
  packageId: string;
  /** True when no package with this ID exists yet. */
  isNewId: boolean;
  /** The accounts that own the package, or for a new ID the account that will own it (the pusher). */
  ownerUserIds: readonly string[];
  reservations: readonly PrefixReservationRule[];
}

export interface PrefixReservationVerdict {
  issues: Issue[];
  verified: boolean;
}

/** How a reservation is shown to people: "Contoso.*" for a prefix, the ID itself otherwise. */
export function displayReservationPattern(reservation: Pick<PrefixReservationRule, "pattern" | "isPrefix">): string {
  return reservation.isPrefix ? `${reservation.pattern}*` : reservation.pattern;
}

export function matchReservations<Reservation extends Pick<PrefixReservationRule, "pattern" | "isPrefix">>(
  packageId: string,
  reservations: readonly Reservation[],
): Reservation[] {
  const id = packageId.toLowerCase();
  return reservations.filter((reservation) => {
    const pattern = reservation.pattern.toLowerCase();
    return reservation.isPrefix ? id.startsWith(pattern) : id === pattern;
  });
}

function ownsReservation(ownerUserIds: readonly string[], reservation: PrefixReservationRule): boolean {
  return reservation.ownerIds.some((ownerId) => ownerUserIds.includes(ownerId));
}

/** True when one of the package's owners owns a reservation matching its ID. */
export function isVerifiedPackage(
  packageId: string,
  ownerUserIds: readonly string[],
  reservations: readonly PrefixReservationRule[],
): boolean {
  return matchReservations(packageId, reservations).some((reservation) => ownsReservation(ownerUserIds, reservation));
}

function reservedIdIssue(packageId: string, blocking: readonly PrefixReservationRule[]): Issue {
  const patterns = quotedList(blocking.map(displayReservationPattern), "and");
  const rule = `The package ID '${packageId}' falls under the reserved namespace ${patterns}`;
  // An ownerless reservation blocks the name for everyone: there is nobody to ask for access.
  if (blocking.every((reservation) => reservation.ownerIds.length === 0)) {
    return error(
      "PACKAGE_ID_RESERVED",
      `${rule}, which no account may publish new packages under. Choose a different package ID.`,
    );
  }
  return error(
    "PACKAGE_ID_RESERVED",
    `${rule}, where only the namespace's owners may create new packages. Ask an owner of the namespace for access, or choose a different package ID.`,
  );
}

export function judgePrefixReservation(input: PrefixReservationInput): PrefixReservationVerdict {
  const matching = matchReservations(input.packageId, input.reservations);
  const verified = isVerifiedPackage(input.packageId, input.ownerUserIds, matching);
  if (!input.isNewId || verified || matching.length === 0 || matching.some((reservation) => reservation.isPublic)) {
    return { issues: [], verified };
  }
  return { issues: [reservedIdIssue(input.packageId, matching)], verified: false };
}
