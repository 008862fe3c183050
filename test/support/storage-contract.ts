// What every PackageStorage must do, run against each implementation (the local folder here,
// Azure Blob Storage against Azurite), so the callers can rely on one behaviour.
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { expect, it } from "vitest";
import type { PackageStorage } from "@/lib/storage";

export function failingStream(): Readable {
  return new Readable({
    read() {
      this.push("partial");
      this.destroy(new Error("connection reset"));
    },
  });
}

export function storageContract(storage: () => PackageStorage): void {
  it("stores a stream and reads it back, whole or by byte range", async () => {
    const { size } = await storage().put(
      "packages/contoso.utils/1.0.0.nupkg",
      Readable.from([Buffer.from("hello "), Buffer.from("world")]),
    );
    expect(size).toBe(11);
    expect(await storage().size("packages/contoso.utils/1.0.0.nupkg")).toBe(11);
    expect(await text(await storage().get("packages/contoso.utils/1.0.0.nupkg"))).toBe("hello world");
    expect(await text(await storage().get("packages/contoso.utils/1.0.0.nupkg", { start: 6, end: 10 }))).toBe("world");
    expect(await text(await storage().get("packages/contoso.utils/1.0.0.nupkg", { start: 0, end: 0 }))).toBe("h");
  });

  it("opens an object for random access: reads and streams of any range, none past the end", async () => {
    await storage().put("quarantine/r.nupkg", Readable.from([Buffer.from("0123456789".repeat(30_000))]));
    const source = await storage().open("quarantine/r.nupkg");
    try {
      expect(source.size).toBe(300_000);
      expect(Buffer.from(await source.read(3, 4)).toString()).toBe("3456");
      expect(Buffer.from(await source.read(299_998, 2)).toString()).toBe("89");
      const streamed: Buffer[] = [];
      for await (const chunk of source.stream(5, 299_995)) streamed.push(Buffer.from(chunk));
      expect(Buffer.concat(streamed).toString()).toBe("0123456789".repeat(30_000).slice(5, 299_995));
      await expect(source.read(299_999, 2)).rejects.toThrow(RangeError);
    } finally {
      await source.close();
    }
    await expect(storage().open("quarantine/none.nupkg")).rejects.toMatchObject({ code: "STORAGE_OBJECT_NOT_FOUND" });
  });

  it("accepts web streams too, and replaces an existing object", async () => {
    await storage().put("a.nupkg", Readable.from(["old contents"]));
    await storage().put("a.nupkg", new Blob(["from a web stream"]).stream());
    expect(await text(await storage().get("a.nupkg"))).toBe("from a web stream");
  });

  it("moves, reports existence and deletes", async () => {
    await storage().put("quarantine/x.nupkg", Readable.from(["x"]));
    await storage().move("quarantine/x.nupkg", "packages/x/1.0.0.nupkg");
    expect(await storage().exists("quarantine/x.nupkg")).toBe(false);
    expect(await storage().exists("packages/x/1.0.0.nupkg")).toBe(true);
    expect(await text(await storage().get("packages/x/1.0.0.nupkg"))).toBe("x");
    await storage().delete("packages/x/1.0.0.nupkg");
    await storage().delete("packages/x/1.0.0.nupkg");
    expect(await storage().exists("packages/x/1.0.0.nupkg")).toBe(false);
  });

  it("moves a staged upload into storage and back again (a publish and its rollback)", async () => {
    await storage().put("incoming/host+1+abc.nupkg", Readable.from(["staged bytes"]));
    await storage().move("incoming/host+1+abc.nupkg", "packages/y/2.0.0/y.2.0.0.nupkg");
    expect(await storage().exists("incoming/host+1+abc.nupkg")).toBe(false);
    expect(await text(await storage().get("packages/y/2.0.0/y.2.0.0.nupkg", { start: 7, end: 11 }))).toBe("bytes");
    await storage().move("packages/y/2.0.0/y.2.0.0.nupkg", "incoming/host+1+abc.nupkg");
    expect(await storage().exists("packages/y/2.0.0/y.2.0.0.nupkg")).toBe(false);
    expect(await text(await storage().get("incoming/host+1+abc.nupkg"))).toBe("staged bytes");
  });

  it("leaves no object behind when the stream fails, and keeps the one it was replacing", async () => {
    await expect(storage().put("b.nupkg", failingStream())).rejects.toThrow("connection reset");
    expect(await storage().exists("b.nupkg")).toBe(false);
    await storage().put("c.nupkg", Readable.from(["kept"]));
    await expect(storage().put("c.nupkg", failingStream())).rejects.toThrow("connection reset");
    expect(await text(await storage().get("c.nupkg"))).toBe("kept");
  });

  it.each([
    "../escape",
    "/etc/passwd",
    "a//b",
    "a/./b",
    "a\\b",
    "",
    ".hidden",
    "a/..",
    "x\u0000y",
    "packages/secret-layout/x.nupkg/..",
  ])("refuses the key %j, without repeating it", async (key) => {
    const refusal = {
      code: "INVALID_STORAGE_KEY",
      message: expect.not.stringMatching(/etc|escape|hidden|secret-layout/),
    };
    await expect(storage().put(key, Readable.from(["x"]))).rejects.toMatchObject(refusal);
    await expect(storage().exists(key)).rejects.toMatchObject({ code: "INVALID_STORAGE_KEY" });
    await expect(storage().get(key)).rejects.toMatchObject({ code: "INVALID_STORAGE_KEY" });
  });

  it("reports missing objects and impossible ranges with codes", async () => {
    await expect(storage().get("missing.nupkg")).rejects.toMatchObject({ code: "STORAGE_OBJECT_NOT_FOUND" });
    await expect(storage().size("quarantine/missing.nupkg")).rejects.toMatchObject({
      code: "STORAGE_OBJECT_NOT_FOUND",
    });
    await expect(storage().move("missing.nupkg", "other.nupkg")).rejects.toMatchObject({
      code: "STORAGE_OBJECT_NOT_FOUND",
    });
    await expect(storage().move("quarantine/missing.nupkg", "incoming/h+1+x.nupkg")).rejects.toMatchObject({
      code: "STORAGE_OBJECT_NOT_FOUND",
    });
    expect(await storage().exists("other.nupkg")).toBe(false);
    await storage().put("d.nupkg", Readable.from(["abc"]));
    await expect(storage().get("d.nupkg", { start: 2, end: 3 })).rejects.toMatchObject({
      code: "RANGE_NOT_SATISFIABLE",
    });
    await expect(storage().get("d.nupkg", { start: 3, end: 3 })).rejects.toMatchObject({
      code: "RANGE_NOT_SATISFIABLE",
    });
  });

  it("passes its write check", async () => {
    await expect(storage().checkWritable()).resolves.toBeUndefined();
  });
}
