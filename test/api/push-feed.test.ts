// The V3 feed and unlisting on a real migrated database, through the route handlers: the service
// index, the flat container's version list and downloads (streamed from storage, 404s), and
// `dotnet nuget delete` as unlist with its key and ownership checks. Versions are published by
// alice through the push route; push's own answers are covered by push.test.ts.
import { createHash } from "node:crypto";
import { withoutRepositorySignature } from "@/test/support/repository-signing";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import type { ApiKeyScope } from "@/lib/validation/rules/api-key";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { createAccounts, createKeySecret, useScratchStorage } from "./push-support";

type ServiceIndexRoute = typeof import("@/app/v3/index.json/route");
type VersionsRoute = typeof import("@/app/v3-flatcontainer/[id]/index.json/route");
type DownloadRoute = typeof import("@/app/v3-flatcontainer/[id]/[version]/[file]/route");
type ListingRoute = typeof import("@/app/api/v2/package/[id]/[version]/route");
type PushRoute = typeof import("@/app/api/v2/package/route");

const ORIGIN = "http://gallery.test";

describe.each(testDialects())("V3 feed and unlisting on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  useScratchStorage();
  let db: Db;
  let index: ServiceIndexRoute;
  let versionsRoute: VersionsRoute;
  let download: DownloadRoute;
  let listing: ListingRoute;
  let push: PushRoute;
  let ids: Record<"alice" | "bob", string>;

  /** Alice pushes Contoso.Core at this version; returns the package's bytes. */
  async function publish(version: string, listed = true): Promise<Uint8Array> {
    const bytes = new Uint8Array(buildUnsignedPackage({ id: "Contoso.Core", version }));
    const headers = { "X-NuGet-ApiKey": await keyFor(ids.alice, ["push"]) };
    const response = await push.PUT(new Request(`${ORIGIN}/api/v2/package`, { method: "PUT", headers, body: bytes }));
    expect(response.status).toBe(201);
    if (!listed) await db.packageVersion.updateMany({ where: { versionLower: version.toLowerCase() }, data: { listed: false } });
    return bytes;
  }

  function keyFor(userId: string, scopes?: ApiKeyScope[], packageGlob?: string): Promise<string> {
    return createKeySecret(db, userId, scopes, packageGlob);
  }

  function versions(id: string): Promise<Response> {
    return versionsRoute.GET(new Request(`${ORIGIN}/v3-flatcontainer/${id}/index.json`), { params: Promise.resolve({ id }) });
  }

  function fetchPackage(id: string, version: string, file: string): Promise<Response> {
    return download.GET(new Request(`${ORIGIN}/v3-flatcontainer/${id}/${version}/${file}`), { params: Promise.resolve({ id, version, file }) });
  }

  function unlist(id: string, version: string, key: string | null): Promise<Response> {
    const headers = key ? { "X-NuGet-ApiKey": key } : undefined;
    return listing.DELETE(new Request(`${ORIGIN}/api/v2/package/${id}/${version}`, { method: "DELETE", headers }), { params: Promise.resolve({ id, version }) });
  }

  beforeAll(async () => {
    index = await import("@/app/v3/index.json/route");
    versionsRoute = await import("@/app/v3-flatcontainer/[id]/index.json/route");
    download = await import("@/app/v3-flatcontainer/[id]/[version]/[file]/route");
    listing = await import("@/app/api/v2/package/[id]/[version]/route");
    push = await import("@/app/api/v2/package/route");
    db = database();
    ids = await createAccounts(db, ["alice", "bob"]);
  });

  beforeEach(async () => {
    await db.auditLogEntry.deleteMany();
    await db.uploadAttempt.deleteMany();
    await db.packageRegistration.deleteMany();
  });

  it("serves a service index on the request's origin", async () => {
    const body = (await (await index.GET(new Request(`${ORIGIN}/v3/index.json`))).json()) as { resources: { "@id": string; "@type": string }[] };
    expect(body.resources).toContainEqual(expect.objectContaining({ "@type": "PackagePublish/2.0.0", "@id": `${ORIGIN}/api/v2/package` }));
    expect(body.resources).toContainEqual(expect.objectContaining({ "@type": "PackageBaseAddress/3.0.0", "@id": `${ORIGIN}/v3-flatcontainer/` }));
  });

  it("lists every version (unlisted ones too, for restore) in NuGet order and lower case, whatever case the ID is asked in", async () => {
    await publish("1.10.0");
    await publish("1.2.0");
    await publish("1.2.0-Beta");
    await publish("0.9.0", false);
    const response = await versions("CONTOSO.Core");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ versions: ["0.9.0", "1.2.0-beta", "1.2.0", "1.10.0"] });
    expect((await versions("Contoso.Missing")).status).toBe(404);
  });

  it("streams a version's package with its length (unlisted ones too) and its manifest, and 404s for anything else", async () => {
    const listedBytes = await publish("1.0.0");
    const unlistedBytes = await publish("2.0.0", false);
    const response = await fetchPackage("contoso.core", "1.0.0", "contoso.core.1.0.0.nupkg");
    expect(response.status).toBe(200);
    const served = new Uint8Array(await response.arrayBuffer());
    expect(response.headers.get("content-length")).toBe(String(served.byteLength));
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    // The uploaded packages, each with the gallery's repository signature added.
    expect(await withoutRepositorySignature(served)).toEqual(listedBytes);
    expect(response.headers.get("x-signet-uploaded-sha512")).toBe(createHash("sha512").update(listedBytes).digest("base64"));
    expect(await withoutRepositorySignature(new Uint8Array(await (await fetchPackage("contoso.core", "2.0.0", "contoso.core.2.0.0.nupkg")).arrayBuffer()))).toEqual(unlistedBytes);
    const head = await download.HEAD(new Request(`${ORIGIN}/v3-flatcontainer/contoso.core/1.0.0/contoso.core.1.0.0.nupkg`, { method: "HEAD" }), {
      params: Promise.resolve({ id: "contoso.core", version: "1.0.0", file: "contoso.core.1.0.0.nupkg" }),
    });
    expect({ status: head.status, length: head.headers.get("content-length"), body: head.body }).toEqual({ status: 200, length: String(served.byteLength), body: null });

    const manifest = await fetchPackage("contoso.core", "1.0.0", "contoso.core.nuspec");
    expect(manifest.headers.get("content-type")).toBe("application/xml");
    expect(await manifest.text()).toContain("<id>Contoso.Core</id>");

    expect((await fetchPackage("contoso.core", "3.0.0", "contoso.core.3.0.0.nupkg")).status).toBe(404);
    expect((await fetchPackage("contoso.core", "1.0.0", "other.1.0.0.nupkg")).status).toBe(404);
    const missing = await fetchPackage("contoso.other", "1.0.0", "contoso.other.1.0.0.nupkg");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { code: "PACKAGE_NOT_FOUND", message: "A package with ID 'contoso.other' and version '1.0.0' does not exist." },
    });
  });

  it("unlists a version for an owner whose key has the unlist scope, and records it in the audit log", async () => {
    await publish("1.0.0");
    const response = await unlist("contoso.core", "1.0", await keyFor(ids.alice, ["unlist"], "Contoso.*"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ packageId: "Contoso.Core", version: "1.0.0", listed: false });
    expect(await db.packageVersion.findMany({ select: { listed: true } })).toEqual([{ listed: false }]);
    expect(await db.auditLogEntry.findMany({ select: { action: true, actorId: true } })).toEqual([{ action: "package.unlist", actorId: ids.alice }]);

    const relisted = await listing.POST(
      new Request(`${ORIGIN}/api/v2/package/contoso.core/1.0.0`, { method: "POST", headers: { "X-NuGet-ApiKey": await keyFor(ids.alice, ["unlist"]) } }),
      { params: Promise.resolve({ id: "contoso.core", version: "1.0.0" }) },
    );
    expect(relisted.status).toBe(200);
    expect(await db.packageVersion.findMany({ select: { listed: true } })).toEqual([{ listed: true }]);
  });

  it("refuses to unlist without a working key (401), without the scope or outside the glob (403), for non-owners (403) and unknown versions (404)", async () => {
    await publish("1.0.0");
    const refusals = [
      [await unlist("contoso.core", "1.0.0", null), 401, "API_KEY_MISSING"],
      [await unlist("contoso.core", "1.0.0", "signet_wrong"), 401, "API_KEY_INVALID"],
      [await unlist("contoso.core", "1.0.0", await keyFor(ids.alice, ["push"])), 403, "API_KEY_SCOPE_DENIED"],
      [await unlist("contoso.core", "1.0.0", await keyFor(ids.alice, ["unlist"], "Fabrikam.*")), 403, "API_KEY_PACKAGE_DENIED"],
      [await unlist("contoso.core", "1.0.0", await keyFor(ids.bob, ["unlist"])), 403, "PACKAGE_NOT_OWNED"],
      [await unlist("contoso.core", "9.0.0", await keyFor(ids.alice, ["unlist"])), 404, "PACKAGE_NOT_FOUND"],
      [await unlist("contoso.core", "not-a-version", await keyFor(ids.alice, ["unlist"])), 400, "VERSION_INVALID"],
    ] as const;
    for (const [response, status, code] of refusals) {
      const body = (await response.json()) as { code: string; message: string };
      expect({ status: response.status, code: body.code }).toEqual({ status, code });
      expect(response.statusText).toBe(body.message);
    }
    expect(await (await versions("contoso.core")).json()).toEqual({ versions: ["1.0.0"] });
  });
});
