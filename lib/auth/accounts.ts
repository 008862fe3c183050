// Creating accounts and checking credentials: the rules behind the sign-up and sign-in forms,
// the GitHub provider and the admin command.
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db";
import type { User } from "@/generated/prisma/sqlite/client";
import { z } from "zod";
import {
  PASSWORD_MAX_LENGTH,
  emailSchema,
  fieldErrorsOf,
  newPasswordSchema,
  signInSchema,
  signUpSchema,
  type FieldErrors,
} from "@/lib/auth/forms";
import { hashPassword, spendPasswordCheckTime, verifyPassword } from "@/lib/auth/password";
import { passwordProblem } from "@/lib/auth/password-policy";
import { endUserSessions } from "@/lib/auth/sessions";
import { hasSecondFactor, useSecondFactorCode } from "@/lib/auth/second-factor";
import type { ConcurrencyGate } from "@/lib/auth/hashing-gate";
import type { SignInThrottle } from "@/lib/auth/throttle";
import { verifyPasskey, type PasskeyChallenges, type RelyingParty } from "@/lib/auth/webauthn";
import { IssueError } from "@/lib/issues";

/**
 * A sign-up never says whether the email already has an account: `created` is null when it did,
 * and nothing changes (a deployment with mail would tell the address's owner). Both paths hash
 * the password, so they take the same time. Usernames are public (they name package owners), so
 * a taken one is said plainly.
 */
export type SignUpResult = { ok: true; created: User | null } | { ok: false; fieldErrors: FieldErrors };

export const USERNAME_TAKEN_MESSAGE = "This username is taken. Choose another one.";

export async function registerUser(db: Db, input: unknown, hashing: ConcurrencyGate): Promise<SignUpResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const { email, username, password } = parsed.data;
  // Usernames are unique whatever their case; the typed form is kept as the display name.
  const usernameKey = username.toLowerCase();
  const weak = passwordProblem(password, { email, username });
  if (weak) return { ok: false, fieldErrors: { password: weak } };
  if (await usernameTaken(db, usernameKey)) return { ok: false, fieldErrors: { username: USERNAME_TAKEN_MESSAGE } };
  const passwordHash = await hashPassword(password, hashing);
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) return { ok: true, created: null };
  try {
    return {
      ok: true,
      created: await db.user.create({ data: { email, username: usernameKey, displayName: username, passwordHash } }),
    };
  } catch (error) {
    // Another sign-up with the same username or email won the race since the checks above.
    if (await usernameTaken(db, usernameKey)) return { ok: false, fieldErrors: { username: USERNAME_TAKEN_MESSAGE } };
    if (await db.user.findUnique({ where: { email }, select: { id: true } })) return { ok: true, created: null };
    throw error;
  }
}

async function usernameTaken(db: Db, username: string): Promise<boolean> {
  return (await db.user.findUnique({ where: { username }, select: { id: true } })) !== null;
}

export type SignInFailure =
  "INVALID_CREDENTIALS" | "ACCOUNT_LOCKED" | "SIGN_IN_THROTTLED" | "SECOND_FACTOR_REQUIRED" | "SECOND_FACTOR_INVALID";
/** `secondFactor`: whether a second factor was proved (the new session starts with it fresh). */
export type SignInResult =
  { ok: true; user: User; secondFactor: boolean } | { ok: false; reason: SignInFailure; retryAfterSeconds?: number };

/** A password typed by someone, and what checking it uses: the process's own from lib/services.ts, or a test's. */
export interface PasswordCheck {
  /** The client address the attempt came from (lib/http/client-address.ts clientAddress). */
  address: string;
  throttle: SignInThrottle;
  hashing: ConcurrencyGate;
}

export interface SignInAttempt extends PasswordCheck {
  /** Where passkey responses must come from. */
  relyingParty?: RelyingParty;
  passkeyChallenges: PasskeyChallenges;
}

/**
 * Checks an email and password. Throttled attempts are refused before any hashing; every wrong
 * password, for an account or not, counts against the address and the email typed.
 */
