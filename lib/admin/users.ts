// Accounts as admins see and change them: search, the admin role, and locking. A lock or role
// change applies on the account's next request, because lib/web/session.ts reads both from
// the database every time; a locked account cannot sign in (lib/auth/accounts.ts) or push.
import { z } from "zod";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import { optionalReasonSchema, recordAuditEntry, requiredReasonSchema } from "@/lib/audit";
import { endUserSessions } from "@/lib/auth/sessions";

export interface UserRef {
  id: string;
  username: string;
}

/**
 * The accounts with these usernames (usernames are stored lower-case), in the order given and
 * without repeats; throws UNKNOWN_USERNAME naming every one that does not exist.
 */
export async function resolveUsernames(db: Db, usernames: readonly string[]): Promise<UserRef[]> {
  const wanted = [...new Set(usernames.map((username) => username.trim().toLowerCase()).filter(Boolean))];
  if (wanted.length === 0) return [];
  const found = await db.user.findMany({ where: { username: { in: wanted } }, select: { id: true, username: true } });
  const byUsername = new Map(found.map((user) => [user.username, user]));
  const missing = wanted.filter((username) => !byUsername.has(username));
  if (missing.length > 0) {
    const names = missing.map((username) => `'${username}'`).join(", ");
    throw new IssueError(
      "UNKNOWN_USERNAME",
      missing.length === 1 ? `No account has the username ${names}.` : `No accounts have the usernames ${names}.`,
    );
  }
  return wanted.flatMap((username) => byUsername.get(username) ?? []);
}

export interface AdminUserView {
  id: string;
  username: string;
  email: string;
  displayName: string | null;
  role: "USER" | "ADMIN";
  lockedAt: Date | null;
  lockedReason: string | null;
  createdAt: Date;
  packageCount: number;
  certificateCount: number;
}

export const USER_LIST_LIMIT = 200;

/**
 * Accounts whose username or email contains `query` in any case (both are stored lower-case),
 * or whose display name contains it as typed; newest first, at most USER_LIST_LIMIT.
 */
export async function searchUsers(db: Db, query = ""): Promise<AdminUserView[]> {
  const text = query.trim();
  const needle = text.toLowerCase();
  const rows = await db.user.findMany({
    where: text
      ? {
          OR: [
            { username: { contains: needle } },
            { email: { contains: needle } },
            { displayName: { contains: text } },
          ],
        }
      : {},
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: USER_LIST_LIMIT,
    select: {
      id: true,
      username: true,
      email: true,
      displayName: true,
      role: true,
      lockedAt: true,
      lockedReason: true,
      createdAt: true,
      _count: { select: { packageOwnerships: true, certificates: true } },
    },
  });
  return rows.map(({ _count, ...row }) => ({
    ...row,
    packageCount: _count.packageOwnerships,
    certificateCount: _count.certificates,
  }));
}

export const changeUserSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("make-admin"), reason: optionalReasonSchema }),
  z.object({ action: z.literal("remove-admin"), reason: optionalReasonSchema }),
  z.object({ action: z.literal("lock"), reason: requiredReasonSchema }),
  z.object({ action: z.literal("unlock"), reason: optionalReasonSchema }),
]);
export type UserChange = z.input<typeof changeUserSchema>;

const CHANGES = {
  "make-admin": {
    data: () => ({ role: "ADMIN" as const }),
    done: (username: string) => `${username} is now an administrator.`,
  },
  "remove-admin": {
    data: () => ({ role: "USER" as const }),
    done: (username: string) => `${username} is no longer an administrator.`,
  },
  lock: {
    data: (reason: string | null, now: Date) => ({ lockedAt: now, lockedReason: reason }),
    done: (username: string) => `${username} is locked: they cannot sign in or push.`,
  },
  unlock: {
    data: () => ({ lockedAt: null, lockedReason: null }),
    done: (username: string) => `${username} is unlocked.`,
  },
} as const;

/**
 * Makes or removes an admin, locks or unlocks an account, with an audit entry. Admins cannot
 * do any of this to themselves: a slip would lock them out with nobody left to undo it.
 */
export async function changeUser(
  db: Db,
  actorId: string,
  userId: string,
  input: unknown,
  now = new Date(),
): Promise<{ message: string }> {
  const change = changeUserSchema.parse(input);
  if (userId === actorId) {
    throw new IssueError(
      "OWN_ACCOUNT_FORBIDDEN",
      "You cannot change your own role or lock your own account; ask another administrator.",
    );
  }
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, username: true } });
  if (!user) throw new IssueError("USER_NOT_FOUND", "This account does not exist.");
  const rule = CHANGES[change.action];
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: rule.data(change.reason, now) });
    // A lock ends the account's sessions, so an unlock later does not bring old cookies back.
    if (change.action === "lock") await endUserSessions(tx, userId);
    await recordAuditEntry(tx, {
      actorId,
      action: `user.${change.action}`,
      targetType: "User",
      targetId: userId,
      reason: change.reason,
      details: { username: user.username },
    });
  });
  return { message: rule.done(user.username) };
}
