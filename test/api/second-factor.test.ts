// Two-factor authentication through the route handlers on a real database (issue 14): sensitive
// actions refused until an authenticator app is set up, then allowed for 15 minutes after the
// session proved it, then asked again; codes used once; recovery codes single-use; sign-in asks
// for the factor; factor and password changes end the account's other sessions.
import { Secret, TOTP } from "otpauth";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ConcurrencyGate } from "@/lib/auth/hashing-gate";
import type { Db } from "@/lib/db";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { pageRequest } from "@/test/support/api-request";

const session = vi.hoisted(() => ({
  userId: undefined as string | undefined,
  sessionId: undefined as string | undefined,
}));

vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () =>
    session.sessionId
      ? { userId: session.userId, sessionId: session.sessionId, expires: "2099-01-01T00:00:00.000Z" }
      : null,
}));

const ORIGIN = "http://gallery.test";

function codeAt(secret: string, offsetSteps: number): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    timestamp: Date.now() + offsetSteps * 30_000,
  });
}

describe.each(testDialects())("two-factor authentication on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  let db: Db;
  let routes: {
    apiKeys: typeof import("@/app/api/account/api-keys/route");
    app: typeof import("@/app/api/account/authenticator-app/route");
    stepUp: typeof import("@/app/api/account/step-up/route");
    recovery: typeof import("@/app/api/account/recovery-codes/route");
    password: typeof import("@/app/api/account/password/route");
    users: typeof import("@/app/api/admin/users/[id]/route");
    certificates: typeof import("@/app/api/account/certificates/route");
    certificate: typeof import("@/app/api/account/certificates/[id]/route");
  };
  let sessions: typeof import("@/lib/auth/sessions");
  let accounts: typeof import("@/lib/auth/accounts");
  let password: typeof import("@/lib/auth/password");

  async function signInAs(userId: string, secondFactor = false): Promise<string> {
    session.userId = userId;
    session.sessionId = await sessions.openSession(db, userId, { secondFactor });
    return session.sessionId;
  }

  const createKey = () =>
    routes.apiKeys.POST(
      pageRequest(`${ORIGIN}/api/account/api-keys`, "POST", {
        name: "CI",
        scopes: ["push"],
        packageGlob: "*",
        expiresInDays: 1,
      }),
    );
  const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

  async function enrol(): Promise<{ secret: string; recoveryCodes: string[] }> {
    const started = await routes.app.POST(pageRequest(`${ORIGIN}/api/account/authenticator-app`, "POST"));
    expect(started.status).toBe(201);
    const { secret, uri, qrCode } = (await started.json()) as { secret: string; uri: string; qrCode: string };
    expect(uri).toMatch(/^otpauth:\/\/totp\/Signet:/);
    expect(qrCode).toMatch(/^data:image\/png;base64,/);
    const wrong = await routes.app.PUT(
      pageRequest(`${ORIGIN}/api/account/authenticator-app`, "PUT", {
        code: "000000" === codeAt(secret, 0) ? "111111" : "000000",
      }),
    );
    expect(await errorCode(wrong)).toBe("INVALID_CODE");
    const confirmed = await routes.app.PUT(
      pageRequest(`${ORIGIN}/api/account/authenticator-app`, "PUT", { code: codeAt(secret, 0) }),
    );
    expect(confirmed.status).toBe(200);
    const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
    return { secret, recoveryCodes };
  }

  beforeAll(async () => {
    db = database();
    routes = {
      apiKeys: await import("@/app/api/account/api-keys/route"),
      app: await import("@/app/api/account/authenticator-app/route"),
      stepUp: await import("@/app/api/account/step-up/route"),
      recovery: await import("@/app/api/account/recovery-codes/route"),
      password: await import("@/app/api/account/password/route"),
      users: await import("@/app/api/admin/users/[id]/route"),
      certificates: await import("@/app/api/account/certificates/route"),
      certificate: await import("@/app/api/account/certificates/[id]/route"),
    };
    sessions = await import("@/lib/auth/sessions");
    accounts = await import("@/lib/auth/accounts");
    password = await import("@/lib/auth/password");
  });

  let userId: string;
  beforeEach(async () => {
    const email = `user-${Math.random().toString(36).slice(2)}@example.test`;
    userId = (
      await db.user.create({
        data: {
          email,
          username: email.split("@")[0]!,
          passwordHash: await password.hashPassword("the old long password", new ConcurrencyGate(1, 16)),
        },
      })
    ).id;
  });

  it("refuses API keys until a second factor is set up, then allows them for 15 minutes, then asks again", async () => {
    const sessionId = await signInAs(userId);
    const refused = await createKey();
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("SECOND_FACTOR_REQUIRED");

    const { secret, recoveryCodes } = await enrol();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await createKey()).status).toBe(201);

    await db.session.update({ where: { id: sessionId }, data: { secondFactorAt: new Date(Date.now() - 16 * 60_000) } });
    const stale = await createKey();
    expect(stale.status).toBe(403);
    expect(await errorCode(stale)).toBe("STEP_UP_REQUIRED");

    // The code that confirmed the app was used up; the next one is accepted once.
    const replay = await routes.stepUp.POST(
      pageRequest(`${ORIGIN}/api/account/step-up`, "POST", { code: codeAt(secret, 0) }),
    );
    expect(await errorCode(replay)).toBe("SECOND_FACTOR_INVALID");
    expect(
      (await routes.stepUp.POST(pageRequest(`${ORIGIN}/api/account/step-up`, "POST", { code: codeAt(secret, 1) })))
        .status,
    ).toBe(200);
    expect((await createKey()).status).toBe(201);
  });

  it("accepts each recovery code once, and new codes replace the old ones", async () => {
    const sessionId = await signInAs(userId);
    const { recoveryCodes } = await enrol();
    const stepUp = (proof: string) =>
      routes.stepUp.POST(pageRequest(`${ORIGIN}/api/account/step-up`, "POST", { code: proof }));
    expect((await stepUp(recoveryCodes[0]!.toUpperCase())).status).toBe(200);
    expect(await errorCode(await stepUp(recoveryCodes[0]!))).toBe("SECOND_FACTOR_INVALID");
    const stored = await db.recoveryCode.findMany({ where: { userId } });
    expect(stored.map((row) => row.codeHash).join()).not.toContain(recoveryCodes[1]!.replace("-", ""));

    const renewed = await routes.recovery.POST(pageRequest(`${ORIGIN}/api/account/recovery-codes`, "POST"));
    const { recoveryCodes: fresh } = (await renewed.json()) as { recoveryCodes: string[] };
    await db.session.update({ where: { id: sessionId }, data: { secondFactorAt: null } });
    expect(await errorCode(await stepUp(recoveryCodes[1]!))).toBe("SECOND_FACTOR_INVALID");
    expect((await stepUp(fresh[0]!)).status).toBe(200);
  });

  it("asks for the second factor at sign-in once one is set up", async () => {
    await signInAs(userId);
    const { secret, recoveryCodes } = await enrol();
    const { SignInThrottle } = await import("@/lib/auth/throttle");
    const { PasskeyChallenges } = await import("@/lib/auth/webauthn");
    const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
    const attempt = (extra: Record<string, string>) =>
      accounts.authenticateWithPassword(
        db,
        { email: user.email, password: "the old long password", ...extra },
        {
          address: "192.0.2.1",
          throttle: new SignInThrottle(),
          hashing: new ConcurrencyGate(1, 16),
          passkeyChallenges: new PasskeyChallenges(),
        },
      );
    expect(await attempt({})).toEqual({ ok: false, reason: "SECOND_FACTOR_REQUIRED" });
    expect(await attempt({ otp: "123" })).toEqual({ ok: false, reason: "SECOND_FACTOR_INVALID" });
    expect(await attempt({ otp: codeAt(secret, 1) })).toMatchObject({ ok: true, secondFactor: true });
    expect(await attempt({ otp: recoveryCodes[3]! })).toMatchObject({ ok: true, secondFactor: true });
    expect(await attempt({ webauthn: "{}" })).toEqual({ ok: false, reason: "SECOND_FACTOR_INVALID" });
  });

  it("ends the account's other sessions when a factor is added or removed, or the password changes", async () => {
    const other = await sessions.openSession(db, userId);
    const current = await signInAs(userId);
    const { secret } = await enrol();
    expect(await sessions.isSessionLive(db, other, userId)).toBe(false);
    expect(await sessions.isSessionLive(db, current, userId)).toBe(true);

    const another = await sessions.openSession(db, userId);
    const removed = await routes.app.DELETE(pageRequest(`${ORIGIN}/api/account/authenticator-app`, "DELETE"));
    expect(removed.status).toBe(204);
    expect(await sessions.isSessionLive(db, another, userId)).toBe(false);
    expect(await db.recoveryCode.count({ where: { userId } })).toBe(0);
    expect(secret).not.toBe("");

    const third = await sessions.openSession(db, userId);
    const change = (body: unknown) => routes.password.POST(pageRequest(`${ORIGIN}/api/account/password`, "POST", body));
    expect(
      await errorCode(await change({ currentPassword: "not it", newPassword: "a brand new long passphrase" })),
    ).toBe("WRONG_PASSWORD");
    expect(
      await errorCode(await change({ currentPassword: "the old long password", newPassword: "password1234567" })),
    ).toBe("WEAK_PASSWORD");
    expect(await sessions.isSessionLive(db, third, userId)).toBe(true);
    expect(
      (await change({ currentPassword: "the old long password", newPassword: "a brand new long passphrase" })).status,
    ).toBe(200);
    expect(await sessions.isSessionLive(db, third, userId)).toBe(false);
    expect(await sessions.isSessionLive(db, current, userId)).toBe(true);
  });

  it("asks for a recent second factor before registering or removing a certificate", async () => {
    const sessionId = await signInAs(userId);
    const register = () =>
      routes.certificates.POST(
        pageRequest(`${ORIGIN}/api/account/certificates`, "POST", { fingerprint: "ab".repeat(32) }),
      );
    expect(await errorCode(await register())).toBe("SECOND_FACTOR_REQUIRED");
    await enrol();
    const registered = await register();
    expect(registered.status).toBe(201);
    const { id } = ((await registered.json()) as { certificate: { id: string } }).certificate;
    const remove = () =>
      routes.certificate.DELETE(pageRequest(`${ORIGIN}/api/account/certificates/${id}`, "DELETE"), {
        params: Promise.resolve({ id }),
      });
    await db.session.update({ where: { id: sessionId }, data: { secondFactorAt: new Date(Date.now() - 16 * 60_000) } });
    expect(await errorCode(await remove())).toBe("STEP_UP_REQUIRED");
    expect(await db.registeredCertificate.count({ where: { id } })).toBe(1);
    await db.session.update({ where: { id: sessionId }, data: { secondFactorAt: new Date() } });
    expect((await remove()).status).toBe(204);
    expect(await db.registeredCertificate.count({ where: { id } })).toBe(0);
  });

  it("asks admins for a recent second factor before any admin change", async () => {
    const admin = (await db.user.create({ data: { email: "root@example.test", username: "root", role: "ADMIN" } })).id;
    await signInAs(admin);
    const lock = () =>
      routes.users.PATCH(
        pageRequest(`${ORIGIN}/api/admin/users/${userId}`, "PATCH", { action: "lock", reason: "spam" }),
        { params: Promise.resolve({ id: userId }) },
      );
    expect(await errorCode(await lock())).toBe("SECOND_FACTOR_REQUIRED");
    await enrol();
    expect((await lock()).status).toBe(200);
  });
});
