// Who owns a package, and how that changes: an owner invites another account by username, the
// invitee accepts (and becomes an owner) or declines; an owner removes another owner, or leaves.
// A package never loses its last owner. Admins may do what owners may. Every change is audited
// in the same transaction. Routes put the two-factor step-up in front of each change.
//
// The required signer must be an owner: when that owner is removed or leaves, the setting goes
// back to "any owner" and the answer says so, so the signing rule never names a stranger and
// never changes without the person who changed the owners being told.
import { recordAuditEntry } from "@/lib/audit";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import { refreshSearchDocuments } from "@/lib/search/search-index";
import type { Actor } from "@/lib/certificates/required-signer";

export interface PackageOwnership {
  packageId: string;
  owners: { userId: string; username: string; since: Date }[];
  /** Invitations waiting for an answer. */
  invitations: { id: string; username: string; invitedBy: string; createdAt: Date }[];
  /** Whether the reader is an owner (else an admin looking on). */
  readerIsOwner: boolean;
}

export interface OwnershipChange {
  message: string;
}

/** An invitation as its invitee sees it. */
export interface ReceivedInvitation {
  id: string;
  packageId: string;
  invitedBy: string;
  createdAt: Date;
}

async function loadRegistration(db: Db, packageId: string, actor: Actor) {
  const registration = await db.packageRegistration.findUnique({
    where: { packageIdLower: packageId.toLowerCase() },
    select: {
      id: true,
      packageId: true,
      requiredSignerId: true,
      owners: {
        orderBy: { createdAt: "asc" },
        select: { userId: true, createdAt: true, user: { select: { username: true } } },
      },
    },
  });
  if (!registration) throw new IssueError("PACKAGE_NOT_FOUND", `There is no package '${packageId}'.`);
  const isOwner = registration.owners.some((owner) => owner.userId === actor.id);
  if (!isOwner && actor.role !== "ADMIN")
    throw new IssueError("PACKAGE_FORBIDDEN", `Only owners of '${registration.packageId}' can manage its owners.`);
  return { ...registration, isOwner };
}

/** The owners and pending invitations of a package, for one of its owners or an admin. */
export async function readOwnership(db: Db, packageId: string, actor: Actor): Promise<PackageOwnership> {
  const registration = await loadRegistration(db, packageId, actor);
  const invitations = await db.packageOwnerInvitation.findMany({
    where: { registrationId: registration.id },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      createdAt: true,
      invitee: { select: { username: true } },
      inviter: { select: { username: true } },
    },
  });
  return {
    packageId: registration.packageId,
    owners: registration.owners.map((owner) => ({
      userId: owner.userId,
      username: owner.user.username,
      since: owner.createdAt,
    })),
    invitations: invitations.map((invitation) => ({
      id: invitation.id,
      username: invitation.invitee.username,
      invitedBy: invitation.inviter.username,
      createdAt: invitation.createdAt,
    })),
    readerIsOwner: registration.isOwner,
  };
}

/** Invites `username` to co-own the package; asking again for someone already invited changes nothing. */
export async function inviteOwner(db: Db, packageId: string, actor: Actor, username: string): Promise<OwnershipChange> {
  const registration = await loadRegistration(db, packageId, actor);
  const invitee = await db.user.findFirst({
    where: { username: username.trim() },
    select: { id: true, username: true, lockedAt: true },
  });
  if (!invitee)
    throw new IssueError(
      "USER_NOT_FOUND",
      `There is no account named '${username.trim()}'. Check the spelling: usernames are matched exactly.`,
    );
  if (registration.owners.some((owner) => owner.userId === invitee.id)) {
    throw new IssueError("OWNER_ALREADY", `${invitee.username} already owns '${registration.packageId}'.`);
  }
  if (invitee.lockedAt)
    throw new IssueError("USER_LOCKED", `${invitee.username}'s account is locked, so it cannot be invited.`);
  await db.$transaction(async (tx) => {
    const existing = await tx.packageOwnerInvitation.findUnique({
      where: { registrationId_inviteeId: { registrationId: registration.id, inviteeId: invitee.id } },
      select: { id: true },
    });
    if (existing) return;
    const invitation = await tx.packageOwnerInvitation.create({
      data: { registrationId: registration.id, inviteeId: invitee.id, inviterId: actor.id },
      select: { id: true },
    });
    await recordAuditEntry(tx, {
      actorId: actor.id,
      action: "package.owner.invite",
      targetType: "PackageRegistration",
      targetId: registration.id,
      details: { packageId: registration.packageId, invitee: invitee.username, invitationId: invitation.id },
    });
  });
  return {
    message: `${invitee.username} is invited to co-own '${registration.packageId}'. They become an owner when they accept, on their account page.`,
  };
}

