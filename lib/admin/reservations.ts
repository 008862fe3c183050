// Package ID prefix reservations as admins manage them (on nuget.org too, only administrators reserve): an exact ID or a
// prefix ("Contoso.*"), public or private, owned by any number of accounts. The packages a
// reservation matches and whether they are verified are worked out on every read with the
// upload rules' own functions, so changing owners changes the badges with nothing to update.
import { z } from "zod";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import {
  displayReservationPattern,
  isVerifiedPackage,
  matchReservations,
  type PrefixReservationRule,
} from "@/lib/validation/rules/prefix-reservation";
import { refreshVerifiedIds } from "@/lib/search/search-index";
import { optionalReasonSchema, recordAuditEntry } from "@/lib/audit";
import { resolveUsernames, type UserRef } from "./users";

const PATTERN_MAX_LENGTH = 128;
/**
 * A reservation change rewrites the search documents of every package whose Verified check it
 * flips (search-index.ts refreshVerifiedIds), about a millisecond each: a prefix a large publisher
 * owns thousands of packages under takes seconds, past the 5-second default.
 */
const RESERVATION_TRANSACTION = { timeout: 120_000, maxWait: 10_000 };
// nuget.org's rule: word characters joined by "." or "-", optionally ending in one of them.
const PATTERN_SYNTAX = /^[\p{L}\p{N}_]+([.-][\p{L}\p{N}_]+)*[.-]?$/u;

export interface ParsedReservationPattern {
  /** Stored form: without the trailing "*". */
  pattern: string;
  isPrefix: boolean;
}

/** "Contoso.*" is a prefix reservation of "Contoso.", "Contoso.Utils" an exact one. */
export function parseReservationPattern(text: string): ParsedReservationPattern {
  const trimmed = text.trim();
  const isPrefix = trimmed.endsWith("*");
  const pattern = isPrefix ? trimmed.slice(0, -1) : trimmed;
  if (pattern.length > PATTERN_MAX_LENGTH) {
    throw new IssueError(
      "INVALID_RESERVATION_PATTERN",
      `A reserved ID or prefix has at most ${PATTERN_MAX_LENGTH} characters.`,
    );
  }
  if (!PATTERN_SYNTAX.test(pattern)) {
    throw new IssueError(
      "INVALID_RESERVATION_PATTERN",
      `'${trimmed}' is not a package ID or prefix: use letters, digits and "_" joined by "." or "-", with a final "*" for a prefix (for example 'Contoso.*' or 'Contoso.Utils').`,
    );
  }
  return { pattern, isPrefix };
}

const usernamesSchema = z
  .array(z.string().trim().min(1, "A username cannot be empty."))
  .max(100, "At most 100 owners.");

export const createReservationSchema = z.object({
  pattern: z.string({ error: "Enter a package ID or a prefix ending in *." }),
  isPublic: z.boolean().default(false),
  owners: usernamesSchema.default([]),
  reason: optionalReasonSchema,
});
export type CreateReservationInput = z.input<typeof createReservationSchema>;

/** The pattern stays as created (as on nuget.org); owners and visibility can change. */
export const updateReservationSchema = z.object({
  isPublic: z.boolean(),
  owners: usernamesSchema,
  reason: optionalReasonSchema,
});
export type UpdateReservationInput = z.input<typeof updateReservationSchema>;

export const deleteReservationSchema = z.object({ reason: optionalReasonSchema });

export interface MatchingPackage {
  packageId: string;
  owners: string[];
  /** Derived now: one of the package's owners owns a reservation matching its ID. */
  verified: boolean;
}

export interface ReservationView {
  id: string;
  /** As people read it: "Contoso.*" or "Contoso.Utils". */
  display: string;
  pattern: string;
  isPrefix: boolean;
  isPublic: boolean;
  createdAt: Date;
  owners: UserRef[];
  packages: MatchingPackage[];
}

const RESERVATION_INCLUDE = {
  owners: { include: { user: { select: { id: true, username: true } } }, orderBy: { createdAt: "asc" } },
} as const;

