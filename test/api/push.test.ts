// `PUT /api/v2/package` on a real migrated database, through the route handler: the answers a
// NuGet client gets (201, 400, 401, 403, 409, 413), each refusal's sentence in the reason phrase
// and body, and what a push leaves behind (the version in the flat container, an upload attempt,
// nothing published when refused). Packages are built in memory by the test suite's ZIP model.
import { withoutRepositorySignature } from "@/test/support/repository-signing";
import { randomBytes } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db";
import type { ErrorBody } from "@/lib/http/errors";
import type { ApiKeyScope } from "@/lib/validation/rules/api-key";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { createAccounts, createKeySecret, useScratchStorage } from "./push-support";

type PushRoute = typeof import("@/app/api/v2/package/route");
type DownloadRoute = typeof import("@/app/v3-flatcontainer/[id]/[version]/[file]/route");
type Registry = typeof import("@/lib/api-keys/registry");

const PUSH_URL = "http://gallery.test/api/v2/package";
const SIZE_LIMIT = 64 * 1024;

function multipart(bytes: Uint8Array): FormData {
  const form = new FormData();
  form.append("package", new Blob([new Uint8Array(bytes)], { type: "application/octet-stream" }), "package.nupkg");
  return form;
}

describe.each(testDialects())("push API on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  useScratchStorage();
  let db: Db;
  let push: PushRoute;
  let download: DownloadRoute;
  let registry: Registry;
  let ids: Record<"alice" | "bob", string>;

  function put(key: string | null, body: BodyInit): Promise<Response> {
    return push.PUT(new Request(PUSH_URL, { method: "PUT", body, headers: key ? { "X-NuGet-ApiKey": key } : {} }));
  }

  function pushPackage(key: string, id: string, version: string): Promise<Response> {
    return put(key, multipart(buildUnsignedPackage({ id, version })));
  }

  function keyFor(userId: string, scopes?: ApiKeyScope[], packageGlob?: string): Promise<string> {
    return createKeySecret(db, userId, scopes, packageGlob);
  }

  /** The refusal's status and code, after checking the reason phrase carries the body's sentence. */
  async function refusal(response: Response): Promise<{ status: number; code: string; message: string }> {
    const { error, issues } = (await response.json()) as ErrorBody;
    expect(response.statusText).toBe(error.message);
    // A refusal that found several issues lists them all, its first error first.
    if (issues) expect(issues.find((issue) => issue.level === "error")).toMatchObject(error);
    return { status: response.status, code: error.code, message: error.message };
  }

  async function publishedVersions(): Promise<string[]> {
    const rows = await db.packageVersion.findMany({
      select: { version: true, registration: { select: { packageId: true } } },
    });
    return rows.map((row) => `${row.registration.packageId} ${row.version}`).sort();
  }

  beforeAll(async () => {
    vi.stubEnv("SIGNET_MAX_PACKAGE_BYTES", String(SIZE_LIMIT));
    push = await import("@/app/api/v2/package/route");
    download = await import("@/app/v3-flatcontainer/[id]/[version]/[file]/route");
    registry = await import("@/lib/api-keys/registry");
    db = database();
    ids = await createAccounts(db, ["alice", "bob"]);
  });

  beforeEach(async () => {
    await db.uploadAttempt.deleteMany();
    await db.packageVersion.deleteMany();
    await db.packageRegistration.deleteMany();
    await db.prefixReservation.deleteMany();
    await db.apiKey.deleteMany();
    await db.user.updateMany({ data: { lockedAt: null } });
  });

  it("publishes a good package with 201, makes the pusher its owner and serves it from the flat container", async () => {
    const bytes = buildUnsignedPackage({ id: "Contoso.Core", version: "1.0.0" });
    const response = await put(await keyFor(ids.alice), multipart(bytes));
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe("/v3-flatcontainer/contoso.core/1.0.0/contoso.core.1.0.0.nupkg");
    expect(await response.json()).toMatchObject({ packageId: "Contoso.Core", version: "1.0.0" });

    const registration = await db.packageRegistration.findUniqueOrThrow({
      where: { packageIdLower: "contoso.core" },
      select: { owners: { select: { userId: true } } },
    });
    expect(registration.owners).toEqual([{ userId: ids.alice }]);
    expect(await db.uploadAttempt.findMany({ select: { source: true, status: true, uploaderId: true } })).toEqual([
      { source: "API", status: "ACCEPTED", uploaderId: ids.alice },
    ]);

    const file = await download.GET(new Request("http://gallery.test/"), {
      params: Promise.resolve({ id: "contoso.core", version: "1.0.0", file: "contoso.core.1.0.0.nupkg" }),
    });
    // The gallery serves the uploaded package with its repository signature added.
    expect(await withoutRepositorySignature(new Uint8Array(await file.arrayBuffer()))).toEqual(bytes);
  });

  it("warns in X-NuGet-Warning when the key expires within ten days, and not before", async () => {
    const soon = await put(
      await keyFor(ids.alice),
      multipart(buildUnsignedPackage({ id: "Contoso.Soon", version: "1.0.0" })),
    );
    expect(soon.status).toBe(201);
    expect(soon.headers.get("X-NuGet-Warning")).toMatch(
      /^API_KEY_EXPIRING: This API key expires on \d{4}-\d{2}-\d{2}; create a new key/,
    );
    const later = (
      await registry.createApiKey(db, ids.alice, {
        name: "long",
        scopes: ["push"],
        packageGlob: "*",
        expiresInDays: 30,
      })
    ).secret;
    const quiet = await put(later, multipart(buildUnsignedPackage({ id: "Contoso.Later", version: "1.0.0" })));
    expect(quiet.status).toBe(201);
    expect(quiet.headers.get("X-NuGet-Warning")).toBeNull();
  });

  it("accepts the package as a raw request body too, as nuget.org does", async () => {
    const response = await put(
      await keyFor(ids.alice),
      new Uint8Array(buildUnsignedPackage({ id: "Contoso.Raw", version: "1.0.0" })),
    );
    expect(response.status).toBe(201);
    expect(await publishedVersions()).toEqual(["Contoso.Raw 1.0.0"]);
  });

  it("answers a second push of the same ID and version with 409 and keeps the first", async () => {
    const key = await keyFor(ids.alice);
    expect((await pushPackage(key, "Contoso.Core", "1.0.0")).status).toBe(201);
    expect(await refusal(await pushPackage(key, "Contoso.Core", "1.0"))).toEqual({
      status: 409,
      code: "PACKAGE_VERSION_EXISTS",
      message: "A package with ID 'Contoso.Core' and version '1.0.0' already exists and cannot be modified.",
    });
    expect(await publishedVersions()).toEqual(["Contoso.Core 1.0.0"]);
  });

  it("refuses keys that do not work with 401, before reading the package", async () => {
    const revoked = await registry.createApiKey(db, ids.alice, {
      name: "old",
      scopes: ["push"],
      packageGlob: "*",
      expiresInDays: 1,
    });
    await registry.revokeApiKey(db, ids.alice, revoked.apiKey.id);
    const package_ = multipart(buildUnsignedPackage({ id: "Contoso.Core", version: "1.0.0" }));
    expect(await refusal(await put(null, package_))).toMatchObject({ status: 401, code: "API_KEY_MISSING" });
    expect(await refusal(await put("signet_not-a-real-key", package_))).toMatchObject({
      status: 401,
      code: "API_KEY_INVALID",
    });
    expect(await refusal(await put(revoked.secret, package_))).toMatchObject({ status: 401, code: "API_KEY_REVOKED" });
    expect(await db.uploadAttempt.count()).toBe(0);
  });

  it("refuses the keys of a locked account with 403", async () => {
    const key = await keyFor(ids.alice);
    await db.user.update({ where: { id: ids.alice }, data: { lockedAt: new Date() } });
    expect(await refusal(await pushPackage(key, "Contoso.Core", "1.0.0"))).toMatchObject({
      status: 403,
      code: "ACCOUNT_LOCKED",
    });
  });

  it("refuses with 403 what the key's scopes or glob do not cover, and pushes that are not the owner's", async () => {
    expect(
      await refusal(await pushPackage(await keyFor(ids.alice, ["push-version"]), "Contoso.New", "1.0.0")),
    ).toMatchObject({
      status: 403,
      code: "API_KEY_SCOPE_DENIED",
    });
    expect(
      await refusal(await pushPackage(await keyFor(ids.alice, ["push"], "Fabrikam.*"), "Contoso.New", "1.0.0")),
    ).toMatchObject({
      status: 403,
      code: "API_KEY_PACKAGE_DENIED",
    });
    expect((await pushPackage(await keyFor(ids.alice), "Contoso.Core", "1.0.0")).status).toBe(201);
    expect((await pushPackage(await keyFor(ids.alice, ["push-version"]), "Contoso.Core", "1.1.0")).status).toBe(201);
    expect(await refusal(await pushPackage(await keyFor(ids.bob), "Contoso.Core", "2.0.0"))).toMatchObject({
      status: 403,
      code: "PACKAGE_NOT_OWNED",
    });
    expect(await publishedVersions()).toEqual(["Contoso.Core 1.0.0", "Contoso.Core 1.1.0"]);
  });

  it("refuses a new ID inside another account's reserved prefix with 403, naming the rule", async () => {
    await db.prefixReservation.create({
      data: { pattern: "Fabrikam.", patternLower: "fabrikam.", owners: { create: { userId: ids.bob } } },
    });
    const answer = await refusal(await pushPackage(await keyFor(ids.alice), "Fabrikam.Tools", "1.0.0"));
    expect(answer).toMatchObject({ status: 403, code: "PACKAGE_ID_RESERVED" });
    expect(answer.message).toContain("Fabrikam.*");
    expect((await pushPackage(await keyFor(ids.bob), "Fabrikam.Tools", "1.0.0")).status).toBe(201);
  });

  it("refuses broken uploads with 400 and a sentence, keeping a quarantine record and publishing nothing", async () => {
    const key = await keyFor(ids.alice);
    expect(await refusal(await put(key, multipart(new TextEncoder().encode("this is not a zip file"))))).toMatchObject({
      status: 400,
    });
    expect(await refusal(await put(key, multipart(new Uint8Array(0))))).toMatchObject({
      status: 400,
      code: "PACKAGE_EMPTY",
    });
    const noFile = new FormData();
    noFile.append("comment", "no package here");
    expect(await refusal(await put(key, noFile))).toMatchObject({ status: 400, code: "PACKAGE_MISSING" });
    expect(await publishedVersions()).toEqual([]);
    expect(await db.uploadAttempt.findMany({ select: { status: true } })).toEqual([{ status: "REJECTED" }]);
  });

  it("stops reading a package over the size limit and answers 413", async () => {
    // The ZIP model deflates, so the content is random text that stays over the limit compressed.
    const incompressible = buildUnsignedPackage({
      id: "Contoso.Large",
      version: "1.0.0",
      files: { "content/noise.txt": randomBytes(2 * SIZE_LIMIT).toString("hex") },
    });
    expect(incompressible.byteLength).toBeGreaterThan(SIZE_LIMIT);
    expect(await refusal(await put(await keyFor(ids.alice), multipart(incompressible)))).toMatchObject({
      status: 413,
      code: "PACKAGE_TOO_LARGE",
    });
    expect(await publishedVersions()).toEqual([]);
  });
});
