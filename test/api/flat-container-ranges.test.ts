// Byte ranges on the flat container (lib/feed/byte-ranges.ts), through the route handler with the
// local folder behind it: one range is 206 with Content-Range, several are the whole file,
// unsatisfiable ones 416, If-Range decides by the entity tag; and which requests count as a
// download (the whole file, or a range from its first byte; never HEAD, 304, 416 or a resumption).
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { services } from "@/lib/services";
import { LocalFolderStorage } from "@/lib/storage/local-folder";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { createUnsignedPublishedVersion } from "@/test/support/published-version";
import { createAccounts, useScratchStorage } from "./push-support";

type DownloadRoute = typeof import("@/app/v3-flatcontainer/[id]/[version]/[file]/route");

const ORIGIN = "http://gallery.test";
const ID = "contoso.ranged";
const FILE = `${ID}.1.0.0.nupkg`;

describe.each(testDialects())("flat-container byte ranges on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  const storage = new LocalFolderStorage(useScratchStorage());
  let db: Db;
  let route: DownloadRoute;
  let bytes: Uint8Array;

  function get(headers: Record<string, string> = {}, file = FILE, method: "GET" | "HEAD" = "GET"): Promise<Response> {
    return route[method](new Request(`${ORIGIN}/v3-flatcontainer/${ID}/1.0.0/${file}`, { method, headers }), {
      params: Promise.resolve({ id: ID, version: "1.0.0", file }),
    });
  }

  async function received(response: Response): Promise<Uint8Array> {
    return new Uint8Array(await response.arrayBuffer());
  }

  beforeAll(async () => {
    route = await import("@/app/v3-flatcontainer/[id]/[version]/[file]/route");
    db = database();
    const { carol } = await createAccounts(db, ["carol"]);
    bytes = new Uint8Array(buildUnsignedPackage({ id: "Contoso.Ranged", version: "1.0.0" }));
    await createUnsignedPublishedVersion(db, storage, {
      ownerId: carol,
      packageId: "Contoso.Ranged",
      version: "1.0.0",
      bytes,
    });
  });

  beforeEach(async () => {
    await services.getDownloadCounter().flush();
    await db.downloadEvent.deleteMany();
  });

  it("serves one range as 206 with Content-Range, in each of the three forms", async () => {
    const size = bytes.byteLength;
    const whole = await get();
    expect(whole.status).toBe(200);
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(await received(whole)).toEqual(bytes);

    const cases: Array<[string, number, number]> = [
      ["bytes=0-9", 0, 9],
      ["bytes=10-", 10, size - 1],
      ["bytes=-5", size - 5, size - 1],
      // A suffix longer than the file is the whole file; an end past it is cut at the end.
      [`bytes=-${size + 100}`, 0, size - 1],
      [`bytes=20-${size + 100}`, 20, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const response = await get({ Range: range });
      expect({
        range,
        status: response.status,
        contentRange: response.headers.get("content-range"),
        length: response.headers.get("content-length"),
      }).toEqual({
        range,
        status: 206,
        contentRange: `bytes ${start}-${end}/${size}`,
        length: String(end - start + 1),
      });
      expect(await received(response)).toEqual(bytes.subarray(start, end + 1));
    }
    // The manifest too.
    const manifestText = await (await get({}, `${ID}.nuspec`)).text();
    const manifest = await get({ Range: "bytes=5-14" }, `${ID}.nuspec`);
    expect(manifest.status).toBe(206);
    expect(await manifest.text()).toBe(manifestText.slice(5, 15));
  });

  it("answers 416 with the file's size for a range past the end, and the whole file for several ranges or a header that is not a byte range", async () => {
    const size = bytes.byteLength;
    for (const range of [`bytes=${size}-`, `bytes=${size + 5}-${size + 10}`, "bytes=-0"]) {
      const response = await get({ Range: range });
      expect({ range, status: response.status, contentRange: response.headers.get("content-range") }).toEqual({
        range,
        status: 416,
        contentRange: `bytes */${size}`,
      });
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("RANGE_NOT_SATISFIABLE");
    }
    for (const range of [
      "bytes=0-1,5-6",
      "items=0-9",
      "bytes=9-2",
      "bytes=a-b",
      "bytes=5",
      `bytes=0-${"9".repeat(200)}`,
    ]) {
      const response = await get({ Range: range });
      expect({ range, status: response.status, contentRange: response.headers.get("content-range") }).toEqual({
        range,
        status: 200,
        contentRange: null,
      });
      expect(await received(response)).toEqual(bytes);
    }
  });

  it("honours If-Range only with the file's current entity tag", async () => {
    const tag = (await get({}, FILE, "HEAD")).headers.get("etag");
    expect(tag).toMatch(/^".+"$/);
    expect((await get({ Range: "bytes=0-9", "If-Range": tag ?? "" })).status).toBe(206);
    for (const ifRange of ['"another"', `W/${tag}`, "Tue, 01 Dec 2026 08:00:00 GMT"]) {
      const response = await get({ Range: "bytes=0-9", "If-Range": ifRange });
      expect({ ifRange, status: response.status }).toEqual({ ifRange, status: 200 });
      expect(await received(response)).toEqual(bytes);
    }
  });

  it("counts a download for the whole file or a range from its first byte, and nothing for HEAD, 304, 416 or a resumed range", async () => {
    const tag = (await get({}, FILE, "HEAD")).headers.get("etag") ?? "";
    await (await get({ "If-None-Match": tag })).arrayBuffer();
    await (await get({ Range: `bytes=${bytes.byteLength}-` })).arrayBuffer();
    await (await get({ Range: "bytes=100-" })).arrayBuffer();
    await (await get({}, `${ID}.nuspec`)).arrayBuffer();
    // The counter also flushes by itself every second; what matters is what reaches the events.
    await services.getDownloadCounter().flush();
    expect(await db.downloadEvent.count()).toBe(0);

    await (await get()).arrayBuffer();
    await (await get({ Range: "bytes=0-99" })).arrayBuffer();
    await services.getDownloadCounter().flush();
    const version = await db.packageVersion.findFirstOrThrow({ where: { registration: { packageIdLower: ID } } });
    const events = await db.downloadEvent.findMany({
      select: { registrationId: true, packageVersionId: true, count: true },
    });
    expect(events.reduce((sum, event) => sum + event.count, 0)).toBe(2);
    expect(new Set(events.map((event) => `${event.registrationId}/${event.packageVersionId}`))).toEqual(
      new Set([`${version.registrationId}/${version.id}`]),
    );
  });
});