interface ReservationRow {
  id: string;
  pattern: string;
  patternLower: string;
  isPrefix: boolean;
  isPublic: boolean;
  createdAt: Date;
  owners: { user: UserRef }[];
}

function toRule(row: ReservationRow): PrefixReservationRule {
  return {
    pattern: row.pattern,
    isPrefix: row.isPrefix,
    isPublic: row.isPublic,
    ownerIds: row.owners.map((owner) => owner.user.id),
  };
}

async function packagesMatching(db: Db, rows: readonly ReservationRow[]) {
  if (rows.length === 0) return [];
  return db.packageRegistration.findMany({
    where: {
      OR: rows.map((row) =>
        row.isPrefix ? { packageIdLower: { startsWith: row.patternLower } } : { packageIdLower: row.patternLower },
      ),
    },
    orderBy: { packageIdLower: "asc" },
    select: { packageId: true, owners: { select: { user: { select: { id: true, username: true } } } } },
  });
}

/** Every reservation with its owners and the packages it matches, ordered by pattern. */
export async function listReservations(db: Db): Promise<ReservationView[]> {
  const rows = await db.prefixReservation.findMany({ include: RESERVATION_INCLUDE, orderBy: { patternLower: "asc" } });
  // Verification looks at every reservation: a package may be verified through another one.
  const rules = rows.map(toRule);
  const packages = await packagesMatching(db, rows);
  return rows.map((row) => ({
    id: row.id,
    display: displayReservationPattern(row),
    pattern: row.pattern,
    isPrefix: row.isPrefix,
    isPublic: row.isPublic,
    createdAt: row.createdAt,
    owners: row.owners.map((owner) => owner.user),
    packages: packages
      .filter((registration) => matchReservations(registration.packageId, [row]).length > 0)
      .map((registration) => {
        const ownerIds = registration.owners.map((owner) => owner.user.id);
        return {
          packageId: registration.packageId,
          owners: registration.owners.map((owner) => owner.user.username),
          verified: isVerifiedPackage(registration.packageId, ownerIds, rules),
        };
      }),
  }));
}

/**
 * A private reservation inside a public one would protect nothing: an ID matching any public
 * reservation is open to everyone (see judgePrefixReservation). nuget.org silently makes a new
 * one public; we refuse both ways round (a private one inside, or a public one around) and say
 * why, so the admin decides.
 */
async function assertVisibilityConsistent(
  db: Db,
  reservation: ParsedReservationPattern & { isPublic: boolean; id?: string },
): Promise<void> {
  const others = await db.prefixReservation.findMany({
    where: { isPublic: !reservation.isPublic, ...(reservation.id ? { id: { not: reservation.id } } : {}) },
    select: { pattern: true, isPrefix: true },
  });
  const display = displayReservationPattern(reservation);
  if (!reservation.isPublic) {
    const [enclosing] = matchReservations(reservation.pattern, others);
    if (!enclosing) return;
    const outer = displayReservationPattern(enclosing);
    throw new IssueError(
      "RESERVATION_CONFLICT",
      `'${display}' lies inside the public reservation '${outer}', where anyone may create new IDs, so it cannot be private. Make it public, or make '${outer}' private first.`,
    );
  }
  const enclosed = others.find((other) => matchReservations(other.pattern, [reservation]).length > 0);
  if (!enclosed) return;
  const inner = displayReservationPattern(enclosed);
  throw new IssueError(
    "RESERVATION_CONFLICT",
    `A public '${display}' would open the private reservation '${inner}' inside it to everyone. Make '${inner}' public or delete it first.`,
  );
}

function reservationExists(display: string): IssueError {
  return new IssueError("RESERVATION_EXISTS", `'${display}' is already reserved.`);
}

