// The V3 feed and unlisting on a real migrated database, through the route handlers: the service
// index, the flat container's version list and downloads (streamed from storage, 404s), and
// `dotnet nuget delete` as unlist with its key and ownership checks. Versions are published by
// alice through the push route; push's own answers are covered by push.test.ts.
import { createHash } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import type { ErrorBody } from "@/lib/http/errors";
import { LocalFolderStorage } from "@/lib/storage/local-folder";
import { repositorySignPublishedVersions } from "@/lib/uploads/backfill";
import type { ApiKeyScope } from "@/lib/validation/rules/api-key";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { createTestPki, trustOf } from "@/test/support/signing";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { createUnsignedPublishedVersion } from "@/test/support/published-version";
import { signetSignature } from "@/test/support/nuget-client-shapes";
import { testRepositorySigner, withoutRepositorySignature } from "@/test/support/repository-signing";
import { createAccounts, createKeySecret, useScratchStorage } from "./push-support";
import { services } from "@/lib/services";

type ServiceIndexRoute = typeof import("@/app/v3/index.json/route");
type VersionsRoute = typeof import("@/app/v3-flatcontainer/[id]/index.json/route");
type DownloadRoute = typeof import("@/app/v3-flatcontainer/[id]/[version]/[file]/route");
type ListingRoute = typeof import("@/app/api/v2/package/[id]/[version]/route");
type PushRoute = typeof import("@/app/api/v2/package/route");
type LeafRoute = typeof import("@/app/v3/[hive]/[id]/[leaf]/route");
type SearchRoute = typeof import("@/app/v3/search/route");

const ORIGIN = "http://gallery.test";
const sha512 = (bytes: Uint8Array) => createHash("sha512").update(bytes).digest("base64");

