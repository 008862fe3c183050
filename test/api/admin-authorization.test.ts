// The authorization matrix of the admin console. Every route file under app/api/admin and every
// page under app/admin is found on disk, and each exported method (each page) is called signed
// out, as a plain member and as an admin: only the admin gets through. A route or page that is
// missing from the request tables below fails the test, so a new admin route cannot ship
// without being checked here.
import { readdirSync } from "node:fs";
import path from "node:path";
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

vi.mock("next/navigation", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/navigation")>()),
  redirect: (url: string) => {
    throw new Error(`redirect:${url}`);
  },
  forbidden: () => {
    throw new Error("forbidden");
  },
  notFound: () => {
    throw new Error("not-found");
  },
}));

const ROOT = path.resolve(import.meta.dirname, "../..");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

/** Rows every request below can point at; made afresh before each call. */
interface Fixtures {
  reservationId: string;
  certificateId: string;
  /** An account other than the admin's own, which admins may change. */
  otherUserId: string;
  /** A refused upload with its file in quarantine. */
  rejectedUploadId: string;
}

interface RouteRequest {
  query?: string;
  body?: (fixtures: Fixtures) => unknown;
}

interface RouteEntry {
  params: (fixtures: Fixtures) => Record<string, string>;
  methods: Partial<Record<Method, RouteRequest>>;
}

const NO_PARAMS = () => ({});

// Keyed by the route file's folder under app/api/admin. Each request is one an admin makes
// successfully, so the admin column proves the route works and not only that it refuses others.
const ROUTE_REQUESTS: Record<string, RouteEntry> = {
  audit: { params: NO_PARAMS, methods: { GET: { query: "?action=prefix.create" } } },
  certificates: { params: NO_PARAMS, methods: { GET: { query: "?q=contoso" } } },
  "certificates/[id]": { params: (f) => ({ id: f.certificateId }), methods: { GET: {} } },
  "certificates/[id]/compromise": {
    params: (f) => ({ id: f.certificateId }),
    methods: {
      PUT: { body: () => ({ compromisedAt: "2026-11-01", reason: "key leaked" }) },
      DELETE: { body: () => ({}) },
    },
  },
  reservations: {
    params: NO_PARAMS,
    methods: { GET: {}, POST: { body: () => ({ pattern: "Fabrikam.*", owners: [] }) } },
  },
  "reservations/[id]": {
    params: (f) => ({ id: f.reservationId }),
    methods: { PATCH: { body: () => ({ isPublic: true, owners: ["member"] }) }, DELETE: {} },
  },
  users: { params: NO_PARAMS, methods: { GET: { query: "?q=member" } } },
  "users/[id]": {
    params: (f) => ({ id: f.otherUserId }),
    methods: { PATCH: { body: () => ({ action: "lock", reason: "spam" }) } },
  },
  uploads: { params: NO_PARAMS, methods: { GET: { query: "?code=PACKAGE_ID_RESERVED&status=REJECTED" } } },
  "uploads/[id]": {
    params: (f) => ({ id: f.rejectedUploadId }),
    methods: { GET: {}, DELETE: { body: () => ({ reason: "malware" }) } },
  },
  "uploads/[id]/approve": {
    params: (f) => ({ id: f.rejectedUploadId }),
    methods: { POST: { body: () => ({ reason: "owner asked by email" }) } },
  },
  "uploads/[id]/file": { params: (f) => ({ id: f.rejectedUploadId }), methods: { GET: {} } },
  "uploads/[id]/revalidate": { params: (f) => ({ id: f.rejectedUploadId }), methods: { POST: {} } },
};

// Keyed by the page file's folder under app/admin ("" is /admin itself).
const PAGE_REQUESTS: Record<
  string,
  { params: (fixtures: Fixtures) => Record<string, string>; searchParams?: Record<string, string> }
> = {
  "": { params: NO_PARAMS },
  audit: { params: NO_PARAMS, searchParams: { action: "prefix.create" } },
  certificates: { params: NO_PARAMS, searchParams: { q: "contoso" } },
  "certificates/[id]": { params: (f) => ({ id: f.certificateId }) },
  reservations: { params: NO_PARAMS },
  uploads: { params: NO_PARAMS, searchParams: { code: "PACKAGE_ID_RESERVED" } },
  "uploads/[id]": { params: (f) => ({ id: f.rejectedUploadId }) },
  users: { params: NO_PARAMS, searchParams: { q: "member" } },
};

/** Folders (relative to `base`, "/"-separated) holding a file named `fileName`. */
function foldersWith(base: string, fileName: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(base, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.name === fileName) found.push(relative);
    }
  };
  walk("");
  return found.sort();
}

const routeFolders = foldersWith(path.join(ROOT, "app/api/admin"), "route.ts");
const pageFolders = foldersWith(path.join(ROOT, "app/admin"), "page.tsx");

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type PageComponent = (props: {
  params: Promise<Record<string, string>>;
  searchParams: Promise<Record<string, string>>;
}) => Promise<unknown>;

