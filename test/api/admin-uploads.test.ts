// Refused uploads in the admin API, on a real database and storage folder: the table's filters,
// the full record, the quarantined file's download, and revalidate / approve / delete with the
// audit entries they leave. Packages are pushed through the upload pipeline itself.
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { pushTestPackage, useScratchStorage } from "./admin-fixtures";
import { pageRequest } from "@/test/support/api-request";

const session = vi.hoisted(() => ({ userId: undefined as string | undefined }));

vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (await import("@/test/support/session-stand-in")).standInSession(session.userId),
}));

const BASE = "http://gallery.test/api/admin/uploads";

interface ListBody {
  attempts: { id: string; packageId: string; uploaderUsername: string; issues: { code: string }[] }[];
  total: number;
  problems: string[];
}

describe.each(testDialects())("refused uploads in the admin API on %s", (dialect) => {
  useScratchStorage();
  const database = useAppDatabase(dialect);
  let db: Db;
  let routes: {
    list: typeof import("@/app/api/admin/uploads/route");
    item: typeof import("@/app/api/admin/uploads/[id]/route");
    file: typeof import("@/app/api/admin/uploads/[id]/file/route");
    approve: typeof import("@/app/api/admin/uploads/[id]/approve/route");
    revalidate: typeof import("@/app/api/admin/uploads/[id]/revalidate/route");
  };
  const ids = { admin: "", carol: "", dave: "" };

  const push = (uploaderId: string, packageId: string, version: string) =>
    pushTestPackage(db, uploaderId, packageId, version);

  const context = (id: string) => ({ params: Promise.resolve({ id }) });
  const jsonRequest = pageRequest;

  async function list(query: string): Promise<ListBody> {
    return (await (
      await routes.list.GET(new Request(`${BASE}${query}`), { params: Promise.resolve({}) })
    ).json()) as ListBody;
  }

  beforeAll(async () => {
    routes = {
      list: await import("@/app/api/admin/uploads/route"),
      item: await import("@/app/api/admin/uploads/[id]/route"),
      file: await import("@/app/api/admin/uploads/[id]/file/route"),
      approve: await import("@/app/api/admin/uploads/[id]/approve/route"),
      revalidate: await import("@/app/api/admin/uploads/[id]/revalidate/route"),
    };
    db = database();
    ids.admin = (await db.user.create({ data: { email: "admin@example.test", username: "admin", role: "ADMIN" } })).id;
    ids.carol = (await db.user.create({ data: { email: "carol@example.test", username: "carol" } })).id;
    ids.dave = (await db.user.create({ data: { email: "dave@example.test", username: "dave" } })).id;
  });

  beforeEach(async () => {
    session.userId = ids.admin;
    await db.auditLogEntry.deleteMany();
    await db.uploadAttempt.deleteMany();
    await db.packageRegistration.deleteMany();
    await db.prefixReservation.deleteMany();
    // Contoso.* belongs to Carol: Dave's new Contoso IDs are refused.
    await db.prefixReservation.create({
      data: {
        pattern: "Contoso.",
        patternLower: "contoso.",
        isPrefix: true,
        owners: { create: [{ userId: ids.carol }] },
      },
    });
  });

  it("lists refused uploads by issue code, package ID, uploader and date, and reports unusable filters", async () => {
    const refused = await push(ids.dave, "Contoso.Taken", "1.0.0");
    expect(refused.status).toBe("rejected");
    expect((await push(ids.carol, "Contoso.Mine", "1.0.0")).status).toBe("accepted");

    const byCode = await list("?code=package_id_reserved");
    expect(byCode.attempts.map((attempt) => [attempt.id, attempt.packageId, attempt.uploaderUsername])).toEqual([
      [refused.attemptId, "Contoso.Taken", "dave"],
    ]);
    expect(byCode.attempts[0]?.issues.map((issue) => issue.code)).toContain("PACKAGE_ID_RESERVED");
    expect((await list("?code=NU3008")).total).toBe(0);
    expect((await list("?packageId=Taken&uploader=Dave")).total).toBe(1);
    expect((await list("?uploader=carol")).total).toBe(0);
    expect((await list("?status=ACCEPTED&uploader=carol")).total).toBe(1);
    const today = new Date().toISOString().slice(0, 10);
    expect((await list(`?from=${today}&to=${today}`)).total).toBe(1);
    expect((await list("?to=2020-01-01")).total).toBe(0);

    const unusable = await list("?from=yesterday&uploader=nobody");
    expect(unusable.total).toBe(0);
    expect(unusable.problems).toEqual([
      "from: Dates are written YYYY-MM-DD.",
      "uploader: no account has the username 'nobody'.",
    ]);
    const badStatus = await list("?status=LOST&packageId=Taken");
    expect(badStatus.problems).toHaveLength(1);
    expect(badStatus.total).toBe(1);
  });

  it("shows the whole record and streams the quarantined file unchanged", async () => {
    const refused = await push(ids.dave, "Contoso.Taken", "1.0.0");
    const detail = (await (
      await routes.item.GET(new Request(`${BASE}/${refused.attemptId}`), context(refused.attemptId))
    ).json()) as {
      upload: { status: string; nuspecXml: string; storageKey: string };
    };
    expect(detail.upload).toMatchObject({ status: "REJECTED", storageKey: `quarantine/${refused.attemptId}.nupkg` });
    expect(detail.upload.nuspecXml).toContain("<id>Contoso.Taken</id>");

    const download = await routes.file.GET(
      new Request(`${BASE}/${refused.attemptId}/file`),
      context(refused.attemptId),
    );
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toBe('attachment; filename="Contoso.Taken.1.0.0.nupkg"');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(refused.bytes);

    expect((await routes.item.GET(new Request(`${BASE}/none`), context("none"))).status).toBe(404);
  });

  it("revalidates: still refused while the reservation stands, published once Dave owns it too", async () => {
    const refused = await push(ids.dave, "Contoso.Taken", "1.0.0");
    const revalidate = () =>
      routes.revalidate.POST(
        jsonRequest(`${BASE}/${refused.attemptId}/revalidate`, "POST"),
        context(refused.attemptId),
      );

    const still = await revalidate();
    expect(still.status).toBe(200);
    expect(((await still.json()) as { message: string }).message).toBe(
      "Still refused (PACKAGE_ID_RESERVED); the upload stays in quarantine with the new issues.",
    );

    const reservation = await db.prefixReservation.findFirstOrThrow();
    await db.prefixReservationOwner.create({ data: { reservationId: reservation.id, userId: ids.dave } });
    const accepted = await revalidate();
    expect(((await accepted.json()) as { message: string }).message).toBe("Published as Contoso.Taken 1.0.0.");
    expect(await db.uploadAttempt.findUniqueOrThrow({ where: { id: refused.attemptId } })).toMatchObject({
      status: "ACCEPTED",
    });
    // Reviewed already: a second review is refused, and the file is no longer in quarantine.
    expect((await revalidate()).status).toBe(409);
    expect(
      (await routes.file.GET(new Request(`${BASE}/${refused.attemptId}/file`), context(refused.attemptId))).status,
    ).toBe(404);
    const actions = await db.auditLogEntry.findMany({
      orderBy: { createdAt: "asc" },
      select: { action: true, actorId: true },
    });
    expect(actions).toEqual([
      { action: "upload.revalidate", actorId: ids.admin },
      { action: "upload.revalidate", actorId: ids.admin },
    ]);
  });

  it("approves only with a reason, publishing it; deletes only with a reason, keeping the record", async () => {
    const first = await push(ids.dave, "Contoso.Taken", "1.0.0");
    const approve = (body: unknown) =>
      routes.approve.POST(jsonRequest(`${BASE}/${first.attemptId}/approve`, "POST", body), context(first.attemptId));
    const missing = await approve({ reason: " " });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { issues: { message: string }[] }).issues[0]?.message).toBe(
      "reason: Give a reason; it is kept in the audit log.",
    );
    expect((await approve({})).status).toBe(400);

    const approved = await approve({ reason: "Dave works for Contoso" });
    expect(approved.status).toBe(200);
    expect(await db.uploadAttempt.findUniqueOrThrow({ where: { id: first.attemptId } })).toMatchObject({
      status: "APPROVED",
      reviewerId: ids.admin,
      reviewReason: "Dave works for Contoso",
    });
    expect(await db.packageVersion.count({ where: { registration: { packageIdLower: "contoso.taken" } } })).toBe(1);

    const second = await push(ids.dave, "Contoso.Other", "1.0.0");
    const remove = (body?: unknown) =>
      routes.item.DELETE(jsonRequest(`${BASE}/${second.attemptId}`, "DELETE", body), context(second.attemptId));
    expect((await remove()).status).toBe(400);
    expect((await remove({ reason: "spam" })).status).toBe(200);
    expect(await db.uploadAttempt.findUniqueOrThrow({ where: { id: second.attemptId } })).toMatchObject({
      status: "DELETED",
      storageKey: null,
      reviewReason: "spam",
    });
    expect((await list("?status=DELETED")).attempts.map((attempt) => attempt.id)).toEqual([second.attemptId]);

    const entries = await db.auditLogEntry.findMany({
      orderBy: { createdAt: "asc" },
      select: { action: true, reason: true },
    });
    expect(entries).toEqual([
      { action: "upload.approve", reason: "Dave works for Contoso" },
      { action: "upload.delete", reason: "spam" },
    ]);
  });
});
