import { describe, expect, it } from "vitest";
import {
  authenticateWithPassword,
  DUPLICATE_EMAIL_MESSAGE,
  DUPLICATE_USERNAME_MESSAGE,
  grantAdmin,
  linkGitHubAccount,
  registerUser,
} from "@/lib/auth/accounts";
import { verifyPassword } from "@/lib/auth/password";
import { testDialects, useMigratedDatabase } from "@/test/db/scratch";

describe.each(testDialects())("accounts on %s", (dialect) => {
  const database = useMigratedDatabase(dialect);

  it("registers an account with a hashed password and a case-insensitive email and username", async () => {
    const result = await registerUser(database(), { email: "  Grace@Example.TEST ", username: "Grace", password: "analytical-engine" });
    expect(result.ok).toBe(true);
    const stored = await database().user.findUniqueOrThrow({ where: { email: "grace@example.test" } });
    expect(stored.username).toBe("grace");
    expect(stored.displayName).toBe("Grace");
    expect(stored.passwordHash).not.toContain("analytical-engine");
    expect(await verifyPassword("analytical-engine", stored.passwordHash!)).toBe(true);
  });

  it("refuses a duplicate email or username with a message on each field", async () => {
    const result = await registerUser(database(), { email: "GRACE@example.test", username: "GRACE", password: "another-password" });
    expect(result).toEqual({ ok: false, fieldErrors: { email: DUPLICATE_EMAIL_MESSAGE, username: DUPLICATE_USERNAME_MESSAGE } });
  });

  it("reports every invalid field at once", async () => {
    const result = await registerUser(database(), { email: "not-an-email", username: "x", password: "short" });
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        email: "Enter a valid email address, like name@example.com.",
        username: "Usernames are at least 3 characters.",
        password: "Passwords are at least 8 characters.",
      },
    });
    expect(await registerUser(database(), {})).toMatchObject({ ok: false, fieldErrors: { email: expect.any(String), username: expect.any(String), password: expect.any(String) } });
  });

  it("signs in with the right password only, and never a locked account", async () => {
    expect(await authenticateWithPassword(database(), { email: "grace@example.test", password: "analytical-engine" })).toMatchObject({ ok: true });
    expect(await authenticateWithPassword(database(), { email: "grace@example.test", password: "wrong-password" })).toEqual({ ok: false, reason: "INVALID_CREDENTIALS" });
    expect(await authenticateWithPassword(database(), { email: "nobody@example.test", password: "analytical-engine" })).toEqual({ ok: false, reason: "INVALID_CREDENTIALS" });
    await database().user.update({ where: { email: "grace@example.test" }, data: { lockedAt: new Date(), lockedReason: "test" } });
    expect(await authenticateWithPassword(database(), { email: "grace@example.test", password: "analytical-engine" })).toEqual({ ok: false, reason: "ACCOUNT_LOCKED" });
    expect(await authenticateWithPassword(database(), { email: "grace@example.test", password: "wrong-password" })).toEqual({ ok: false, reason: "INVALID_CREDENTIALS" });
  });

  it("links GitHub sign-ins through a verified email, and creates accounts for new people", async () => {
    await registerUser(database(), { email: "linus@example.test", username: "linus", password: "kernel-password" });
    const linked = await linkGitHubAccount(database(), { githubId: "1001", login: "Torvalds", verifiedEmail: "Linus@example.test" });
    expect(linked.email).toBe("linus@example.test");
    expect(await linkGitHubAccount(database(), { githubId: "1001", login: "Torvalds", verifiedEmail: null })).toMatchObject({ id: linked.id });

    const created = await linkGitHubAccount(database(), { githubId: "1002", login: "Linus", verifiedEmail: "other@example.test" });
    expect(created.username).toBe("linus-2");
    expect(created.passwordHash).toBeNull();

    await expect(linkGitHubAccount(database(), { githubId: "1003", login: "anon", verifiedEmail: null })).rejects.toMatchObject({ code: "GITHUB_EMAIL_UNVERIFIED" });
  });

  it("grants admin to an existing account, or creates one with a one-time password", async () => {
    const promoted = await grantAdmin(database(), "linus@example.test");
    expect(promoted).toMatchObject({ generatedPassword: null, user: { role: "ADMIN", username: "linus" } });

    const created = await grantAdmin(database(), "Ops@Example.test");
    expect(created.user).toMatchObject({ email: "ops@example.test", role: "ADMIN", username: "ops" });
    expect(created.generatedPassword).toMatch(/^[\w-]{24}$/);
    expect(await authenticateWithPassword(database(), { email: "ops@example.test", password: created.generatedPassword })).toMatchObject({ ok: true });

    await expect(grantAdmin(database(), "not an email")).rejects.toMatchObject({ code: "INVALID_EMAIL" });
  });
});