describe("the admin authorization matrix covers", () => {
  it("every route file and page on disk, and nothing that is not there", () => {
    expect(routeFolders.length).toBeGreaterThan(0);
    expect(routeFolders).toEqual(Object.keys(ROUTE_REQUESTS).sort());
    expect(pageFolders).toEqual(Object.keys(PAGE_REQUESTS).sort());
  });
});

describe.each(testDialects())("admin authorization on %s", (dialect) => {
  useScratchStorage();
  const database = useAppDatabase(dialect);
  let db: Db;
  const ids = { admin: "", member: "" };
  let uploadCount = 0;

  /** The member pushes into the ownerless Contoso.* reservation: refused, kept in quarantine. */
  async function rejectedUpload(): Promise<string> {
    uploadCount += 1;
    const pushed = await pushTestPackage(db, ids.member, "Contoso.Blocked", `1.0.${uploadCount}`);
    expect(pushed.status).toBe("rejected");
    return pushed.attemptId;
  }

  async function makeFixtures(): Promise<Fixtures> {
    await db.auditLogEntry.deleteMany();
    await db.uploadAttempt.deleteMany();
    await db.packageRegistration.deleteMany();
    await db.prefixReservation.deleteMany();
    await db.certificate.deleteMany();
    await db.user.deleteMany({ where: { id: { notIn: [ids.admin, ids.member] } } });
    const reservation = await db.prefixReservation.create({
      data: { pattern: "Contoso.", patternLower: "contoso.", isPrefix: true },
    });
    const certificate = await db.certificate.create({
      data: { sha256Fingerprint: "ef".repeat(32), subject: "CN=Contoso" },
    });
    const other = await db.user.create({
      data: { email: `other-${Date.now()}@example.test`, username: `other-${Date.now()}` },
    });
    return {
      reservationId: reservation.id,
      certificateId: certificate.id,
      otherUserId: other.id,
      rejectedUploadId: await rejectedUpload(),
    };
  }

  beforeAll(async () => {
    db = database();
    ids.admin = (await db.user.create({ data: { email: "admin@example.test", username: "admin", role: "ADMIN" } })).id;
    ids.member = (await db.user.create({ data: { email: "member@example.test", username: "member" } })).id;
  });

  beforeEach(() => {
    session.userId = undefined;
  });

  const routeCases = routeFolders.flatMap((folder) => METHODS.map((method) => ({ folder, method })));

  it.each(routeCases)(
    "route $folder $method: 401 signed out, 403 for members, success for admins",
    async ({ folder, method }) => {
      const routeModule = (await import(
        /* @vite-ignore */ path.join(ROOT, "app/api/admin", folder, "route.ts")
      )) as Partial<Record<Method, RouteHandler>>;
      const handler = routeModule[method];
      const entry = ROUTE_REQUESTS[folder];
      const request = entry?.methods[method];
      if (!handler) {
        expect(request, `${folder} has no ${method} handler, but the table has a request for it`).toBeUndefined();
        return;
      }
      expect(request, `add a ${method} request for ${folder} to ROUTE_REQUESTS`).toBeDefined();
      if (!entry || !request) return;

      const call = async () => {
        const fixtures = await makeFixtures();
        const body = request.body?.(fixtures);
        return handler(pageRequest(`http://gallery.test/api/admin/${folder}${request.query ?? ""}`, method, body), {
          params: Promise.resolve(entry.params(fixtures)),
        });
      };

      session.userId = undefined;
      const signedOut = await call();
      expect(signedOut.status).toBe(401);
      expect(await db.auditLogEntry.count()).toBe(0);

      session.userId = ids.member;
      const member = await call();
      expect(member.status).toBe(403);
      expect(await db.auditLogEntry.count()).toBe(0);

      session.userId = ids.admin;
      const admin = await call();
      expect(admin.status, await admin.clone().text()).toBeLessThan(300);
      // Reads change nothing; every change leaves exactly one audit entry.
      expect(await db.auditLogEntry.count()).toBe(method === "GET" ? 0 : 1);
    },
  );

  it.each(pageFolders)(
    "page /admin/%s: sign-in redirect signed out, 403 for members, rendered for admins",
    async (folder) => {
      const page = (
        (await import(/* @vite-ignore */ path.join(ROOT, "app/admin", folder, "page.tsx"))) as {
          default: PageComponent;
        }
      ).default;
      const entry = PAGE_REQUESTS[folder];
      expect(entry, `add /admin/${folder} to PAGE_REQUESTS`).toBeDefined();
      if (!entry) return;
      const render = async () => {
        const fixtures = await makeFixtures();
        return page({
          params: Promise.resolve(entry.params(fixtures)),
          searchParams: Promise.resolve(entry.searchParams ?? {}),
        });
      };

      session.userId = undefined;
      await expect(render()).rejects.toThrow(/^redirect:\/signin\?callbackUrl=%2Fadmin/);
      session.userId = ids.member;
      await expect(render()).rejects.toThrow("forbidden");
      session.userId = ids.admin;
      expect(await render()).toBeTruthy();
    },
  );
});
