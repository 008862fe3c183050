// One error body for every API route (issue 18): every route file under app/, found on disk, has
// each of its handlers called signed out, then as a signed-in admin with an empty JSON body and
// rows that do not exist. Every refusal must be `{ error: { code, message }, issues? }` as JSON,
// with a code from the issue catalogue and the status the catalogue gives that code, and none may
// be the gallery's own fault. A new route that answers some other way fails this test.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db";
import { isIssueCode, statusOf, type ErrorCode } from "@/lib/issues";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { METHODS, MUTATING, paramsFor, routeHandlers, urlFor, type MethodHandler } from "@/test/support/route-files";
import { useScratchStorage } from "./admin-fixtures";

const session = vi.hoisted(() => ({ userId: undefined as string | undefined }));

vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (await import("@/test/support/session-stand-in")).standInSession(session.userId),
}));

const ORIGIN = "http://gallery.test";

// next-auth answers its own endpoints in its own shape (redirects and { url }); only the sign-in
// throttle in front of it speaks the gallery's body (lib/auth/sign-in-gate.test.ts).
const FOREIGN_ROUTES = new Set(["api/auth/[...nextauth]/route.ts"]);

interface Refusal {
  where: string;
  status: number;
  code: string;
}

/** Calls the handler and, if it refuses, checks the body's shape; returns the refusal or null. */
async function refusalOf(
  { file, method, handler }: MethodHandler,
  headers: Record<string, string>,
): Promise<Refusal | null> {
  const mutating = (MUTATING as readonly string[]).includes(method);
  const request = new Request(urlFor(ORIGIN, file), { method, headers, ...(mutating ? { body: "{}" } : {}) });
  const response = await handler(request, { params: Promise.resolve(paramsFor(file)) });
  const where = `${method} ${file}`;
  if (response.status < 400) return null;
  expect(response.headers.get("content-type"), where).toMatch(/^application\/json\b/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(
    Object.keys(body).filter((key) => key !== "issues"),
    where,
  ).toEqual(["error"]);
  const { error } = body as { error: { code: string; message: string } };
  expect(Object.keys(error).sort(), where).toEqual(["code", "message"]);
  expect(isIssueCode(error.code), `${where}: ${error.code} is not in the catalogue`).toBe(true);
  expect(response.status, `${where}: ${error.code}`).toBe(statusOf(error.code as ErrorCode));
  expect(error.message, where).toMatch(/\S.*[.)]$/);
  if ("issues" in body) {
    for (const issue of body.issues as { code: string; level: string; message: string }[]) {
      expect(isIssueCode(issue.code), `${where}: issue ${issue.code}`).toBe(true);
      expect(["error", "warning"], where).toContain(issue.level);
    }
  }
  return { where, status: response.status, code: error.code };
}

describe.each(testDialects())("API error bodies on %s", (dialect) => {
  useScratchStorage();
  const database = useAppDatabase(dialect);
  let db: Db;
  let cells: MethodHandler[];

  beforeAll(async () => {
    db = database();
    cells = (await routeHandlers(METHODS)).filter((cell) => !FOREIGN_ROUTES.has(cell.file));
  });

  async function refusals(headers: Record<string, string>): Promise<Refusal[]> {
    const found: Refusal[] = [];
    for (const cell of cells) {
      const refusal = await refusalOf(cell, headers);
      if (refusal) found.push(refusal);
    }
    for (const { where, status, code } of found)
      expect(status, `${where} answered ${code}, the gallery's own fault`).toBeLessThan(500);
    return found;
  }

  it("answers every refusal to a signed-out caller in the one shape", async () => {
    session.userId = undefined;
    const found = await refusals({ origin: ORIGIN, "content-type": "application/json" });
    // Account, admin and upload routes all refuse an anonymous caller.
    expect(found.filter((refusal) => refusal.code === "UNAUTHENTICATED").length).toBeGreaterThanOrEqual(20);
    expect(found.map((refusal) => refusal.where)).toContain("PUT api/v2/package/route.ts");
  });

  it("answers every refusal to a signed-in admin (empty bodies, rows that do not exist) in the one shape", async () => {
    session.userId = (
      await db.user.create({ data: { email: "admin@example.test", username: "admin", role: "ADMIN" } })
    ).id;
    const found = await refusals({ origin: ORIGIN, "content-type": "application/json" });
    const codes = new Set(found.map((refusal) => refusal.code));
    expect(codes).toContain("INVALID_REQUEST");
    expect([...codes].some((code) => code.endsWith("NOT_FOUND"))).toBe(true);
  });
});
