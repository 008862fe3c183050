// Bodies buffered without limit (issue 14): a 200 MB POST to the credentials callback or a JSON
// route raised server memory by 600 MB. Every route file's state-changing handlers, found on
// disk, get an 8 MiB streamed body from this origin as a signed-in admin: each must answer 413
// BODY_TOO_LARGE or leave the body unread, and none may pull more than the 64 KiB limit plus one
// chunk off the stream. Package uploads stream to disk under their own limit and are listed.
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { mutatingHandlers, paramsFor, urlFor, type MutatingHandler } from "@/test/support/route-files";
import { useScratchStorage } from "./admin-fixtures";

const session = vi.hoisted(() => ({ userId: undefined as string | undefined }));

vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (await import("@/test/support/session-stand-in")).standInSession(session.userId),
}));

const ORIGIN = "http://gallery.test";
const LIMIT = 64 * 1024;
const CHUNK = 16 * 1024;
const SENT = 8 * 1024 * 1024;

// Route files whose bodies are packages: streamed to disk with SIGNET_MAX_PACKAGE_BYTES.
const PACKAGE_ROUTES: Record<string, string> = {
  "api/v2/package/route.ts": "NuGet push (tested in test/api/push.test.ts)",
  "api/uploads/route.ts": "browser upload (tested in test/uploads)",
  "api/verify/route.ts": "verify a copy (tested in test/api/verify-copy.test.ts)",
};

/** A body that makes its bytes only when read, counting how many were pulled. */
function countingBody(contentType: string): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= SENT) return controller.close();
        const chunk = new Uint8Array(CHUNK).fill(contentType.includes("json") ? 0x20 : 0x61);
        if (pulled === 0 && contentType.includes("json")) chunk[0] = 0x7b; // "{" then spaces
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

describe.each(testDialects())("request body limits on %s", (dialect) => {
  useScratchStorage();
  const database = useAppDatabase(dialect);
  let cells: MutatingHandler[];

  beforeAll(async () => {
    session.userId = (
      await database().user.create({ data: { email: "admin@example.test", username: "admin", role: "ADMIN" } })
    ).id;
    cells = await mutatingHandlers();
  });

  it("reads at most 64 KiB of any non-package body, and answers 413 when it needed the body", async () => {
    const refused: string[] = [];
    for (const { file, method, handler } of cells) {
      if (file in PACKAGE_ROUTES) continue;
      const contentType = file.startsWith("api/auth/") ? "application/x-www-form-urlencoded" : "application/json";
      const body = countingBody(contentType);
      const request = new NextRequest(urlFor(ORIGIN, file), {
        method,
        headers: { origin: ORIGIN, "content-type": contentType },
        body: body.stream,
        duplex: "half",
      } as ConstructorParameters<typeof NextRequest>[1]);
      const response = await handler(request, { params: Promise.resolve(paramsFor(file)) });
      expect(body.pulled(), `${method} ${file} read ${body.pulled()} bytes`).toBeLessThanOrEqual(LIMIT + CHUNK);
      if (response.status === 413) {
        const { error } = (await response.json()) as { error: { code: string; message: string } };
        expect(error.code).toBe("BODY_TOO_LARGE");
        expect(error.message).toMatch(/larger than 64 KiB/);
        refused.push(`${method} ${file}`);
      }
    }
    // The routes that take a JSON body, and next-auth's form posts, said so; the rest never read it.
    expect(refused).toEqual(
      expect.arrayContaining([
        "POST api/account/api-keys/route.ts",
        "POST api/account/certificates/route.ts",
        "POST api/admin/reservations/route.ts",
        "PATCH api/admin/users/[id]/route.ts",
        "POST api/auth/[...nextauth]/route.ts",
      ]),
    );
  });

  it("refuses a declared Content-Length over the limit without reading anything", async () => {
    const { readBodyText } = await import("@/lib/http/body");
    const body = countingBody("application/json");
    const request = new Request(`${ORIGIN}/api/x`, {
      method: "POST",
      headers: { "content-length": String(200 * 1024 * 1024) },
      body: body.stream,
      duplex: "half",
    } as RequestInit);
    await expect(readBodyText(request)).rejects.toMatchObject({ code: "BODY_TOO_LARGE" });
    expect(body.pulled()).toBe(0);
  });

  it("still reads bodies within the limit", async () => {
    const { readJsonBody } = await import("@/lib/http/body");
    const text = JSON.stringify({ reason: "x".repeat(LIMIT - 20) });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(LIMIT);
    const request = new Request(`${ORIGIN}/api/x`, { method: "POST", body: text });
    expect(await readJsonBody(request, "JSON please")).toEqual({ reason: "x".repeat(LIMIT - 20) });
  });
});
