// Server-side sessions. next-auth's cookie is a signed JWT that would otherwise stay valid for
// its whole lifetime; here it carries a random session id, and the cookie counts only while
// that id's row exists and has not expired. Ending a row ends the session everywhere at once.
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db";

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/** Starts a session for a user who has just proved who they are (with a second factor or not); returns its id. */
export async function openSession(
  db: Db,
  userId: string,
  { secondFactor = false, now = new Date() } = {},
): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  await db.session.create({
    data: {
      id,
      userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
      secondFactorAt: secondFactor ? now : null,
    },
  });
  // Expired rows of this user are of no use to anyone; tidy them while we are here.
  await db.session.deleteMany({ where: { userId, expiresAt: { lt: now } } });
  return id;
}

/** Whether the session is still open for this user. */
export async function isSessionLive(db: Db, sessionId: string, userId: string, now = new Date()): Promise<boolean> {
  const session = await db.session.findUnique({ where: { id: sessionId }, select: { userId: true, expiresAt: true } });
  return session !== null && session.userId === userId && session.expiresAt > now;
}

/** Sign-out: this session only. */
export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}

/**
 * Every session of the account, except `keep` (the session that made the change, when it should
 * stay signed in): after a password change, a lock, or a change of second factors.
 */
export async function endUserSessions(db: Pick<Db, "session">, userId: string, keep?: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { userId, ...(keep ? { id: { not: keep } } : {}) } });
  return count;
}