export async function authenticateWithPassword(db: Db, input: unknown, attempt: SignInAttempt): Promise<SignInResult> {
  const { throttle, hashing } = attempt;
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "INVALID_CREDENTIALS" };
  const { email, password, otp, webauthn } = parsed.data;
  const decision = throttle.checkSignIn(attempt.address, email);
  if (!decision.allowed)
    return { ok: false, reason: "SIGN_IN_THROTTLED", retryAfterSeconds: decision.retryAfterSeconds };
  const user = await db.user.findUnique({ where: { email } });
  const matches = user?.passwordHash
    ? await verifyPassword(password, user.passwordHash, hashing)
    : await spendPasswordCheckTime(password, hashing);
  if (!user || !matches) {
    throttle.recordFailure(attempt.address, email);
    return { ok: false, reason: "INVALID_CREDENTIALS" };
  }
  // Said only to someone who knows the password, so it does not reveal locked accounts.
  if (user.lockedAt) return { ok: false, reason: "ACCOUNT_LOCKED" };
  if (!(await hasSecondFactor(db, user.id))) {
    throttle.recordSuccess(email);
    return { ok: true, user, secondFactor: false };
  }
  if (!otp && !webauthn) return { ok: false, reason: "SECOND_FACTOR_REQUIRED" };
  const proved = otp
    ? (await useSecondFactorCode(db, user.id, otp)) !== null
    : attempt.relyingParty !== undefined &&
      (await verifyPasskey(db, attempt.passkeyChallenges, user.id, attempt.relyingParty, parseJson(webauthn ?? "")));
  if (!proved) {
    throttle.recordFailure(attempt.address, email);
    return { ok: false, reason: "SECOND_FACTOR_INVALID" };
  }
  throttle.recordSuccess(email);
  return { ok: true, user, secondFactor: true };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export const passwordChangeSchema = z.object({
  currentPassword: z
    .string({ error: "Enter your current password." })
    .min(1, "Enter your current password.")
    .max(PASSWORD_MAX_LENGTH * 4),
  newPassword: newPasswordSchema("Choose a new password."),
});

/**
 * Changes the signed-in user's password after checking the current one (wrong ones count
 * against the sign-in throttle), and ends every other session of the account.
 */
export async function changePassword(
  db: Db,
  user: { id: string; email: string; username: string; sessionId: string },
  input: unknown,
  attempt: PasswordCheck,
): Promise<void> {
  const { currentPassword, newPassword } = passwordChangeSchema.parse(input);
  const { throttle, hashing } = attempt;
  const decision = throttle.checkSignIn(attempt.address, user.email);
  if (!decision.allowed)
    throw new IssueError(
      "SIGN_IN_THROTTLED",
      `Too many wrong passwords. Try again in ${decision.retryAfterSeconds} seconds.`,
    );
  const stored = await db.user.findUnique({ where: { id: user.id }, select: { passwordHash: true } });
  if (!stored?.passwordHash || !(await verifyPassword(currentPassword, stored.passwordHash, hashing))) {
    throttle.recordFailure(attempt.address, user.email);
    throw new IssueError("WRONG_PASSWORD", "Your current password is not right.");
  }
  const weak = passwordProblem(newPassword, user);
  if (weak) throw new IssueError("WEAK_PASSWORD", weak);
  const passwordHash = await hashPassword(newPassword, hashing);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await endUserSessions(tx, user.id, user.sessionId);
  });
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
      data: {
        email,
        username: await freeUsername(db, identity.login.toLowerCase() || `github-${identity.githubId}`),
        displayName: identity.login || null,
      },
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
export async function grantAdmin(db: Db, rawEmail: string, hashing: ConcurrencyGate): Promise<AdminGrant> {
  const parsed = emailSchema.safeParse(rawEmail);
  if (!parsed.success)
    throw new IssueError("INVALID_EMAIL", parsed.error.issues[0]?.message ?? "Enter a valid email address.");
  const email = parsed.data;
  const existing = await db.user.findUnique({ where: { email } });
  if (existing) {
    return {
      user: await db.user.update({ where: { id: existing.id }, data: { role: "ADMIN" } }),
      generatedPassword: null,
    };
  }
  const generatedPassword = randomBytes(18).toString("base64url");
  const localPart = email.split("@")[0]?.replace(/[^a-z0-9._-]/g, "") || "admin";
  const user = await db.user.create({
    data: {
      email,
      username: await freeUsername(db, localPart),
      role: "ADMIN",
      passwordHash: await hashPassword(generatedPassword, hashing),
    },
  });
  return { user, generatedPassword };
}
