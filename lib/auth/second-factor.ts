// Two-factor authentication (issue 14; nuget.org requires it for certificates): an authenticator
// app (TOTP through the otpauth library), single-use recovery codes, and passkeys
// (lib/auth/webauthn.ts). An account with any of them must present one at every sign-in.
// Registering or removing certificates, creating API keys, changing owners and every admin
// action need an account with a second factor whose session proved it within the last 15
// minutes; older sessions are asked again ("step-up").
import { createHash, randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import type { CurrentUser } from "@/lib/auth/current-user";
import { endUserSessions } from "@/lib/auth/sessions";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";

export const STEP_UP_MAX_AGE_MS = 15 * 60_000;
const TOTP_PERIOD_SECONDS = 30;
const TOTP_DIGITS = 6;
// One step either side allows for clocks a little apart and a code typed as it rolls over.
const TOTP_WINDOW = 1;
const RECOVERY_CODE_COUNT = 10;
const ISSUER = "Signet";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

function totp(secret: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

function timeStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The time step a code belongs to, or null when it matches none near `now`. */
function matchingStep(secret: string, code: string, now: Date): number | null {
  const delta = totp(secret, "").validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW });
  return delta === null ? null : timeStep(now) + delta;
}

export async function hasSecondFactor(db: Db, userId: string): Promise<boolean> {
  const [app, passkeys] = await Promise.all([
    db.totpFactor.findFirst({ where: { userId, confirmedAt: { not: null } }, select: { userId: true } }),
    db.webAuthnCredential.count({ where: { userId } }),
  ]);
  return app !== null || passkeys > 0;
}

export interface SecondFactorSummary {
  authenticatorApp: boolean;
  passkeys: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }[];
  recoveryCodesLeft: number;
}

export async function secondFactorSummary(db: Db, userId: string): Promise<SecondFactorSummary> {
  const [app, passkeys, recoveryCodesLeft] = await Promise.all([
    db.totpFactor.findFirst({ where: { userId, confirmedAt: { not: null } }, select: { userId: true } }),
    db.webAuthnCredential.findMany({
      where: { userId },
      select: { id: true, name: true, createdAt: true, lastUsedAt: true },
      orderBy: { createdAt: "asc" },
    }),
    db.recoveryCode.count({ where: { userId, usedAt: null } }),
  ]);
  return { authenticatorApp: app !== null, passkeys, recoveryCodesLeft };
}

/** Records that this session has just proved a second factor. */
export async function markSecondFactorProved(db: Db | Tx, sessionId: string, now = new Date()): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId }, data: { secondFactorAt: now } });
}

/**
 * For sensitive API actions: refuses with SECOND_FACTOR_REQUIRED (no factor yet) or
 * STEP_UP_REQUIRED (this session has not proved one in the last 15 minutes).
 */
export async function requireRecentSecondFactor(db: Db, user: CurrentUser, now = new Date()): Promise<void> {
  if (!(await hasSecondFactor(db, user.id))) {
    throw new IssueError(
      "SECOND_FACTOR_REQUIRED",
      "This needs two-factor authentication. Set up an authenticator app or a passkey on your account's Security page (/account/security) first.",
    );
  }
  const session = await db.session.findUnique({ where: { id: user.sessionId }, select: { secondFactorAt: true } });
  const provedAt = session?.secondFactorAt?.getTime() ?? 0;
  if (now.getTime() - provedAt > STEP_UP_MAX_AGE_MS) {
    throw new IssueError(
      "STEP_UP_REQUIRED",
      "Confirm it is you: enter a code from your authenticator app or a recovery code, or use a passkey. This is asked again 15 minutes after the last time.",
    );
  }
}

export interface TotpEnrolment {
  secret: string;
  /** otpauth:// URI for authenticator apps (shown as a QR code). */
  uri: string;
}

/** Starts (or restarts) adding an authenticator app; it counts only once a code confirms it. */
export async function beginTotpEnrolment(db: Db, user: Pick<CurrentUser, "id" | "email">): Promise<TotpEnrolment> {
  const existing = await db.totpFactor.findUnique({ where: { userId: user.id }, select: { confirmedAt: true } });
  if (existing?.confirmedAt) {
    throw new IssueError(
      "AUTHENTICATOR_APP_EXISTS",
      "An authenticator app is already set up. Remove it first to set up another.",
    );
  }
  const secret = new Secret({ size: 20 }).base32;
  await db.totpFactor.upsert({
    where: { userId: user.id },
    create: { userId: user.id, secret },
    update: { secret, lastUsedStep: null },
  });
  return { secret, uri: totp(secret, user.email).toString() };
}

function recoveryCodeDigest(code: string): string {
  return createHash("sha256").update(code.replace(/[\s-]/g, "").toLowerCase()).digest("hex");
}

/** Ten fresh codes ("xxxxx-xxxxx", 50 random bits each); any earlier ones stop working. */
async function replaceRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i to misread
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(10);
    const characters = [...bytes].map((byte) => alphabet[byte % alphabet.length]).join("");
    return `${characters.slice(0, 5)}-${characters.slice(5)}`;
  });
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: recoveryCodeDigest(code) })) });
  return codes;
}

/**
 * A change of second factors ends the account's other sessions (someone who had stolen one
 * must sign in again, now with the factor) and counts as proof for this one. The first factor
 * brings recovery codes, returned once.
 */