describe.each(testDialects())("V3 feed and unlisting on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  const storageDir = useScratchStorage();
  let db: Db;
  let index: ServiceIndexRoute;
  let versionsRoute: VersionsRoute;
  let download: DownloadRoute;
  let listing: ListingRoute;
  let push: PushRoute;
  let leafRoute: LeafRoute;
  let search: SearchRoute;
  let ids: Record<"alice" | "bob", string>;

  /** Alice pushes Contoso.Core at this version; returns the package's bytes. */
  async function publish(version: string, listed = true): Promise<Uint8Array> {
    const bytes = new Uint8Array(buildUnsignedPackage({ id: "Contoso.Core", version }));
    const headers = { "X-NuGet-ApiKey": await keyFor(ids.alice, ["push"]) };
    const response = await push.PUT(new Request(`${ORIGIN}/api/v2/package`, { method: "PUT", headers, body: bytes }));
    expect(response.status).toBe(201);
    if (!listed)
      await db.packageVersion.updateMany({ where: { versionLower: version.toLowerCase() }, data: { listed: false } });
    return bytes;
  }

  function keyFor(userId: string, scopes?: ApiKeyScope[], packageGlob?: string): Promise<string> {
    return createKeySecret(db, userId, scopes, packageGlob);
  }

  function versions(id: string): Promise<Response> {
    return versionsRoute.GET(new Request(`${ORIGIN}/v3-flatcontainer/${id}/index.json`), {
      params: Promise.resolve({ id }),
    });
  }

  function fetchPackage(id: string, version: string, file: string): Promise<Response> {
    return download.GET(new Request(`${ORIGIN}/v3-flatcontainer/${id}/${version}/${file}`), {
      params: Promise.resolve({ id, version, file }),
    });
  }

  function conditional(method: "GET" | "HEAD", id: string, entityTag: string): Promise<Response> {
    const file = `${id}.1.0.0.nupkg`;
    const request = new Request(`${ORIGIN}/v3-flatcontainer/${id}/1.0.0/${file}`, {
      method,
      headers: { "If-None-Match": entityTag },
    });
    return download[method](request, { params: Promise.resolve({ id, version: "1.0.0", file }) });
  }

  function unlist(id: string, version: string, key: string | null): Promise<Response> {
    const headers = key ? { "X-NuGet-ApiKey": key } : undefined;
    return listing.DELETE(new Request(`${ORIGIN}/api/v2/package/${id}/${version}`, { method: "DELETE", headers }), {
      params: Promise.resolve({ id, version }),
    });
  }

  beforeAll(async () => {
    index = await import("@/app/v3/index.json/route");
    versionsRoute = await import("@/app/v3-flatcontainer/[id]/index.json/route");
    download = await import("@/app/v3-flatcontainer/[id]/[version]/[file]/route");
    listing = await import("@/app/api/v2/package/[id]/[version]/route");
    push = await import("@/app/api/v2/package/route");
    leafRoute = await import("@/app/v3/[hive]/[id]/[leaf]/route");
    search = await import("@/app/v3/search/route");
    db = database();
    ids = await createAccounts(db, ["alice", "bob"]);
  });

  beforeEach(async () => {
    await db.auditLogEntry.deleteMany();
    await db.uploadAttempt.deleteMany();
    await db.packageRegistration.deleteMany();
  });

  it("serves a service index on the request's origin", async () => {
    const body = (await (await index.GET(new Request(`${ORIGIN}/v3/index.json`))).json()) as {
      resources: { "@id": string; "@type": string }[];
    };
    expect(body.resources).toContainEqual(
      expect.objectContaining({ "@type": "PackagePublish/2.0.0", "@id": `${ORIGIN}/api/v2/package` }),
    );
    expect(body.resources).toContainEqual(
      expect.objectContaining({ "@type": "PackageBaseAddress/3.0.0", "@id": `${ORIGIN}/v3-flatcontainer/` }),
    );
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
    expect(response.headers.get("x-signet-uploaded-sha512")).toBe(sha512(listedBytes));
    expect(
      await withoutRepositorySignature(
        new Uint8Array(await (await fetchPackage("contoso.core", "2.0.0", "contoso.core.2.0.0.nupkg")).arrayBuffer()),
      ),
    ).toEqual(unlistedBytes);
    const head = await download.HEAD(
      new Request(`${ORIGIN}/v3-flatcontainer/contoso.core/1.0.0/contoso.core.1.0.0.nupkg`, { method: "HEAD" }),
      {
        params: Promise.resolve({ id: "contoso.core", version: "1.0.0", file: "contoso.core.1.0.0.nupkg" }),
      },
    );
    expect({ status: head.status, length: head.headers.get("content-length"), body: head.body }).toEqual({
      status: 200,
      length: String(served.byteLength),
      body: null,
    });

    const manifest = await fetchPackage("contoso.core", "1.0.0", "contoso.core.nuspec");
    expect(manifest.headers.get("content-type")).toBe("application/xml");
    expect(await manifest.text()).toContain("<id>Contoso.Core</id>");

    expect((await fetchPackage("contoso.core", "3.0.0", "contoso.core.3.0.0.nupkg")).status).toBe(404);
    expect((await fetchPackage("contoso.core", "1.0.0", "other.1.0.0.nupkg")).status).toBe(404);
    const missing = await fetchPackage("contoso.other", "1.0.0", "contoso.other.1.0.0.nupkg");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: {
        code: "PACKAGE_NOT_FOUND",
        message: "A package with ID 'contoso.other' and version '1.0.0' does not exist.",
      },
    });
  });

  it("gives the SHA-512 of the file as uploaded beside that of the file served (repository-signed) in registration leaves and search results", async () => {
    const uploaded = await publish("1.0.0");
    const served = new Uint8Array(
      await (await fetchPackage("contoso.core", "1.0.0", "contoso.core.1.0.0.nupkg")).arrayBuffer(),
    );
    const hashes = { publishedSha512: sha512(served), uploadedSha512: sha512(uploaded) };
    expect(hashes.publishedSha512).not.toBe(hashes.uploadedSha512);
    const leafResponse = await leafRoute.GET(new Request(`${ORIGIN}/v3/registration/contoso.core/1.0.0.json`), {
      params: Promise.resolve({ hive: "registration", id: "contoso.core", leaf: "1.0.0.json" }),
    });
    const leaf = (await leafResponse.json()) as { "signet:signature": unknown };
    expect(signetSignature.parse(leaf["signet:signature"])).toMatchObject({ repositorySigned: true, ...hashes });
    const results = (await (await search.GET(new Request(`${ORIGIN}/v3/search?q=packageid:Contoso.Core`))).json()) as {
      data: Array<{ "signet:signature": unknown }>;
    };
    expect(results.data).toHaveLength(1);
    expect(signetSignature.parse(results.data[0]?.["signet:signature"])).toMatchObject(hashes);
  });

  it("caches a repository-signed package as immutable; one published before repository signing is revalidated by its SHA-512 until the backfill signs it", async () => {
    await publish("1.0.0");
    const signed = await fetchPackage("contoso.core", "1.0.0", "contoso.core.1.0.0.nupkg");
    const signedBytes = new Uint8Array(await signed.arrayBuffer());
    expect(signed.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(signed.headers.get("etag")).toBe(`"${sha512(signedBytes)}"`);
    expect((await fetchPackage("contoso.core", "1.0.0", "contoso.core.nuspec")).headers.get("cache-control")).toBe(
      "public, max-age=31536000, immutable",
    );

    const legacyBytes = buildUnsignedPackage({ id: "Contoso.Legacy", version: "1.0.0" });
    await createUnsignedPublishedVersion(db, new LocalFolderStorage(storageDir), {
      ownerId: ids.alice,
      packageId: "Contoso.Legacy",
      version: "1.0.0",
      bytes: legacyBytes,
    });
    const legacy = await fetchPackage("contoso.legacy", "1.0.0", "contoso.legacy.1.0.0.nupkg");
    expect(legacy.headers.get("cache-control")).toBe("public, no-cache");
    const legacyTag = `"${sha512(legacyBytes)}"`;
    expect(legacy.headers.get("etag")).toBe(legacyTag);
    expect(new Uint8Array(await legacy.arrayBuffer())).toEqual(legacyBytes);
    for (const method of ["GET", "HEAD"] as const) {
      const revalidated = await conditional(method, "contoso.legacy", legacyTag);
      expect(
        { status: revalidated.status, etag: revalidated.headers.get("etag"), body: await revalidated.text() },
        method,
      ).toEqual({ status: 304, etag: legacyTag, body: "" });
    }
    expect((await conditional("GET", "contoso.legacy", '"someone else\'s bytes"')).status).toBe(200);

    const pki = await createTestPki();
    expect(
      await repositorySignPublishedVersions(db, new LocalFolderStorage(storageDir), {
        signer: await testRepositorySigner(pki.repository, pki.authority),
        trust: trustOf(pki),
        staging: services.staging,
      }),
    ).toMatchObject({ signed: 1 });
    // The copy a cache revalidates is no longer what the gallery serves: it gets the signed file, now immutable.
    const after = await conditional("GET", "contoso.legacy", legacyTag);
    expect(after.status).toBe(200);
    const afterBytes = new Uint8Array(await after.arrayBuffer());
    expect(await withoutRepositorySignature(afterBytes)).toEqual(legacyBytes);
    expect(after.headers.get("etag")).toBe(`"${sha512(afterBytes)}"`);
    expect(after.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("unlists a version for an owner whose key has the unlist scope, and records it in the audit log", async () => {
    await publish("1.0.0");
    const response = await unlist("contoso.core", "1.0", await keyFor(ids.alice, ["unlist"], "Contoso.*"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ packageId: "Contoso.Core", version: "1.0.0", listed: false });
    expect(await db.packageVersion.findMany({ select: { listed: true } })).toEqual([{ listed: false }]);
    expect(await db.auditLogEntry.findMany({ select: { action: true, actorId: true } })).toEqual([
      { action: "package.unlist", actorId: ids.alice },
    ]);

    const relisted = await listing.POST(
      new Request(`${ORIGIN}/api/v2/package/contoso.core/1.0.0`, {
        method: "POST",
        headers: { "X-NuGet-ApiKey": await keyFor(ids.alice, ["unlist"]) },
      }),
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
      [
        await unlist("contoso.core", "1.0.0", await keyFor(ids.alice, ["unlist"], "Fabrikam.*")),
        403,
        "API_KEY_PACKAGE_DENIED",
      ],
      [await unlist("contoso.core", "1.0.0", await keyFor(ids.bob, ["unlist"])), 403, "PACKAGE_NOT_OWNED"],
      [await unlist("contoso.core", "9.0.0", await keyFor(ids.alice, ["unlist"])), 404, "PACKAGE_NOT_FOUND"],
      [await unlist("contoso.core", "not-a-version", await keyFor(ids.alice, ["unlist"])), 400, "VERSION_INVALID"],
    ] as const;
    for (const [response, status, code] of refusals) {
      const { error } = (await response.json()) as ErrorBody;
      expect({ status: response.status, code: error.code }).toEqual({ status, code });
      expect(response.statusText).toBe(error.message);
    }
    expect(await (await versions("contoso.core")).json()).toEqual({ versions: ["1.0.0"] });
  });
});
