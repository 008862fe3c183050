// Cross-site request forgery (issue 14): every route file under app/ is found on disk, and each
// exported state-changing method is called as a signed-in admin from another origin, without
// any origin, with a same-site-but-not-same-origin Sec-Fetch-Site, and from this origin with a
// text/plain body. The guard must refuse each before anything is read or written. Routes that
// never use the session cookie are listed with the reason; a new route that is neither guarded
// nor listed fails this test.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { mutatingHandlers, paramsFor, routeFiles, type MutatingHandler } from "@/test/support/route-files";
import { useScratchStorage } from "./admin-fixtures";

const session = vi.hoisted(() => ({ userId: undefined as string | undefined }));

vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (await import("@/test/support/session-stand-in")).standInSession(session.userId),
}));

const ORIGIN = "http://gallery.test";

// Route files (relative to app/) whose changes are not authenticated by the session cookie.
const COOKIELESS_ROUTES: Record<string, string> = {
  "api/auth/[...nextauth]/route.ts":
    "next-auth's own endpoints; sign-in and sign-out carry its double-submit CSRF token",
  "api/v2/package/route.ts": "pushes authenticate with X-NuGet-ApiKey only",
  "api/v2/package/[id]/[version]/route.ts": "unlisting authenticates with X-NuGet-ApiKey only",
  "api/verify/route.ts": "verifying a copy needs no account and changes nothing",
  "api/trusted-publishing/exchange/route.ts": "a CI job authenticates with the OIDC token in its request body",
};

// Of those, the ones anyone may call: no key, no session, and nothing written.
const ANONYMOUS_ROUTES = new Set(["api/verify/route.ts"]);
// Of those, the ones whose credential travels in the body: without a body there is nothing to judge.
const BODY_CREDENTIAL_ROUTES = new Set(["api/trusted-publishing/exchange/route.ts"]);

const FORGERIES: { name: string; headers: Record<string, string>; body?: string; status: number; code: string }[] = [
  {
    name: "from another origin",
    headers: { origin: "http://gallery.test:8999", "content-type": "application/json" },
    body: "{}",
    status: 403,
    code: "CROSS_SITE_REQUEST",
  },
  {
    name: "from a sibling subdomain",
    headers: { origin: "http://evil.gallery.test", "sec-fetch-site": "same-site" },
    status: 403,
    code: "CROSS_SITE_REQUEST",
  },
  { name: "with an opaque origin", headers: { origin: "null" }, status: 403, code: "CROSS_SITE_REQUEST" },
  {
    name: "with no Origin and Sec-Fetch-Site: same-site",
    headers: { "sec-fetch-site": "same-site" },
    status: 403,
    code: "CROSS_SITE_REQUEST",
  },
  { name: "with neither Origin nor Sec-Fetch-Site", headers: {}, status: 403, code: "CROSS_SITE_REQUEST" },
  {
    name: "from this origin with a text/plain body",
    headers: { origin: ORIGIN, "content-type": "text/plain" },
    body: '{"reason":"x"}',
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
  },
  {
    name: "from this origin with an untyped body",
    headers: { "sec-fetch-site": "same-origin", "content-length": "2" },
    body: "{}",
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
  },
];

describe.each(testDialects())("cross-site request forgery guard on %s", (dialect) => {
  useScratchStorage();
  const database = useAppDatabase(dialect);
  let db: Db;
  let cells: MutatingHandler[];

  async function rowCounts(): Promise<number[]> {
    return Promise.all([
      db.apiKey.count(),
      db.registeredCertificate.count(),
      db.auditLogEntry.count(),
      db.uploadAttempt.count(),
      db.user.count(),
    ]);
  }

  beforeAll(async () => {
    db = database();
    session.userId = (
      await db.user.create({ data: { email: "admin@example.test", username: "admin", role: "ADMIN" } })
    ).id;
    cells = await mutatingHandlers();
  });

  it("finds the gallery's route files and every state-changing handler in them", () => {
    expect(routeFiles()).toContain("api/account/api-keys/route.ts");
    expect(cells.length).toBeGreaterThanOrEqual(15);
    for (const file of Object.keys(COOKIELESS_ROUTES))
      expect(routeFiles(), `${file} is listed but does not exist`).toContain(file);
  });

  it.each(FORGERIES)("refuses every cookie-authenticated change $name, before touching anything", async (forgery) => {
    const before = await rowCounts();
    for (const { file, method, handler } of cells) {
      if (file in COOKIELESS_ROUTES) continue;
      const url = `${ORIGIN}/${file.replace(/\/route\.ts$/, "").replace(/\[([a-z]+)\]/g, "no-such-row")}`;
      const request = new Request(url, {
        method,
        headers: forgery.headers,
        ...(forgery.body ? { body: forgery.body } : {}),
      });
      const response = await handler(request, { params: Promise.resolve(paramsFor(file)) });
      expect(response.status, `${method} ${file}`).toBe(forgery.status);
      expect(((await response.json()) as { error: { code: string } }).error.code, `${method} ${file}`).toBe(
        forgery.code,
      );
    }
    expect(await rowCounts()).toEqual(before);
  });

  it("lets routes outside the cookie guard ignore the session entirely", async () => {
    for (const { file, method, handler } of cells) {
      if (!(file in COOKIELESS_ROUTES) || file.startsWith("api/auth/")) continue;
      // Signed in as an admin but with no API key: the cookie must not count for anything.
      const response = await handler(
        new Request(`${ORIGIN}/api/v2/package/x/1.0.0`, { method, headers: { origin: ORIGIN } }),
        {
          params: Promise.resolve(paramsFor(file)),
        },
      );
      // An anonymous route answers as it would anyone: here, that the request carries no package.
      expect(response.status, `${method} ${file}`).toBe(
        ANONYMOUS_ROUTES.has(file) ? 415 : BODY_CREDENTIAL_ROUTES.has(file) ? 400 : 401,
      );
    }
  });

  it("accepts a same-origin change, by Origin or by Sec-Fetch-Site when a browser sends no Origin", async () => {
    const { assertSameOriginMutation } = await import("@/lib/http/same-origin");
    const json = { "content-type": "application/json; charset=utf-8" };
    expect(() =>
      assertSameOriginMutation(
        new Request(`${ORIGIN}/api/x`, { method: "POST", headers: { origin: ORIGIN, ...json }, body: "{}" }),
      ),
    ).not.toThrow();
    expect(() =>
      assertSameOriginMutation(
        new Request(`${ORIGIN}/api/x`, { method: "DELETE", headers: { "sec-fetch-site": "same-origin" } }),
      ),
    ).not.toThrow();
    // Behind a proxy the public host arrives as X-Forwarded-Host.
    const forwarded = {
      origin: "https://nuget.example",
      "x-forwarded-host": "nuget.example",
      "x-forwarded-proto": "https",
    };
    expect(() =>
      assertSameOriginMutation(new Request("http://127.0.0.1:3000/api/x", { method: "DELETE", headers: forwarded })),
    ).not.toThrow();
    // Reading never needs the check.
    expect(() =>
      assertSameOriginMutation(new Request(`${ORIGIN}/api/x`, { headers: { origin: "http://evil.test" } })),
    ).not.toThrow();
  });
});