/** Withdraws an invitation that is still waiting (an owner or admin of its package). */
export async function cancelInvitation(
  db: Db,
  packageId: string,
  actor: Actor,
  invitationId: string,
): Promise<OwnershipChange> {
  const registration = await loadRegistration(db, packageId, actor);
  const invitation = await db.packageOwnerInvitation.findFirst({
    where: { id: invitationId, registrationId: registration.id },
    select: { id: true, invitee: { select: { username: true } } },
  });
  if (!invitation) throw new IssueError("INVITATION_NOT_FOUND", "That invitation was already answered or withdrawn.");
  await db.$transaction(async (tx) => {
    await tx.packageOwnerInvitation.delete({ where: { id: invitation.id } });
    await recordAuditEntry(tx, {
      actorId: actor.id,
      action: "package.owner.uninvite",
      targetType: "PackageRegistration",
      targetId: registration.id,
      details: { packageId: registration.packageId, invitee: invitation.invitee.username },
    });
  });
  return { message: `The invitation to ${invitation.invitee.username} is withdrawn.` };
}

/** The invitations waiting for this user's answer, oldest first. */
export async function receivedInvitations(db: Db, userId: string): Promise<ReceivedInvitation[]> {
  const rows = await db.packageOwnerInvitation.findMany({
    where: { inviteeId: userId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      createdAt: true,
      registration: { select: { packageId: true } },
      inviter: { select: { username: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    packageId: row.registration.packageId,
    invitedBy: row.inviter.username,
    createdAt: row.createdAt,
  }));
}

/** The invitee accepts (becomes an owner) or declines; either way the invitation is gone. */
export async function answerInvitation(
  db: Db,
  user: { id: string },
  invitationId: string,
  accept: boolean,
): Promise<OwnershipChange> {
  const invitation = await db.packageOwnerInvitation.findFirst({
    where: { id: invitationId, inviteeId: user.id },
    select: { id: true, registrationId: true, registration: { select: { packageId: true } } },
  });
  if (!invitation)
    throw new IssueError(
      "INVITATION_NOT_FOUND",
      "There is no such invitation waiting for you: it was answered or withdrawn.",
    );
  const { packageId } = invitation.registration;
  await db.$transaction(async (tx) => {
    // Deleting first makes a second answer (another tab) find nothing rather than add the owner twice.
    const { count } = await tx.packageOwnerInvitation.deleteMany({ where: { id: invitation.id } });
    if (count !== 1) throw new IssueError("INVITATION_NOT_FOUND", "That invitation was answered in the meantime.");
    if (accept) {
      await tx.packageOwner.create({ data: { registrationId: invitation.registrationId, userId: user.id } });
      // Search's owner: filter and verified mark read the owners from the package's documents.
      await refreshSearchDocuments(tx, [invitation.registrationId]);
    }
    await recordAuditEntry(tx, {
      actorId: user.id,
      action: accept ? "package.owner.accept" : "package.owner.decline",
      targetType: "PackageRegistration",
      targetId: invitation.registrationId,
      details: { packageId },
    });
  });
  return { message: accept ? `You now co-own '${packageId}'.` : `You declined to co-own '${packageId}'.` };
}

/**
 * Removes `username` from the owners (an owner removing another, an owner leaving, or an admin).
 * The last owner cannot go; a removed required signer resets the setting to any owner.
 */
export async function removeOwner(db: Db, packageId: string, actor: Actor, username: string): Promise<OwnershipChange> {
  const registration = await loadRegistration(db, packageId, actor);
  const leaving = registration.owners.find((owner) => owner.user.username === username);
  if (!leaving) throw new IssueError("OWNER_NOT_FOUND", `${username} is not an owner of '${registration.packageId}'.`);
  if (registration.owners.length === 1) {
    throw new IssueError(
      "LAST_OWNER",
      `${username} is the only owner of '${registration.packageId}': invite another owner first, so the package is never left without one.`,
    );
  }
  const wasRequiredSigner = registration.requiredSignerId === leaving.userId;
  await db.$transaction(async (tx) => {
    const { count } = await tx.packageOwner.deleteMany({
      where: { registrationId: registration.id, userId: leaving.userId },
    });
    // Another request removed the other owners meanwhile: keep this one rather than leave none.
    if (count !== 1 || (await tx.packageOwner.count({ where: { registrationId: registration.id } })) === 0) {
      throw new IssueError(
        "LAST_OWNER",
        `'${registration.packageId}' would be left without an owner; reload and try again.`,
      );
    }
    if (wasRequiredSigner)
      await tx.packageRegistration.update({ where: { id: registration.id }, data: { requiredSignerId: null } });
    await refreshSearchDocuments(tx, [registration.id]);
    await recordAuditEntry(tx, {
      actorId: actor.id,
      action: leaving.userId === actor.id ? "package.owner.leave" : "package.owner.remove",
      targetType: "PackageRegistration",
      targetId: registration.id,
      details: { packageId: registration.packageId, owner: username, requiredSignerReset: wasRequiredSigner },
    });
  });
  const who =
    leaving.userId === actor.id
      ? `You no longer own '${registration.packageId}'.`
      : `${username} no longer owns '${registration.packageId}'.`;
  return {
    message: wasRequiredSigner
      ? `${who} ${username} was its required signer, so packages signed with any remaining owner's registered certificate are accepted again.`
      : who,
  };
}
