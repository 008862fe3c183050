import { describe, expect, it } from "vitest";
import {
  authenticateWithPassword as authenticate,
  grantAdmin,
  linkGitHubAccount,
  registerUser,
  USERNAME_TAKEN_MESSAGE,
} from "@/lib/auth/accounts";
import { ConcurrencyGate } from "@/lib/auth/hashing-gate";
import { verifyPassword } from "@/lib/auth/password";
import { SignInThrottle } from "@/lib/auth/throttle";
import { PasskeyChallenges } from "@/lib/auth/webauthn";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";

describe.each(testDialects())("accounts on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);
  const hashing = new ConcurrencyGate(1, 16);
  // A throttle of its own, so the wrong passwords below do not add up across tests.
  const authenticateWithPassword = (db: Parameters<typeof authenticate>[0], input: unknown) =>
    authenticate(db, input, {
      address: "127.0.0.1",
      throttle: new SignInThrottle(),
      hashing,
      passkeyChallenges: new PasskeyChallenges(),
    });

  it("registers an account with a hashed password and a case-insensitive email and username", async () => {
    const result = await registerUser(
      database(),
      { email: "  Grace@Example.TEST ", username: "Grace", password: "analytical-engine-1843" },
      hashing,
    );
    expect(result.ok).toBe(true);
    const stored = await database().user.findUniqueOrThrow({ where: { email: "grace@example.test" } });
    expect(stored.username).toBe("grace");
    expect(stored.displayName).toBe("Grace");
    expect(stored.passwordHash).not.toContain("analytical-engine-1843");
    expect(await verifyPassword("analytical-engine-1843", stored.passwordHash!, hashing)).toBe(true);
  });

  it("answers a sign-up with a registered email exactly as a new one, changing nothing; a taken username is said plainly", async () => {
    const before = await database().user.findUniqueOrThrow({ where: { email: "grace@example.test" } });
    const again = await registerUser(
      database(),
      { email: "GRACE@example.test", username: "hopper", password: "another-long-password" },
      hashing,
    );
    const fresh = await registerUser(
      database(),
      { email: "hopper@example.test", username: "hopper2", password: "another-long-password" },
      hashing,
    );
    expect(again).toEqual({ ok: true, created: null });
    expect(fresh).toMatchObject({ ok: true, created: { email: "hopper@example.test" } });
    expect(await database().user.findUniqueOrThrow({ where: { email: "grace@example.test" } })).toEqual(before);
    expect(await database().user.count({ where: { username: "hopper" } })).toBe(0);
    // The original password still works; the one typed in the second sign-up does not.
    expect(
      await authenticateWithPassword(database(), { email: "grace@example.test", password: "another-long-password" }),
    ).toEqual({ ok: false, reason: "INVALID_CREDENTIALS" });

    expect(
      await registerUser(
        database(),
        { email: "new@example.test", username: "GRACE", password: "another-long-password" },
        hashing,
      ),
    ).toEqual({
      ok: false,
      fieldErrors: { username: USERNAME_TAKEN_MESSAGE },
    });
    expect(
      await registerUser(
        database(),
        { email: "grace@example.test", username: "GRACE", password: "another-long-password" },
        hashing,
      ),
    ).toEqual({
      ok: false,
      fieldErrors: { username: USERNAME_TAKEN_MESSAGE },
    });
  });

  it("refuses common, repeated and sequential passwords, whitespace-only ones and the old 8-character minimum", async () => {
    for (const password of [
      "12345678",
      "password",
      "        ",
      "passwordpassword",
      "123456789012345",
      "qwerty123456789",
    ]) {
      const result = await registerUser(
        database(),
        { email: "weak@example.test", username: "weak", password },
        hashing,
      );
      expect(result.ok, password).toBe(false);
      expect(result.ok ? null : result.fieldErrors.password, password).toEqual(expect.any(String));
    }
    expect(await database().user.count({ where: { username: "weak" } })).toBe(0);
  });

  it("reports every invalid field at once", async () => {
    const result = await registerUser(database(), { email: "not-an-email", username: "x", password: "short" }, hashing);
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        email: "Enter a valid email address, like name@example.com.",
        username: "Usernames are at least 3 characters.",
        password: "Passwords are at least 15 characters; a few words make one easy to remember.",
      },
    });
    expect(await registerUser(database(), {}, hashing)).toMatchObject({
      ok: false,
      fieldErrors: { email: expect.any(String), username: expect.any(String), password: expect.any(String) },
    });
  });

  it("signs in with the right password only, and never a locked account", async () => {
    expect(
      await authenticateWithPassword(database(), { email: "grace@example.test", password: "analytical-engine-1843" }),
    ).toMatchObject({ ok: true });
    expect(
      await authenticateWithPassword(database(), { email: "grace@example.test", password: "wrong-password" }),
    ).toEqual({ ok: false, reason: "INVALID_CREDENTIALS" });
    expect(
      await authenticateWithPassword(database(), { email: "nobody@example.test", password: "analytical-engine-1843" }),
    ).toEqual({ ok: false, reason: "INVALID_CREDENTIALS" });
    await database().user.update({
      where: { email: "grace@example.test" },
      data: { lockedAt: new Date(), lockedReason: "test" },
    });
    expect(
      await authenticateWithPassword(database(), { email: "grace@example.test", password: "analytical-engine-1843" }),
    ).toEqual({ ok: false, reason: "ACCOUNT_LOCKED" });
    expect(
      await authenticateWithPassword(database(), { email: "grace@example.test", password: "wrong-password" }),
    ).toEqual({ ok: false, reason: "INVALID_CREDENTIALS" });
  });

  it("locks password sign-in progressively per account, and per address, before hashing anything", async () => {
    const throttle = new SignInThrottle();
    const attempt = (email: string, password: string, address = "203.0.113.7") =>
      authenticate(
        database(),
        { email, password },
        { address, throttle, hashing, passkeyChallenges: new PasskeyChallenges() },
      );
    await database().user.update({ where: { email: "grace@example.test" }, data: { lockedAt: null } });
    for (let failure = 0; failure < 5; failure += 1)
      expect(await attempt("grace@example.test", "wrong-password")).toMatchObject({ reason: "INVALID_CREDENTIALS" });
    // The sixth wrong password locks the account for 30 s; even the right one waits now.
    expect(await attempt("grace@example.test", "wrong-password")).toMatchObject({ reason: "INVALID_CREDENTIALS" });
    expect(await attempt("grace@example.test", "analytical-engine-1843", "198.51.100.1")).toEqual({
      ok: false,
      reason: "SIGN_IN_THROTTLED",
      retryAfterSeconds: 30,
    });
    // Emails without an account are throttled the same way, so lockouts reveal nothing.
    for (let failure = 0; failure < 6; failure += 1) await attempt("nobody@example.test", "wrong-password");
    expect(await attempt("nobody@example.test", "wrong-password", "198.51.100.1")).toMatchObject({
      reason: "SIGN_IN_THROTTLED",
    });
  });

  it("links GitHub sign-ins through a verified email, and creates accounts for new people", async () => {
    await registerUser(
      database(),
      { email: "linus@example.test", username: "linus", password: "kernel-password-1991" },
      hashing,
    );
    const linked = await linkGitHubAccount(database(), {
      githubId: "1001",
      login: "Torvalds",
      verifiedEmail: "Linus@example.test",
    });
    expect(linked.email).toBe("linus@example.test");
    expect(
      await linkGitHubAccount(database(), { githubId: "1001", login: "Torvalds", verifiedEmail: null }),
    ).toMatchObject({ id: linked.id });

    const created = await linkGitHubAccount(database(), {
      githubId: "1002",
      login: "Linus",
      verifiedEmail: "other@example.test",
    });
    expect(created.username).toBe("linus-2");
    expect(created.passwordHash).toBeNull();

    await expect(
      linkGitHubAccount(database(), { githubId: "1003", login: "anon", verifiedEmail: null }),
    ).rejects.toMatchObject({ code: "GITHUB_EMAIL_UNVERIFIED" });
  });

  it("grants admin to an existing account, or creates one with a one-time password", async () => {
    const promoted = await grantAdmin(database(), "linus@example.test", hashing);
    expect(promoted).toMatchObject({ generatedPassword: null, user: { role: "ADMIN", username: "linus" } });

    const created = await grantAdmin(database(), "Ops@Example.test", hashing);
    expect(created.user).toMatchObject({ email: "ops@example.test", role: "ADMIN", username: "ops" });
    expect(created.generatedPassword).toMatch(/^[\w-]{24}$/);
    expect(
      await authenticateWithPassword(database(), { email: "ops@example.test", password: created.generatedPassword }),
    ).toMatchObject({ ok: true });

    await expect(grantAdmin(database(), "not an email", hashing)).rejects.toMatchObject({ code: "INVALID_EMAIL" });
  });
});
