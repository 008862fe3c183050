import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalFolderStorage } from "@/lib/storage/local-folder";
import { failingStream, storageContract } from "@/test/support/storage-contract";

describe("LocalFolderStorage", () => {
  let root: string;
  let storage: LocalFolderStorage;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "signet-storage-"));
    storage = new LocalFolderStorage(root);
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  storageContract(() => storage);

  it("keeps no partly written file after a failed stream", async () => {
    await expect(storage.put("b.nupkg", failingStream())).rejects.toThrow("connection reset");
    expect(readdirSync(path.join(root, ".incoming"))).toEqual([]);
  });
});