export async function createReservation(
  db: Db,
  actorId: string,
  input: unknown,
): Promise<{ id: string; display: string }> {
  const { pattern: text, isPublic, owners, reason } = createReservationSchema.parse(input);
  const parsed = parseReservationPattern(text);
  const display = displayReservationPattern(parsed);
  const patternLower = parsed.pattern.toLowerCase();
  const users = await resolveUsernames(db, owners);
  if (await db.prefixReservation.findUnique({ where: { patternLower }, select: { id: true } }))
    throw reservationExists(display);
  await assertVisibilityConsistent(db, { ...parsed, isPublic });
  try {
    return await db.$transaction(async (tx) => {
      const created = await tx.prefixReservation.create({
        data: { ...parsed, patternLower, isPublic, owners: { create: users.map((user) => ({ userId: user.id })) } },
      });
      await refreshVerifiedIds(tx, [patternLower]);
      await recordAuditEntry(tx, {
        actorId,
        action: "prefix.create",
        targetType: "PrefixReservation",
        targetId: created.id,
        reason,
        details: { pattern: display, isPublic, owners: users.map((user) => user.username) },
      });
      return { id: created.id, display };
    }, RESERVATION_TRANSACTION);
  } catch (caught) {
    // Another admin reserved the same pattern since the check above: the unique index decided.
    if (await db.prefixReservation.findUnique({ where: { patternLower }, select: { id: true } }))
      throw reservationExists(display);
    throw caught;
  }
}

async function findReservation(db: Db, id: string): Promise<ReservationRow> {
  const row = await db.prefixReservation.findUnique({ where: { id }, include: RESERVATION_INCLUDE });
  if (!row)
    throw new IssueError("RESERVATION_NOT_FOUND", "This reservation does not exist (it may have been deleted).");
  return row;
}

export async function updateReservation(
  db: Db,
  actorId: string,
  id: string,
  input: unknown,
): Promise<{ display: string }> {
  const { isPublic, owners, reason } = updateReservationSchema.parse(input);
  const row = await findReservation(db, id);
  const users = await resolveUsernames(db, owners);
  await assertVisibilityConsistent(db, { pattern: row.pattern, isPrefix: row.isPrefix, isPublic, id });
  const before = new Set(row.owners.map((owner) => owner.user.username));
  const after = new Set(users.map((user) => user.username));
  const display = displayReservationPattern(row);
  await db.$transaction(async (tx) => {
    await tx.prefixReservationOwner.deleteMany({
      where: { reservationId: id, userId: { notIn: users.map((user) => user.id) } },
    });
    const kept = new Set(row.owners.map((owner) => owner.user.id));
    await tx.prefixReservationOwner.createMany({
      data: users.filter((user) => !kept.has(user.id)).map((user) => ({ reservationId: id, userId: user.id })),
    });
    await tx.prefixReservation.update({ where: { id }, data: { isPublic } });
    await refreshVerifiedIds(tx, [row.patternLower]);
    await recordAuditEntry(tx, {
      actorId,
      action: "prefix.update",
      targetType: "PrefixReservation",
      targetId: id,
      reason,
      details: {
        pattern: display,
        isPublic,
        ownersAdded: [...after].filter((username) => !before.has(username)),
        ownersRemoved: [...before].filter((username) => !after.has(username)),
      },
    });
  }, RESERVATION_TRANSACTION);
  return { display };
}

export async function deleteReservation(
  db: Db,
  actorId: string,
  id: string,
  input: unknown,
): Promise<{ display: string }> {
  const { reason } = deleteReservationSchema.parse(input);
  const row = await findReservation(db, id);
  const display = displayReservationPattern(row);
  await db.$transaction(async (tx) => {
    await tx.prefixReservation.delete({ where: { id } });
    await refreshVerifiedIds(tx, [row.patternLower]);
    await recordAuditEntry(tx, {
      actorId,
      action: "prefix.delete",
      targetType: "PrefixReservation",
      targetId: id,
      reason,
      details: { pattern: display, isPublic: row.isPublic, owners: row.owners.map((owner) => owner.user.username) },
    });
  }, RESERVATION_TRANSACTION);
  return { display };
}
