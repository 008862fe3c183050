// The session helpers read the account fresh from the database: these tests stand in for
// next-auth's session lookup and Next's redirect/forbidden, and use a real migrated database.
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db";
import { testDialects, useAppDatabase } from "@/test/db/scratch";

// `sessionId` set: exactly that cookie's session; otherwise a live stand-in session of `userId`.
const session = vi.hoisted(() => ({
  userId: undefined as string | undefined,
  sessionId: undefined as string | undefined,
}));

vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () =>
    session.sessionId
      ? { userId: session.userId, sessionId: session.sessionId, expires: "2099-01-01T00:00:00.000Z" }
      : (await import("@/test/support/session-stand-in")).standInSession(session.userId),
}));

vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new Error(`redirect:${url}`);
  },
  forbidden: () => {
    throw new Error("forbidden");
  },
}));

describe.each(testDialects())("session helpers on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  let db: Db;
  let helpers: typeof import("@/lib/web/session");
  let errorResponse: typeof import("@/lib/http/errors").errorResponse;
  const ids = { member: "", admin: "", locked: "" };

  beforeAll(async () => {
    // Imported after the reset, with the stubbed environment, so IssueError is one class here.
    helpers = await import("@/lib/web/session");
    errorResponse = (await import("@/lib/http/errors")).errorResponse;
    db = database();
    ids.member = (await db.user.create({ data: { email: "member@example.test", username: "member" } })).id;
    ids.admin = (await db.user.create({ data: { email: "admin@example.test", username: "admin", role: "ADMIN" } })).id;
    ids.locked = (
      await db.user.create({ data: { email: "locked@example.test", username: "locked", lockedAt: new Date() } })
    ).id;
  });

  beforeEach(() => {
    session.userId = undefined;
    session.sessionId = undefined;
  });

  it("finds the signed-in account, and nobody for a locked or deleted one", async () => {
    session.userId = ids.member;
    expect(await helpers.getCurrentUser()).toMatchObject({ id: ids.member, username: "member", role: "USER" });
    session.userId = ids.locked;
    expect(await helpers.getCurrentUser()).toBeNull();
    session.userId = "no-such-user";
    expect(await helpers.getCurrentUser()).toBeNull();
  });

  it("sends signed-out visitors of a page to sign-in, coming back afterwards", async () => {
    await expect(helpers.requireUser("/account/api-keys")).rejects.toThrow(
      "redirect:/signin?callbackUrl=%2Faccount%2Fapi-keys",
    );
  });

  it("shows members the 403 page on admin pages", async () => {
    session.userId = ids.member;
    await expect(helpers.requireAdmin("/admin")).rejects.toThrow("forbidden");
    session.userId = ids.admin;
    expect(await helpers.requireAdmin("/admin")).toMatchObject({ id: ids.admin, role: "ADMIN" });
  });

  it("answers API calls with 401 when signed out and 403 for members on admin routes", async () => {
    const signedOut = await helpers
      .requireApiUser(new Request("http://gallery.test/api/account/api-keys"))
      .catch(errorResponse);
    expect(signedOut).toBeInstanceOf(Response);
    expect((signedOut as Response).status).toBe(401);
    session.userId = ids.member;
    const member = await helpers
      .requireApiAdmin(new Request("http://gallery.test/api/admin/users"))
      .catch(errorResponse);
    expect((member as Response).status).toBe(403);
    expect(await (member as Response).json()).toEqual({
      error: { code: "FORBIDDEN", message: "Only administrators can do this." },
    });
  });

  it("ends a session at sign-out: the cookie captured before no longer counts", async () => {
    const { authOptions } = await import("@/lib/web/auth-options");
    const callbacks = authOptions().callbacks!;
    // What next-auth does at sign-in: the jwt callback with the user who just proved themselves.
    const token = await callbacks.jwt!({
      token: {},
      user: { id: ids.member, email: "member@example.test" },
      account: null,
    } as never);
    expect(typeof token.sid).toBe("string");
    session.userId = ids.member;
    session.sessionId = token.sid as string;
    expect(await helpers.getCurrentUser()).toMatchObject({ id: ids.member, sessionId: token.sid });

    await authOptions().events!.signOut!({ token, session: null as never });
    expect(await helpers.getCurrentUser()).toBeNull();
    expect(await db.session.count({ where: { id: token.sid as string } })).toBe(0);
  });

  it("does not accept a token without a server-side session, or one of another account", async () => {
    const { openSession } = await import("@/lib/auth/sessions");
    const adminSession = await openSession(db, ids.admin);
    session.userId = ids.member;
    session.sessionId = adminSession;
    expect(await helpers.getCurrentUser()).toBeNull();
    session.sessionId = "made-up";
    expect(await helpers.getCurrentUser()).toBeNull();
  });

  it("ends every session of an account that an admin locks; unlocking does not revive them", async () => {
    const { openSession } = await import("@/lib/auth/sessions");
    const { changeUser } = await import("@/lib/admin/users");
    const target = (await db.user.create({ data: { email: "target@example.test", username: "target" } })).id;
    const cookies = [await openSession(db, target), await openSession(db, target)];
    session.userId = target;
    session.sessionId = cookies[0];
    expect(await helpers.getCurrentUser()).not.toBeNull();
    await changeUser(db, ids.admin, target, { action: "lock", reason: "spam" });
    await changeUser(db, ids.admin, target, { action: "unlock" });
    for (const cookie of cookies) {
      session.sessionId = cookie;
      expect(await helpers.getCurrentUser()).toBeNull();
    }
  });
});
