import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AzureBlobStorage } from "@/lib/storage/azure-blob";
import { STAGING_FOLDER } from "@/lib/storage/keys";
import { LocalFolderStorage } from "@/lib/storage/local-folder";
import { startAzurite, type AzuriteServer } from "@/test/support/azurite";
import { storageContract } from "@/test/support/storage-contract";

describe("AzureBlobStorage (against Azurite)", () => {
  let azurite: AzuriteServer;
  let stagingRoot: string;
  let storage: AzureBlobStorage;
  let run = 0;

  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => azurite?.stop());

  beforeEach(() => {
    stagingRoot = mkdtempSync(path.join(tmpdir(), "signet-azure-staging-"));
    run += 1;
    // Fresh containers for every test, so no test sees another's blobs.
    storage = new AzureBlobStorage({
      connectionString: azurite.connectionString,
      packagesContainer: `packages-${run}`,
      quarantineContainer: `quarantine-${run}`,
      stagingFolder: STAGING_FOLDER,
      staging: new LocalFolderStorage(stagingRoot),
    });
  });
  afterEach(() => rmSync(stagingRoot, { recursive: true, force: true }));

  storageContract(() => storage);

  async function blobNames(container: string): Promise<string[]> {
    const names: string[] = [];
    for await (const blob of BlobServiceClient.fromConnectionString(azurite.connectionString)
      .getContainerClient(container)
      .listBlobsFlat())
      names.push(blob.name);
    return names.sort();
  }

  it("keeps quarantined files in their own container, apart from served packages", async () => {
    await storage.put("quarantine/attempt-1.nupkg", Readable.from(["refused"]));
    await storage.put("packages/p/1.0.0/p.1.0.0.nupkg", Readable.from(["served"]));
    await storage.put("pending/attempt-2.nupkg", Readable.from(["preview"]));
    expect(await blobNames(`quarantine-${run}`)).toEqual(["attempt-1.nupkg"]);
    expect(await blobNames(`packages-${run}`)).toEqual(["packages/p/1.0.0/p.1.0.0.nupkg", "pending/attempt-2.nupkg"]);
  });

  it("stages uploads on local disk, not in the store", async () => {
    await storage.checkWritable();
    await storage.put(`${STAGING_FOLDER}/host+1+abc.nupkg`, Readable.from(["staged"]));
    expect(await new LocalFolderStorage(stagingRoot).exists(`${STAGING_FOLDER}/host+1+abc.nupkg`)).toBe(true);
    expect(await blobNames(`packages-${run}`)).toEqual([]);
  });

  it("streams a large package in blocks and serves any range of it", async () => {
    const bytes = Buffer.alloc(9 * 1024 * 1024 + 7);
    for (let i = 0; i < bytes.length; i += 4096) bytes.writeUInt32BE(i, i);
    const { size } = await storage.put(
      "packages/big/1.0.0/big.1.0.0.nupkg",
      Readable.from([bytes.subarray(0, 5_000_000), bytes.subarray(5_000_000)]),
    );
    expect(size).toBe(bytes.length);
    const start = 4 * 1024 * 1024 - 3;
    const slice = Buffer.concat(
      await (await storage.get("packages/big/1.0.0/big.1.0.0.nupkg", { start, end: start + 8191 })).toArray(),
    );
    expect(slice.equals(bytes.subarray(start, start + 8192))).toBe(true);
  });
});