async function afterFactorsChanged(
  tx: Tx,
  userId: string,
  sessionId: string,
  now: Date,
  issueRecoveryCodes: boolean,
): Promise<string[] | null> {
  await endUserSessions(tx, userId, sessionId);
  await markSecondFactorProved(tx, sessionId, now);
  return issueRecoveryCodes ? replaceRecoveryCodes(tx, userId) : null;
}

async function hasUnusedRecoveryCodes(db: Db | Tx, userId: string): Promise<boolean> {
  return (await db.recoveryCode.count({ where: { userId, usedAt: null } })) > 0;
}

/** Confirms the authenticator app with a code from it; returns recovery codes if the account had none. */
export async function confirmTotpEnrolment(
  db: Db,
  user: CurrentUser,
  code: string,
  now = new Date(),
): Promise<{ recoveryCodes: string[] | null }> {
  const pending = await db.totpFactor.findUnique({ where: { userId: user.id } });
  if (!pending || pending.confirmedAt) {
    throw new IssueError(
      "AUTHENTICATOR_APP_NOT_STARTED",
      "Start setting up the authenticator app first; its secret is shown then.",
    );
  }
  const step = /^\d{6}$/.test(code.trim()) ? matchingStep(pending.secret, code.trim(), now) : null;
  if (step === null)
    throw new IssueError(
      "INVALID_CODE",
      "That code does not match. Check the app shows Signet and that this device's clock is right, then try the newest code.",
    );
  const recoveryCodes = await db.$transaction(async (tx) => {
    await tx.totpFactor.update({ where: { userId: user.id }, data: { confirmedAt: now, lastUsedStep: step } });
    return afterFactorsChanged(tx, user.id, user.sessionId, now, !(await hasUnusedRecoveryCodes(tx, user.id)));
  });
  return { recoveryCodes };
}

/** Called after a passkey is stored: the same bookkeeping as for an authenticator app. */
export async function afterPasskeyAdded(
  db: Db,
  user: CurrentUser,
  now = new Date(),
): Promise<{ recoveryCodes: string[] | null }> {
  const recoveryCodes = await db.$transaction(async (tx) =>
    afterFactorsChanged(tx, user.id, user.sessionId, now, !(await hasUnusedRecoveryCodes(tx, user.id))),
  );
  return { recoveryCodes };
}

/** Removes the authenticator app or a passkey (the caller has required a recent second factor). */
export async function removeSecondFactor(
  db: Db,
  user: CurrentUser,
  factor: { kind: "authenticator-app" } | { kind: "passkey"; id: string },
  now = new Date(),
): Promise<void> {
  await db.$transaction(async (tx) => {
    const removed =
      factor.kind === "authenticator-app"
        ? await tx.totpFactor.deleteMany({ where: { userId: user.id, confirmedAt: { not: null } } })
        : await tx.webAuthnCredential.deleteMany({ where: { id: factor.id, userId: user.id } });
    if (removed.count === 0)
      throw new IssueError("SECOND_FACTOR_NOT_FOUND", "That second factor is not on your account.");
    const left =
      (await tx.totpFactor.count({ where: { userId: user.id, confirmedAt: { not: null } } })) +
      (await tx.webAuthnCredential.count({ where: { userId: user.id } }));
    // Recovery codes stand in for a factor; with none left they would be a factor of their own.
    if (left === 0) await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    await endUserSessions(tx, user.id, user.sessionId);
    if (left === 0) await tx.session.updateMany({ where: { id: user.sessionId }, data: { secondFactorAt: null } });
    else await markSecondFactorProved(tx, user.sessionId, now);
  });
}

/** New recovery codes (the caller has required a recent second factor); the old ones stop working. */
export async function regenerateRecoveryCodes(db: Db, user: CurrentUser): Promise<string[]> {
  if (!(await hasSecondFactor(db, user.id)))
    throw new IssueError("SECOND_FACTOR_REQUIRED", "Recovery codes come with a second factor; set one up first.");
  return db.$transaction((tx) => replaceRecoveryCodes(tx, user.id));
}

/**
 * Checks a code from the authenticator app (six digits) or a recovery code, and uses it up: an
 * app code's time step, or the recovery code, is never accepted again.
 */
export async function useSecondFactorCode(
  db: Db,
  userId: string,
  rawCode: string,
  now = new Date(),
): Promise<"authenticator-app" | "recovery-code" | null> {
  const code = rawCode.replace(/[\s-]/g, "");
  if (/^\d{6}$/.test(code)) {
    const app = await db.totpFactor.findFirst({ where: { userId, confirmedAt: { not: null } } });
    const step = app ? matchingStep(app.secret, code, now) : null;
    if (step === null) return null;
    // Conditional update: two requests with the same code cannot both win.
    const used = await db.totpFactor.updateMany({
      where: { userId, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
      data: { lastUsedStep: step },
    });
    return used.count === 1 ? "authenticator-app" : null;
  }
  if (code.length < 10 || code.length > 64) return null;
  const used = await db.recoveryCode.updateMany({
    where: { userId, codeHash: recoveryCodeDigest(code), usedAt: null },
    data: { usedAt: now },
  });
  return used.count === 1 ? "recovery-code" : null;
}
