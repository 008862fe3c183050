import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalFolderStorage } from "@/lib/storage/local-folder";

describe("LocalFolderStorage", () => {
  let root: string;
  let storage: LocalFolderStorage;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), "signet-storage-"));
    storage = new LocalFolderStorage(root);
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("stores a stream and reads it back, whole or by byte range", async () => {
    const { size } = await storage.put("packages/contoso.utils/1.0.0.nupkg", Readable.from([Buffer.from("hello "), Buffer.from("world")]));
    expect(size).toBe(11);
    expect(await storage.size("packages/contoso.utils/1.0.0.nupkg")).toBe(11);
    expect(await text(await storage.get("packages/contoso.utils/1.0.0.nupkg"))).toBe("hello world");
    expect(await text(await storage.get("packages/contoso.utils/1.0.0.nupkg", { start: 6, end: 10 }))).toBe("world");
  });

  it("accepts web streams too", async () => {
    const web = new Blob(["from a web stream"]).stream();
    await storage.put("a.nupkg", web);
    expect(await text(await storage.get("a.nupkg"))).toBe("from a web stream");
  });

  it("moves, reports existence and deletes", async () => {
    await storage.put("quarantine/x.nupkg", Readable.from(["x"]));
    await storage.move("quarantine/x.nupkg", "packages/x/1.0.0.nupkg");
    expect(await storage.exists("quarantine/x.nupkg")).toBe(false);
    expect(await storage.exists("packages/x/1.0.0.nupkg")).toBe(true);
    await storage.delete("packages/x/1.0.0.nupkg");
    await storage.delete("packages/x/1.0.0.nupkg");
    expect(await storage.exists("packages/x/1.0.0.nupkg")).toBe(false);
  });

  it("leaves no partial object behind when the stream fails", async () => {
    const failing = new Readable({
      read() {
        this.push("partial");
        this.destroy(new Error("connection reset"));
      },
    });
    await expect(storage.put("b.nupkg", failing)).rejects.toThrow("connection reset");
    expect(await storage.exists("b.nupkg")).toBe(false);
    expect(readdirSync(path.join(root, ".incoming"))).toEqual([]);
  });

  it.each(["../escape", "/etc/passwd", "a//b", "a/./b", "a\\b", "", ".hidden", "a/..", "x\u0000y", "packages/secret-layout/x.nupkg/.."])(
    "refuses the key %j, without repeating it",
    async (key) => {
      const refusal = { code: "INVALID_STORAGE_KEY", message: expect.not.stringMatching(/etc|escape|hidden|secret-layout/) };
      await expect(storage.put(key, Readable.from(["x"]))).rejects.toMatchObject(refusal);
      await expect(storage.exists(key)).rejects.toMatchObject({ code: "INVALID_STORAGE_KEY" });
    },
  );

  it("reports missing objects and impossible ranges with codes", async () => {
    await expect(storage.get("missing.nupkg")).rejects.toMatchObject({ code: "STORAGE_OBJECT_NOT_FOUND" });
    await expect(storage.move("missing.nupkg", "other.nupkg")).rejects.toMatchObject({ code: "STORAGE_OBJECT_NOT_FOUND" });
    await storage.put("c.nupkg", Readable.from(["abc"]));
    await expect(storage.get("c.nupkg", { start: 2, end: 3 })).rejects.toMatchObject({ code: "RANGE_NOT_SATISFIABLE" });
  });
});
