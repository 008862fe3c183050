// The gallery with its package files in Azure Blob Storage (Azurite, started here): a push over
// HTTP lands in the packages container and is served from it, a refused upload is kept in the
// quarantine container, and a review moves it from there to the served packages. Nothing but
// staging files in flight touches the local storage folder.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import type { RunningGallery } from "@/test/interop/push-gallery";
import { createAccounts, createKeySecret } from "@/test/api/push-support";
import { startAzurite, type AzuriteServer } from "@/test/support/azurite";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { withoutRepositorySignature } from "@/test/support/repository-signing";
import { forgetServices } from "@/test/support/services";
import { services } from "@/lib/services";

describe.each(testDialects())("package files in Azure Blob Storage, on %s", (dialect) => {
  const stagingDir = mkdtempSync(path.join(tmpdir(), "signet-azure-gallery-"));
  let azurite: AzuriteServer;
  beforeAll(async () => {
    azurite = await startAzurite();
    vi.stubEnv("SIGNET_STORAGE_DIR", stagingDir);
    vi.stubEnv("SIGNET_AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString);
    vi.stubEnv("SIGNET_AZURE_PACKAGES_CONTAINER", "served");
    vi.stubEnv("SIGNET_AZURE_QUARANTINE_CONTAINER", "refused");
    vi.stubEnv("NEXTAUTH_URL", "");
    forgetServices("storage");
  });
  const database = useAppDatabase(dialect);
  let db: Db;
  let gallery: RunningGallery;
  let ids: Record<"carol" | "dave", string>;

  beforeAll(async () => {
    db = database();
    ids = await createAccounts(db, ["carol", "dave"]);
    await db.prefixReservation.create({
      data: {
        pattern: "Contoso.",
        patternLower: "contoso.",
        isPrefix: true,
        owners: { create: [{ userId: ids.carol }] },
      },
    });
    gallery = await (await import("@/test/interop/push-gallery")).startPushGallery();
  });

  afterAll(async () => {
    await gallery?.close();
    forgetServices("storage");
    await azurite?.stop();
    rmSync(stagingDir, { recursive: true, force: true });
  });

  async function blobNames(container: string): Promise<string[]> {
    const names: string[] = [];
    for await (const blob of BlobServiceClient.fromConnectionString(azurite.connectionString)
      .getContainerClient(container)
      .listBlobsFlat())
      names.push(blob.name);
    return names;
  }

  async function push(userId: string, id: string, version: string): Promise<{ status: number; bytes: Uint8Array }> {
    const bytes = new Uint8Array(buildUnsignedPackage({ id, version }));
    const form = new FormData();
    form.append("package", new Blob([bytes]), "package.nupkg");
    const response = await fetch(`${gallery.origin}/api/v2/package`, {
      method: "PUT",
      headers: { "X-NuGet-ApiKey": await createKeySecret(db, userId) },
      body: form,
    });
    await response.arrayBuffer();
    return { status: response.status, bytes };
  }

  it("publishes into the packages container and serves the file from it", async () => {
    const { status, bytes } = await push(ids.carol, "Contoso.Cloud", "1.0.0");
    expect(status).toBe(201);
    expect(await blobNames("served")).toEqual(["packages/contoso.cloud/1.0.0/contoso.cloud.1.0.0.nupkg"]);
    const served = await fetch(`${gallery.origin}/v3-flatcontainer/contoso.cloud/1.0.0/contoso.cloud.1.0.0.nupkg`);
    expect(served.status).toBe(200);
    const whole = new Uint8Array(await served.arrayBuffer());
    expect(await withoutRepositorySignature(whole)).toEqual(bytes);
    // Sending the file counts a download (for the roll-up job); asking whether it changed does not.

    const counted = async () => {
      await services.getDownloadCounter().flush();
      return (await db.downloadEvent.aggregate({ _sum: { count: true } }))._sum.count ?? 0;
    };
    expect(await counted()).toBe(1);
    const unchanged = await fetch(`${gallery.origin}/v3-flatcontainer/contoso.cloud/1.0.0/contoso.cloud.1.0.0.nupkg`, {
      headers: { "If-None-Match": served.headers.get("etag") ?? "" },
    });
    expect(unchanged.status).toBe(304);
    expect(await counted()).toBe(1);
    // Byte ranges are read from the blob as ranges.
    const ranged = await fetch(`${gallery.origin}/v3-flatcontainer/contoso.cloud/1.0.0/contoso.cloud.1.0.0.nupkg`, {
      headers: { Range: "bytes=100-199" },
    });
    expect({ status: ranged.status, contentRange: ranged.headers.get("content-range") }).toEqual({
      status: 206,
      contentRange: `bytes 100-199/${whole.byteLength}`,
    });
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(whole.subarray(100, 200));
    const suffix = await fetch(`${gallery.origin}/v3-flatcontainer/contoso.cloud/1.0.0/contoso.cloud.1.0.0.nupkg`, {
      headers: { Range: "bytes=-10" },
    });
    expect(new Uint8Array(await suffix.arrayBuffer())).toEqual(whole.subarray(whole.byteLength - 10));
    const past = await fetch(`${gallery.origin}/v3-flatcontainer/contoso.cloud/1.0.0/contoso.cloud.1.0.0.nupkg`, {
      headers: { Range: `bytes=${whole.byteLength}-` },
    });
    expect({ status: past.status, contentRange: past.headers.get("content-range") }).toEqual({
      status: 416,
      contentRange: `bytes */${whole.byteLength}`,
    });
    await past.arrayBuffer();
    // The staging file went to the store and was removed; nothing was published locally.
    expect(readdirSync(stagingDir).filter((name) => name !== "incoming" && name !== ".incoming")).toEqual([]);
    expect(readdirSync(path.join(stagingDir, "incoming"))).toEqual([]);
  });

  it("keeps a refused upload in the quarantine container, and publishes it from there once allowed", async () => {
    expect((await push(ids.dave, "Contoso.Taken", "1.0.0")).status).toBe(403);
    const attempt = await db.uploadAttempt.findFirstOrThrow({ where: { packageId: "Contoso.Taken" } });
    expect(attempt).toMatchObject({ status: "REJECTED", storageKey: `quarantine/${attempt.id}.nupkg` });
    expect(await blobNames("refused")).toEqual([`${attempt.id}.nupkg`]);
    expect(await blobNames("served")).not.toContain("packages/contoso.taken/1.0.0/contoso.taken.1.0.0.nupkg");

    const reservation = await db.prefixReservation.findFirstOrThrow();
    await db.prefixReservationOwner.create({ data: { reservationId: reservation.id, userId: ids.dave } });
    const { revalidateAttempt } = await import("@/lib/uploads");
    const { getStorage } = await import("@/lib/services");
    const admin = (await db.user.create({ data: { email: "admin@example.test", username: "admin", role: "ADMIN" } }))
      .id;
    expect(
      (await revalidateAttempt(db, getStorage(), attempt.id, { ...services.judging(), reviewerId: admin })).status,
    ).toBe("accepted");
    expect(await blobNames("refused")).toEqual([]);
    expect(await blobNames("served")).toContain("packages/contoso.taken/1.0.0/contoso.taken.1.0.0.nupkg");
    expect(
      (await fetch(`${gallery.origin}/v3-flatcontainer/contoso.taken/1.0.0/contoso.taken.1.0.0.nupkg`)).status,
    ).toBe(200);
  });
});
