// The admin API on a real migrated database, through the route handlers: prefix reservations
// (and the verified badge following their owners), certificate search and the compromise mark,
// account roles and locks, and the audit entry each change leaves. next-auth's session lookup
// is stood in for.
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { createPublishedVersion, fixtureSha512 } from "@/test/support/published-version";
import { malformedJsonRequest, pageRequest } from "@/test/support/api-request";

const session = vi.hoisted(() => ({ userId: undefined as string | undefined }));

vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (await import("@/test/support/session-stand-in")).standInSession(session.userId),
}));

const BASE = "http://gallery.test/api/admin";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

function call(
  handler: Handler,
  method: string,
  path: string,
  body?: unknown,
  params: Record<string, string> = {},
): Promise<Response> {
  return handler(pageRequest(`${BASE}${path}`, method, body), { params: Promise.resolve(params) });
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

interface ReservationBody {
  id: string;
  display: string;
  isPublic: boolean;
  owners: { username: string }[];
  packages: { packageId: string; verified: boolean }[];
}

describe.each(testDialects())("admin API on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  let db: Db;
  let routes: {
    reservations: typeof import("@/app/api/admin/reservations/route");
    reservation: typeof import("@/app/api/admin/reservations/[id]/route");
    certificates: typeof import("@/app/api/admin/certificates/route");
    certificate: typeof import("@/app/api/admin/certificates/[id]/route");
    compromise: typeof import("@/app/api/admin/certificates/[id]/compromise/route");
    users: typeof import("@/app/api/admin/users/route");
    user: typeof import("@/app/api/admin/users/[id]/route");
    audit: typeof import("@/app/api/admin/audit/route");
  };
  let getCurrentUser: typeof import("@/lib/web/session").getCurrentUser;
  let authOptions: typeof import("@/lib/web/auth-options").authOptions;
  const ids = { admin: "", alice: "", bob: "" };

  async function reservations(): Promise<ReservationBody[]> {
    return (
      await json<{ reservations: ReservationBody[] }>(
        await call(routes.reservations.GET as Handler, "GET", "/reservations"),
      )
    ).reservations;
  }

  async function auditActions(): Promise<
    { action: string; actorUsername: string; reason: string | null; details: Record<string, unknown> }[]
  > {
    return (
      await json<{
        entries: { action: string; actorUsername: string; reason: string | null; details: Record<string, unknown> }[];
      }>(await call(routes.audit.GET as Handler, "GET", "/audit"))
    ).entries;
  }

  /** next-auth's signIn callback for a returning GitHub account linked to Bob. */
  async function gitHubSignIn(providerAccountId: string): Promise<string | boolean> {
    await db.oAuthAccount.upsert({
      where: { provider_providerAccountId: { provider: "github", providerAccountId } },
      create: { userId: ids.bob, provider: "github", providerAccountId },
      update: {},
    });
    const signIn = authOptions().callbacks?.signIn;
    if (!signIn) throw new Error("authOptions has no signIn callback");
    return signIn({
      user: { id: providerAccountId },
      account: { provider: "github", providerAccountId, type: "oauth" },
    });
  }

  async function createPackage(packageId: string, ownerIds: string[]): Promise<string> {
    const registration = await db.packageRegistration.create({
      data: {
        packageId,
        packageIdLower: packageId.toLowerCase(),
        owners: { create: ownerIds.map((userId) => ({ userId })) },
      },
    });
    return registration.id;
  }

  beforeAll(async () => {
    routes = {
      reservations: await import("@/app/api/admin/reservations/route"),
      reservation: await import("@/app/api/admin/reservations/[id]/route"),
      certificates: await import("@/app/api/admin/certificates/route"),
      certificate: await import("@/app/api/admin/certificates/[id]/route"),
      compromise: await import("@/app/api/admin/certificates/[id]/compromise/route"),
      users: await import("@/app/api/admin/users/route"),
      user: await import("@/app/api/admin/users/[id]/route"),
      audit: await import("@/app/api/admin/audit/route"),
    };
    getCurrentUser = (await import("@/lib/web/session")).getCurrentUser;
    authOptions = (await import("@/lib/web/auth-options")).authOptions;
    db = database();
    ids.admin = (await db.user.create({ data: { email: "root@example.test", username: "root", role: "ADMIN" } })).id;
    ids.alice = (
      await db.user.create({ data: { email: "alice@example.test", username: "alice", displayName: "Alice Liddell" } })
    ).id;
    ids.bob = (await db.user.create({ data: { email: "bob@example.test", username: "bob" } })).id;
  });

  beforeEach(async () => {
    session.userId = ids.admin;
    await db.auditLogEntry.deleteMany();
    await db.prefixReservation.deleteMany();
    await db.packageRegistration.deleteMany();
    await db.certificate.deleteMany();
    await db.user.updateMany({
      where: { id: { not: ids.admin } },
      data: { role: "USER", lockedAt: null, lockedReason: null },
    });
  });

  it("reserves a prefix, lists its packages, and the verified badge follows the reservation's owners", async () => {
    await createPackage("Contoso.Utils", [ids.alice]);
    await createPackage("Contoso.Data", [ids.bob]);
    await createPackage("Fabrikam.Core", [ids.alice]);

    const created = await call(routes.reservations.POST as Handler, "POST", "/reservations", {
      pattern: "Contoso.*",
      isPublic: false,
      owners: ["Alice"],
    });
    expect(created.status).toBe(201);
    const { reservation } = await json<{ reservation: { id: string } }>(created);

    const [listed] = await reservations();
    expect(listed).toMatchObject({ display: "Contoso.*", isPublic: false, owners: [{ username: "alice" }] });
    expect(listed?.packages).toEqual([
      { packageId: "Contoso.Data", owners: ["bob"], verified: false },
      { packageId: "Contoso.Utils", owners: ["alice"], verified: true },
    ]);

    // Bob replaces Alice as owner: the badges swap with nothing else changed.
    const updated = await call(
      routes.reservation.PATCH as Handler,
      "PATCH",
      `/reservations/${reservation.id}`,
      { isPublic: true, owners: ["bob"], reason: "transfer" },
      { id: reservation.id },
    );
    expect(updated.status).toBe(200);
    const [after] = await reservations();
    expect(after?.isPublic).toBe(true);
    expect(after?.packages.map((entry) => [entry.packageId, entry.verified])).toEqual([
      ["Contoso.Data", true],
      ["Contoso.Utils", false],
    ]);

    const removed = await call(
      routes.reservation.DELETE as Handler,
      "DELETE",
      `/reservations/${reservation.id}`,
      undefined,
      { id: reservation.id },
    );
    expect(removed.status).toBe(200);
    expect(await reservations()).toEqual([]);

    const entries = await auditActions();
    expect(entries.map((entry) => entry.action)).toEqual(["prefix.delete", "prefix.update", "prefix.create"]);
    expect(entries[1]).toMatchObject({
      actorUsername: "root",
      reason: "transfer",
      details: { pattern: "Contoso.*", ownersAdded: ["bob"], ownersRemoved: ["alice"] },
    });
  });

  it("an exact reservation matches only its ID; a package is verified through any matching reservation", async () => {
    await createPackage("Contoso", [ids.bob]);
    await createPackage("Contoso.Utils", [ids.bob]);
    await call(routes.reservations.POST as Handler, "POST", "/reservations", { pattern: "Contoso", owners: [] });
    await call(routes.reservations.POST as Handler, "POST", "/reservations", { pattern: "contoso.*", owners: ["bob"] });
    const listed = await reservations();
    expect(
      listed.map((entry) => [entry.display, entry.packages.map((match) => `${match.packageId}:${match.verified}`)]),
    ).toEqual([
      ["Contoso", ["Contoso:false"]],
      ["contoso.*", ["Contoso.Utils:true"]],
    ]);
  });

  it("refuses a private reservation inside a public one (either way round), which would protect nothing", async () => {
    await call(routes.reservations.POST as Handler, "POST", "/reservations", { pattern: "Contoso.*", isPublic: true });
    const inside = await call(routes.reservations.POST as Handler, "POST", "/reservations", {
      pattern: "Contoso.Internal.*",
      owners: ["alice"],
    });
    expect(inside.status).toBe(409);
    expect(await json(inside)).toEqual({
      error: {
        code: "RESERVATION_CONFLICT",
        message:
          "'Contoso.Internal.*' lies inside the public reservation 'Contoso.*', where anyone may create new IDs, so it cannot be private. Make it public, or make 'Contoso.*' private first.",
      },
    });
    const publicInside = await call(routes.reservations.POST as Handler, "POST", "/reservations", {
      pattern: "Contoso.Internal.*",
      isPublic: true,
    });
    expect(publicInside.status).toBe(201);
    const { reservation } = await json<{ reservation: { id: string } }>(publicInside);
    const makePrivate = await call(
      routes.reservation.PATCH as Handler,
      "PATCH",
      `/reservations/${reservation.id}`,
      { isPublic: false, owners: [] },
      { id: reservation.id },
    );
    expect(makePrivate.status).toBe(409);
    // The enclosing reservation itself may turn private: nothing public encloses it.
    const [outer] = (await reservations()).filter((entry) => entry.display === "Contoso.*");
    expect(
      (
        await call(
          routes.reservation.PATCH as Handler,
          "PATCH",
          `/reservations/${outer?.id}`,
          { isPublic: false, owners: [] },
          { id: outer?.id ?? "" },
        )
      ).status,
    ).toBe(200);
    expect(await db.prefixReservation.count({ where: { isPublic: false } })).toBe(1);

    // Now the inner one may be private too, and then the outer one cannot become public again.
    expect(
      (
        await call(
          routes.reservation.PATCH as Handler,
          "PATCH",
          `/reservations/${reservation.id}`,
          { isPublic: false, owners: [] },
          { id: reservation.id },
        )
      ).status,
    ).toBe(200);
    const reopen = await call(
      routes.reservation.PATCH as Handler,
      "PATCH",
      `/reservations/${outer?.id}`,
      { isPublic: true, owners: [] },
      { id: outer?.id ?? "" },
    );
    expect(reopen.status).toBe(409);
    expect((await json<{ error: { message: string } }>(reopen)).error.message).toBe(
      "A public 'Contoso.*' would open the private reservation 'Contoso.Internal.*' inside it to everyone. Make 'Contoso.Internal.*' public or delete it first.",
    );
    expect(
      (
        await call(routes.reservations.POST as Handler, "POST", "/reservations", {
          pattern: "Contoso*",
          isPublic: true,
        })
      ).status,
    ).toBe(409);
  });

  it("refuses bad patterns, unknown owners and duplicates with a code and a sentence, and records nothing", async () => {
    const cases: [unknown, number, string][] = [
      [{ pattern: "Contoso..*" }, 400, "INVALID_RESERVATION_PATTERN"],
      [{ pattern: "*" }, 400, "INVALID_RESERVATION_PATTERN"],
      [{ pattern: `${"a".repeat(129)}*` }, 400, "INVALID_RESERVATION_PATTERN"],
      [{ pattern: "Contoso.*", owners: ["alice", "nobody", "ghost"] }, 400, "UNKNOWN_USERNAME"],
      [{ pattern: "Contoso.*", isPublic: "yes" }, 400, "INVALID_REQUEST"],
      [{}, 400, "INVALID_REQUEST"],
    ];
    for (const [body, status, code] of cases) {
      const response = await call(routes.reservations.POST as Handler, "POST", "/reservations", body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect((await json<{ error: { code: string } }>(response)).error.code).toBe(code);
    }
    const unknown = await call(routes.reservations.POST as Handler, "POST", "/reservations", {
      pattern: "Contoso.*",
      owners: ["nobody", "ghost"],
    });
    expect((await json<{ error: { message: string } }>(unknown)).error.message).toBe(
      "No accounts have the usernames 'nobody', 'ghost'.",
    );

    expect(
      (await call(routes.reservations.POST as Handler, "POST", "/reservations", { pattern: "Contoso.*" })).status,
    ).toBe(201);
    const duplicate = await call(routes.reservations.POST as Handler, "POST", "/reservations", {
      pattern: "CONTOSO.*",
    });
    expect(duplicate.status).toBe(409);
    expect(await json(duplicate)).toEqual({
      error: { code: "RESERVATION_EXISTS", message: "'CONTOSO.*' is already reserved." },
    });

    const missing = await call(routes.reservation.DELETE as Handler, "DELETE", "/reservations/none", undefined, {
      id: "none",
    });
    expect(missing.status).toBe(404);
    const garbage = await routes.reservations.POST(malformedJsonRequest(`${BASE}/reservations`, "POST", "{oops"), {
      params: Promise.resolve({}),
    });
    expect(garbage.status).toBe(400);
    expect((await auditActions()).map((entry) => entry.action)).toEqual(["prefix.create"]);
  });

  it("finds certificates by fingerprint in any format or by subject, and marks one compromised from a date", async () => {
    const fingerprint = "ab".repeat(32);
    const certificate = await db.certificate.create({
      data: { sha256Fingerprint: fingerprint, subject: "CN=Contoso Signing, O=Contoso" },
    });
    await db.certificate.create({ data: { sha256Fingerprint: "cd".repeat(32), subject: "CN=Fabrikam" } });
    await db.registeredCertificate.create({ data: { userId: ids.alice, certificateId: certificate.id } });
    const registrationId = await createPackage("Contoso.Utils", [ids.alice]);
    const signed = (version: string, provenSigningTime: string, provenSigningTimeSource: "TIMESTAMP" | "RECEIVED") =>
      createPublishedVersion(db, {
        registrationId,
        version,
        versionLower: version,
        originalVersion: version,
        isPrerelease: false,
        isSemVer2: false,
        description: "d",
        authors: "a",
        nuspecXml: "<package/>",
        storageKey: `packages/contoso.utils/${version}/contoso.utils.${version}.nupkg`,
        packageSize: 1,
        sha512: fixtureSha512(`contoso.utils/${version}`),
        contentHash: "y",
        signatureStatus: "VALID",
        signerCertificateId: certificate.id,
        provenSigningTime: new Date(provenSigningTime),
        provenSigningTimeSource,
        publisherId: ids.alice,
      });
    // Around the compromise mark below (2026-11-01T00:00:00Z): a moment before, the very moment
    // (an untimestamped version, proven by its receipt), and well after.
    await signed("1.0.0", "2026-10-01T00:00:00Z", "TIMESTAMP");
    await signed("1.1.0", "2026-10-31T23:59:59.999Z", "TIMESTAMP");
    await signed("1.2.0", "2026-11-01T00:00:00Z", "RECEIVED");
    await signed("2.0.0", "2026-11-10T00:00:00Z", "TIMESTAMP");

    const search = async (q: string) =>
      (
        await json<{ certificates: { id: string }[] }>(
          await call(routes.certificates.GET as Handler, "GET", `/certificates?q=${encodeURIComponent(q)}`),
        )
      ).certificates.map((entry) => entry.id);
    const colonUpper = fingerprint.toUpperCase().match(/../g)?.join(":") ?? "";
    expect(await search(colonUpper)).toEqual([certificate.id]);
    expect(await search(`sha256 Fingerprint=${colonUpper}`)).toEqual([certificate.id]);
    expect(await search("contoso signing")).toEqual([certificate.id]);
    // Part of a fingerprint, from its middle, as copied with colons: six digits are enough, five are not.
    const middle = fingerprint.slice(20, 32).toUpperCase().match(/../g)?.join(":") ?? "";
    expect(await search(middle)).toEqual([certificate.id]);
    expect(await search(fingerprint.slice(40, 46))).toEqual([certificate.id]);
    expect(await search(fingerprint.slice(40, 45))).toEqual([]);
    expect(await search("nothing like it")).toEqual([]);
    expect(await search("")).toHaveLength(2);

    const mark = await call(
      routes.compromise.PUT as Handler,
      "PUT",
      `/certificates/${certificate.id}/compromise`,
      { compromisedAt: "2026-11-01", reason: "Key leaked" },
      { id: certificate.id },
    );
    expect(mark.status).toBe(200);
    expect((await json<{ message: string }>(mark)).message).toContain("2 published versions now carry a warning");
    const detail = await json<{
      certificate: {
        compromisedAt: string;
        compromisedReason: string;
        registrations: { username: string }[];
        signedVersions: { version: string; flagged: boolean }[];
      };
    }>(
      await call(routes.certificate.GET as Handler, "GET", `/certificates/${certificate.id}`, undefined, {
        id: certificate.id,
      }),
    );
    expect(detail.certificate).toMatchObject({
      compromisedAt: "2026-11-01T00:00:00.000Z",
      compromisedReason: "Key leaked",
      registrations: [{ username: "alice" }],
    });
    expect(detail.certificate.signedVersions.map((version) => [version.version, version.flagged])).toEqual([
      ["2.0.0", true],
      ["1.2.0", true],
      ["1.1.0", false],
      ["1.0.0", false],
    ]);
    const { getDashboardCounts } = await import("@/lib/admin/dashboard");
    expect((await getDashboardCounts(db)).compromisedVersions).toBe(2);
    expect(await search("")).toEqual([certificate.id, expect.any(String)]);

    const noReason = await call(
      routes.compromise.PUT as Handler,
      "PUT",
      `/certificates/${certificate.id}/compromise`,
      { compromisedAt: "2026-11-01", reason: "  " },
      { id: certificate.id },
    );
    expect(noReason.status).toBe(400);
    const badDate = await call(
      routes.compromise.PUT as Handler,
      "PUT",
      `/certificates/${certificate.id}/compromise`,
      { compromisedAt: "soon", reason: "r" },
      { id: certificate.id },
    );
    expect(badDate.status).toBe(400);

    expect(
      (
        await call(
          routes.compromise.DELETE as Handler,
          "DELETE",
          `/certificates/${certificate.id}/compromise`,
          { reason: "false alarm" },
          { id: certificate.id },
        )
      ).status,
    ).toBe(200);
    expect(await db.certificate.findUniqueOrThrow({ where: { id: certificate.id } })).toMatchObject({
      compromisedAt: null,
      compromisedReason: null,
    });
    expect((await auditActions()).map((entry) => [entry.action, entry.reason])).toEqual([
      ["certificate.clear-compromise", "false alarm"],
      ["certificate.compromise", "Key leaked"],
    ]);
    expect(
      (await call(routes.certificate.GET as Handler, "GET", "/certificates/none", undefined, { id: "none" })).status,
    ).toBe(404);
  });

  it("makes and removes admins and locks accounts, effective on the account's next request, never on oneself", async () => {
    const change = (userId: string, body: unknown) =>
      call(routes.user.PATCH as Handler, "PATCH", `/users/${userId}`, body, { id: userId });

    expect((await change(ids.alice, { action: "make-admin" })).status).toBe(200);
    session.userId = ids.alice;
    expect(await getCurrentUser()).toMatchObject({ role: "ADMIN" });
    session.userId = ids.admin;
    expect((await change(ids.alice, { action: "remove-admin", reason: "left the team" })).status).toBe(200);
    session.userId = ids.alice;
    expect(await getCurrentUser()).toMatchObject({ role: "USER" });

    session.userId = ids.admin;
    expect((await change(ids.bob, { action: "lock" })).status).toBe(400);
    const locked = await change(ids.bob, { action: "lock", reason: "spam" });
    expect(await json(locked)).toEqual({ message: "bob is locked: they cannot sign in or push." });
    expect(await db.user.findUniqueOrThrow({ where: { id: ids.bob } })).toMatchObject({ lockedReason: "spam" });
    session.userId = ids.bob;
    expect(await getCurrentUser()).toBeNull();
    expect(await gitHubSignIn("bob-on-github")).toBe("/signin?error=ACCOUNT_LOCKED");
    session.userId = ids.admin;
    expect((await change(ids.bob, { action: "unlock" })).status).toBe(200);
    session.userId = ids.bob;
    expect(await getCurrentUser()).toMatchObject({ username: "bob" });
    expect(await gitHubSignIn("bob-on-github")).toBe(true);

    session.userId = ids.admin;
    const self = await change(ids.admin, { action: "remove-admin" });
    expect(self.status).toBe(403);
    expect((await json<{ error: { code: string } }>(self)).error.code).toBe("OWN_ACCOUNT_FORBIDDEN");
    expect((await change("nobody", { action: "lock", reason: "x" })).status).toBe(404);
    expect((await change(ids.bob, { action: "delete" })).status).toBe(400);

    expect((await auditActions()).map((entry) => entry.action)).toEqual([
      "user.unlock",
      "user.lock",
      "user.remove-admin",
      "user.make-admin",
    ]);
    const search = async (q: string) =>
      (
        await json<{ users: { username: string }[] }>(
          await call(routes.users.GET as Handler, "GET", `/users?q=${encodeURIComponent(q)}`),
        )
      ).users.map((user) => user.username);
    expect(await search("Liddell")).toEqual(["alice"]);
    expect(await search("ALICE@EXAMPLE")).toEqual(["alice"]);
    expect(await search("example.test")).toHaveLength(3);
  });

  it("counts what the dashboard shows", async () => {
    const { getDashboardCounts } = await import("@/lib/admin/dashboard");
    await call(routes.reservations.POST as Handler, "POST", "/reservations", { pattern: "A.*" });
    await call(
      routes.user.PATCH as Handler,
      "PATCH",
      `/users/${ids.bob}`,
      { action: "lock", reason: "spam" },
      { id: ids.bob },
    );
    await db.certificate.create({ data: { sha256Fingerprint: "12".repeat(32), compromisedAt: new Date() } });
    await db.certificate.create({ data: { sha256Fingerprint: "34".repeat(32) } });
    expect(await getDashboardCounts(db)).toEqual({
      rejectedUploads: 0,
      quarantinedFiles: 0,
      quarantineBytes: 0,
      reservations: 1,
      certificates: 2,
      compromisedCertificates: 1,
      compromisedVersions: 0,
      users: 3,
      admins: 1,
      lockedUsers: 1,
      auditEntriesLastWeek: 2,
    });
    expect((await getDashboardCounts(db, new Date(Date.now() + 8 * 24 * 60 * 60 * 1000))).auditEntriesLastWeek).toBe(0);
  });

  it("filters the audit log by action", async () => {
    await call(routes.reservations.POST as Handler, "POST", "/reservations", { pattern: "A.*" });
    await call(
      routes.user.PATCH as Handler,
      "PATCH",
      `/users/${ids.bob}`,
      { action: "lock", reason: "spam" },
      { id: ids.bob },
    );
    const filtered = await json<{ entries: { action: string }[] }>(
      await call(routes.audit.GET as Handler, "GET", "/audit?action=user.lock"),
    );
    expect(filtered.entries.map((entry) => entry.action)).toEqual(["user.lock"]);
  });
});
