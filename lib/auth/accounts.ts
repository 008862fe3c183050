// Creating accounts and checking credentials: the rules behind the sign-up and sign-in forms,
// the GitHub provider and the admin command.
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db";
import type { User } from "@/generated/prisma/sqlite/client";
import { emailSchema, fieldErrorsOf, signInSchema, signUpSchema, type FieldErrors } from "@/lib/auth/forms";
import { hashPassword, spendPasswordCheckTime, verifyPassword } from "@/lib/auth/password";
import { IssueError } from "@/lib/issues";

export type SignUpResult = { ok: true; user: User } | { ok: false; fieldErrors: FieldErrors };

export const DUPLICATE_EMAIL_MESSAGE = "An account with this email address already exists. Sign in instead.";
export const DUPLICATE_USERNAME_MESSAGE = "This username is taken. Choose another one.";

export async function registerUser(db: Db, input: unknown): Promise<SignUpResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const { email, username, password } = parsed.data;
  // Usernames are unique whatever their case; the typed form is kept as the display name.
  const usernameKey = username.toLowerCase();
  const duplicates = await duplicateFields(db, email, usernameKey);
  if (duplicates) return { ok: false, fieldErrors: duplicates };
  try {
    const user = await db.user.create({
      data: { email, username: usernameKey, displayName: username, passwordHash: await hashPassword(password) },
    });
    return { ok: true, user };
  } catch (error) {
    // Another sign-up with the same email or username won the race since the check above.
    const raced = await duplicateFields(db, email, usernameKey);
    if (raced) return { ok: false, fieldErrors: raced };
    throw error;
  }
}

async function duplicateFields(db: Db, email: string, username: string): Promise<FieldErrors | null> {
  const [byEmail, byUsername] = await Promise.all([
    db.user.findUnique({ where: { email }, select: { id: true } }),
    db.user.findUnique({ where: { username }, select: { id: true } }),
  ]);
  if (!byEmail && !byUsername) return null;
  return {
    ...(byEmail ? { email: DUPLICATE_EMAIL_MESSAGE } : {}),
    ...(byUsername ? { username: DUPLICATE_USERNAME_MESSAGE } : {}),
  };
}

export type SignInFailure = "INVALID_CREDENTIALS" | "ACCOUNT_LOCKED";
export type SignInResult = { ok: true; user: User } | { ok: false; reason: SignInFailure };

export async function authenticateWithPassword(db: Db, input: unknown): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "INVALID_CREDENTIALS" };
  const { email, password } = parsed.data;
  const user = await db.user.findUnique({ where: { email } });
  if (!user?.passwordHash) {
    await spendPasswordCheckTime(password);
    return { ok: false, reason: "INVALID_CREDENTIALS" };
  }
  if (!(await verifyPassword(password, user.passwordHash))) return { ok: false, reason: "INVALID_CREDENTIALS" };
  // Said only to someone who knows the password, so it does not reveal locked accounts.
  if (user.lockedAt) return { ok: false, reason: "ACCOUNT_LOCKED" };
  return { ok: true, user };
}

export interface GitHubIdentity {
  githubId: string;
  login: string;
  /** The account's primary email, only if GitHub has verified it. */
  verifiedEmail: string | null;
}

/**
 * Finds or creates the gallery account for a GitHub sign-in. An existing account is linked only
 * through an email address GitHub has verified, so nobody can take over an account by adding
 * its address to a GitHub profile.
 */
export async function linkGitHubAccount(db: Db, identity: GitHubIdentity): Promise<User> {
  const linked = await db.oAuthAccount.findUnique({
    where: { provider_providerAccountId: { provider: "github", providerAccountId: identity.githubId } },
    include: { user: true },
  });
  if (linked) return linked.user;
  if (!identity.verifiedEmail) {
    throw new IssueError(
      "GITHUB_EMAIL_UNVERIFIED",
      "Your GitHub account has no verified primary email address; verify one on GitHub and try again.",
    );
  }
  const email = identity.verifiedEmail.toLowerCase();
  const existing = await db.user.findUnique({ where: { email } });
  const user =
    existing ??
    (await db.user.create({
      data: { email, username: await freeUsername(db, identity.login.toLowerCase() || `github-${identity.githubId}`), displayName: identity.login || null },
    }));
  await db.oAuthAccount.create({ data: { userId: user.id, provider: "github", providerAccountId: identity.githubId } });
  return user;
}

async function freeUsername(db: Db, wanted: string): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const candidate = attempt === 0 ? wanted : `${wanted}-${attempt + 1}`;
    if (!(await db.user.findUnique({ where: { username: candidate }, select: { id: true } }))) return candidate;
  }
  return `${wanted}-${randomBytes(4).toString("hex")}`;
}

export interface AdminGrant {
  user: User;
  /** Set when the account was created by the grant: shown once, never stored in clear. */
  generatedPassword: string | null;
}

/** Makes the account with this email an admin, creating it (with a random password) if needed. */
export async function grantAdmin(db: Db, rawEmail: string): Promise<AdminGrant> {
  const parsed = emailSchema.safeParse(rawEmail);
  if (!parsed.success) throw new IssueError("INVALID_EMAIL", parsed.error.issues[0]?.message ?? "Enter a valid email address.");
  const email = parsed.data;
  const existing = await db.user.findUnique({ where: { email } });
  if (existing) {
    return { user: await db.user.update({ where: { id: existing.id }, data: { role: "ADMIN" } }), generatedPassword: null };
  }
  const generatedPassword = randomBytes(18).toString("base64url");
  const localPart = email.split("@")[0]?.replace(/[^a-z0-9._-]/g, "") || "admin";
  const user = await db.user.create({
    data: {
      email,
      username: await freeUsername(db, localPart),
      role: "ADMIN",
      passwordHash: await hashPassword(generatedPassword),
    },
  });
  return { user, generatedPassword };
}
