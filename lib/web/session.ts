// Who is signed in, for pages, server actions and API routes (it reads the process's database
// client from lib/services.ts, so it sits above it, in lib/web). The session token holds the user
// id and a server-side session id; both the session row and the account are read fresh from the
// database, so a sign-out, lock or role change applies at once.
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { authOptions } from "@/lib/web/auth-options";
import { requireRecentSecondFactor } from "@/lib/auth/second-factor";
import { isSessionLive } from "@/lib/auth/sessions";
import { assertSameOriginMutation, type MutationBody } from "@/lib/http/same-origin";
import { IssueError } from "@/lib/issues";
import { getDb } from "@/lib/services";
import type { CurrentUser } from "@/lib/auth/current-user";

export type { CurrentUser } from "@/lib/auth/current-user";

export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(authOptions());
  if (!session?.userId || !session.sessionId) return null;
  const db = getDb();
  if (!(await isSessionLive(db, session.sessionId, session.userId))) return null;
  const user = await db.user.findUnique({
    where: { id: session.userId },
    select: { id: true, email: true, username: true, displayName: true, role: true, createdAt: true, lockedAt: true },
  });
  if (!user || user.lockedAt) return null;
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    createdAt: user.createdAt,
    sessionId: session.sessionId,
  };
}

export function signInPath(returnTo: string): string {
  return `/signin?callbackUrl=${encodeURIComponent(returnTo)}`;
}

/** For pages: the signed-in user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(signInPath(returnTo));
  return user;
}

/** For pages: an admin, a redirect to sign-in when signed out, or the 403 page. */
export async function requireAdmin(returnTo: string): Promise<CurrentUser> {
  const user = await requireUser(returnTo);
  if (user.role !== "ADMIN") forbidden();
  return user;
}

/**
 * For API routes (inside withErrorHandling): a signed-in user, or a 401 JSON response. The
 * request is checked against cross-site forgery first (lib/http/same-origin.ts) whenever it
 * changes something, so no cookie-authenticated route can forget the check.
 */
export async function requireApiUser(request: Request, body?: MutationBody): Promise<CurrentUser> {
  assertSameOriginMutation(request, body);
  const user = await getCurrentUser();
  if (!user) throw new IssueError("UNAUTHENTICATED", "Sign in to do this.");
  return user;
}

/**
 * For the actions nuget.org protects with two-factor authentication (certificates, API keys,
 * owners, every admin change): a signed-in user whose session proved a second factor within the
 * last 15 minutes, or 403 SECOND_FACTOR_REQUIRED / STEP_UP_REQUIRED (lib/auth/second-factor.ts).
 */
export async function requireApiUserWithSecondFactor(request: Request): Promise<CurrentUser> {
  const user = await requireApiUser(request);
  await requireRecentSecondFactor(getDb(), user);
  return user;
}

/** For API routes (inside withErrorHandling): an admin, or a 401/403 JSON response. Changes also need a recent second factor. */
export async function requireApiAdmin(request: Request): Promise<CurrentUser> {
  const user = await requireApiUser(request);
  if (user.role !== "ADMIN") throw new IssueError("FORBIDDEN", "Only administrators can do this.");
  if (!["GET", "HEAD"].includes(request.method.toUpperCase())) await requireRecentSecondFactor(getDb(), user);
  return user;
}
