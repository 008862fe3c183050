// Two `next start` servers sharing one PostgreSQL database and one blob store (Azurite), as
// README's "Running several instances" deploys them: what is pushed through one is served and
// shown by the other, both page caches show a change on their next load, and simultaneous
// pushes of one ID and version through both publish it exactly once.
// Run by scripts/test-all.sh after `next build`, with TEST_POSTGRES_URL (vitest.scaleout.config.ts).
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/registry";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import {
  hasProductionBuild,
  startScaledOutGallery,
  type GalleryInstance,
  type ScaledOutGallery,
} from "@/test/support/gallery-instances";
import { withoutRepositorySignature } from "@/test/support/repository-signing";

describe("two app instances sharing PostgreSQL and Azure Blob Storage", () => {
  let gallery: ScaledOutGallery;
  let one: GalleryInstance;
  let two: GalleryInstance;
  let secret: string;

  beforeAll(async () => {
    if (!process.env.TEST_POSTGRES_URL)
      throw new Error("Set TEST_POSTGRES_URL to a PostgreSQL server (scripts/test/postgres-server.sh starts one).");
    if (!hasProductionBuild()) throw new Error("Run `npx next build` first: this test starts `next start` twice.");
    gallery = await startScaledOutGallery(2);
    [one, two] = gallery.instances as [GalleryInstance, GalleryInstance];
    const carol = await gallery.db.user.create({ data: { email: "carol@example.test", username: "carol" } });
    secret = (
      await createApiKey(gallery.db, carol.id, {
        name: "push",
        scopes: ["push", "unlist"],
        packageGlob: "*",
        expiresInDays: 1,
      })
    ).secret;
  });
  afterAll(async () => gallery?.stop());

  async function push(
    instance: GalleryInstance,
    id: string,
    version: string,
  ): Promise<{ status: number; bytes: Uint8Array }> {
    const bytes = new Uint8Array(buildUnsignedPackage({ id, version }));
    const form = new FormData();
    form.append("package", new Blob([bytes]), "package.nupkg");
    const response = await fetch(`${instance.origin}/api/v2/package`, {
      method: "PUT",
      headers: { "X-NuGet-ApiKey": secret },
      body: form,
    });
    await response.arrayBuffer();
    return { status: response.status, bytes };
  }

  async function load(
    instance: GalleryInstance,
    path: string,
  ): Promise<{ status: number; cache: string | null; html: string }> {
    const response = await fetch(`${instance.origin}${path}`);
    return { status: response.status, cache: response.headers.get("x-signet-cache"), html: await response.text() };
  }
  const packagePage = (instance: GalleryInstance, id: string) => load(instance, `/packages/${id}`);

  it("serves and shows through one instance what was pushed through the other; both page caches see the next push on their next load", async () => {
    const first = await push(one, "Contoso.Shared", "1.0.0");
    expect(first.status).toBe(201);
    const served = await fetch(`${two.origin}/v3-flatcontainer/contoso.shared/1.0.0/contoso.shared.1.0.0.nupkg`);
    expect(served.status).toBe(200);
    expect(await withoutRepositorySignature(new Uint8Array(await served.arrayBuffer()))).toEqual(first.bytes);
    expect(await (await fetch(`${two.origin}/v3-flatcontainer/contoso.shared/index.json`)).json()).toEqual({
      versions: ["1.0.0"],
    });

    for (const instance of [one, two]) {
      expect(await packagePage(instance, "Contoso.Shared")).toMatchObject({ status: 200, cache: "miss" });
      const cached = await packagePage(instance, "Contoso.Shared");
      expect(cached.cache).toBe("hit");
      expect(cached.html).toContain("dotnet add package Contoso.Shared --version 1.0.0");
    }

    expect((await push(two, "Contoso.Shared", "2.0.0")).status).toBe(201);
    for (const instance of [one, two]) {
      const next = await packagePage(instance, "Contoso.Shared");
      expect(next.cache).toBe("miss");
      expect(next.html).toContain("dotnet add package Contoso.Shared --version 2.0.0");
    }
    expect(await (await fetch(`${one.origin}/v3-flatcontainer/contoso.shared/index.json`)).json()).toEqual({
      versions: ["1.0.0", "2.0.0"],
    });
  });

  it("shows a push and an unlist through one instance on the other's cached home page and search on their next load", async () => {
    expect((await push(one, "Fabrikam.Listed.Alpha", "1.0.0")).status).toBe(201);
    const search = "/packages?q=fabrikam.listed";
    for (const instance of [one, two]) {
      for (const path of ["/", search]) {
        await load(instance, path);
        const cached = await load(instance, path);
        expect(cached.cache).toBe("hit");
        expect(cached.html).toContain("Fabrikam.Listed.Alpha");
        expect(cached.html).not.toContain("Fabrikam.Listed.Beta");
      }
    }

    expect((await push(two, "Fabrikam.Listed.Beta", "1.0.0")).status).toBe(201);
    for (const instance of [one, two]) {
      for (const path of ["/", search]) {
        const next = await load(instance, path);
        expect(next.cache).toBe("miss");
        expect(next.html).toContain("Fabrikam.Listed.Beta");
      }
    }

    const unlisted = await fetch(`${one.origin}/api/v2/package/Fabrikam.Listed.Alpha/1.0.0`, {
      method: "DELETE",
      headers: { "X-NuGet-ApiKey": secret },
    });
    expect(unlisted.status).toBe(200);
    for (const instance of [one, two]) {
      const next = await load(instance, search);
      expect(next.cache).toBe("miss");
      expect(next.html).not.toContain("Fabrikam.Listed.Alpha");
      expect(next.html).toContain("Fabrikam.Listed.Beta");
    }
  });

  it("publishes exactly one of ten simultaneous pushes of one ID and version split across the instances", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) => push(index % 2 === 0 ? one : two, "Contoso.Race", "1.0.0")),
    );
    expect(results.map((result) => result.status).sort()).toEqual([201, ...Array<number>(9).fill(409)]);
    expect(await gallery.db.packageVersion.count({ where: { registration: { packageIdLower: "contoso.race" } } })).toBe(
      1,
    );
    const blobs: string[] = [];
    const container = BlobServiceClient.fromConnectionString(gallery.connectionString).getContainerClient("packages");
    for await (const blob of container.listBlobsFlat({ prefix: "packages/contoso.race/" })) blobs.push(blob.name);
    expect(blobs).toEqual(["packages/contoso.race/1.0.0/contoso.race.1.0.0.nupkg"]);
    for (const instance of [one, two])
      expect(
        (await fetch(`${instance.origin}/v3-flatcontainer/contoso.race/1.0.0/contoso.race.1.0.0.nupkg`)).status,
      ).toBe(200);
  });
});
