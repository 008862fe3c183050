import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { DownloadCounter, utcDay } from "./downloads";

/** A database whose event inserts fail while `failing` is set, and are kept otherwise. */
function eventStore() {
  const store = {
    failing: false,
    inserts: [] as Array<Array<{ packageVersionId: string; day: string; count: number }>>,
  };
  const db = {
    downloadEvent: {
      createMany: async ({ data }: { data: Array<{ packageVersionId: string; day: string; count: number }> }) => {
        if (store.failing) throw new Error("database is locked");
        store.inserts.push(data.map(({ packageVersionId, day, count }) => ({ packageVersionId, day, count })));
        return { count: data.length };
      },
    },
  } as unknown as Db;
  return { store, db };
}

describe("DownloadCounter", () => {
  const a = { registrationId: "r1", packageVersionId: "v1" };
  const b = { registrationId: "r1", packageVersionId: "v2" };

  it("appends one event per version and UTC day, however many downloads it added up", async () => {
    const { store, db } = eventStore();
    const counter = new DownloadCounter(() => db, 3_600_000);
    for (let i = 0; i < 1000; i += 1) counter.count(a, new Date("2026-12-01T23:59:59.999Z"));
    counter.count(a, new Date("2026-12-02T00:00:00Z"));
    counter.count(b, new Date("2026-12-01T00:00:00Z"));
    expect(await counter.flush()).toBe(1002);
    expect(store.inserts).toEqual([
      [
        { packageVersionId: "v1", day: "2026-12-01", count: 1000 },
        { packageVersionId: "v1", day: "2026-12-02", count: 1 },
        { packageVersionId: "v2", day: "2026-12-01", count: 1 },
      ],
    ]);
    expect(await counter.flush()).toBe(0);
  });

  it("keeps what a failed insert held and adds it to the next", async () => {
    const { store, db } = eventStore();
    const counter = new DownloadCounter(() => db, 3_600_000);
    counter.count(a, new Date("2026-12-01T10:00:00Z"));
    store.failing = true;
    await expect(counter.flush()).rejects.toThrow("database is locked");
    counter.count(a, new Date("2026-12-01T11:00:00Z"));
    store.failing = false;
    expect(await counter.flush()).toBe(2);
    expect(store.inserts).toEqual([[{ packageVersionId: "v1", day: "2026-12-01", count: 2 }]]);
  });

  it("flushes by itself after its interval", async () => {
    const { store, db } = eventStore();
    const counter = new DownloadCounter(() => db, 10);
    const now = new Date();
    counter.count(a, now);
    await expect.poll(() => store.inserts.length).toBe(1);
    expect(store.inserts[0]).toEqual([{ packageVersionId: "v1", day: utcDay(now), count: 1 }]);
  });
});
