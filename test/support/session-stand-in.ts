// What the API tests put in place of next-auth's session lookup: the session a browser of
// `userId` would present, backed by a real Session row (lib/auth/sessions.ts) in the app's
// database, so the route handlers run their full session checks. Loaded inside vi.mock
// factories, after the module reset, so getDb() is the app's own database.
//
// By default the account has an authenticator app and the session proved it just now, as after
// a two-factor sign-in, so sensitive actions go through; test/api/second-factor.test.ts covers
// the accounts and sessions without.
export interface StandInSession {
  userId: string;
  sessionId: string;
  expires: string;
}

export async function standInSession(
  userId: string | undefined,
  { secondFactor = true } = {},
): Promise<StandInSession | null> {
  if (!userId) return null;
  const { getDb } = await import("@/lib/services");
  const db = getDb();
  const sessionId = `stand-in-${userId}`;
  const expiresAt = new Date(Date.now() + 86_400_000);
  // A cookie can outlive its account; there is then no row to stand behind it.
  if (!(await db.user.findUnique({ where: { id: userId }, select: { id: true } })))
    return { userId, sessionId, expires: expiresAt.toISOString() };
  const secondFactorAt = secondFactor ? new Date() : null;
  await db.session.upsert({
    where: { id: sessionId },
    create: { id: sessionId, userId, expiresAt, secondFactorAt },
    update: { secondFactorAt },
  });
  if (secondFactor) {
    await db.totpFactor.upsert({
      where: { userId },
      create: { userId, secret: "JBSWY3DPEHPK3PXP", confirmedAt: new Date() },
      update: {},
    });
  }
  return { userId, sessionId, expires: expiresAt.toISOString() };
}
