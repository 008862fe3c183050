// Twenty simultaneous `PUT /api/v2/package` of one ID and version over real HTTP (the route
// handlers behind a node:http server, on a scratch database): exactly one is published with 201,
// every other gets 409, and the gallery holds one version, one file and one accepted attempt.
import { withoutRepositorySignature } from "@/test/support/repository-signing";
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import type { ErrorBody } from "@/lib/http/errors";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import type { RunningGallery } from "@/test/interop/push-gallery";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { createAccounts, createKeySecret, useScratchStorage } from "./push-support";

const PUSHES = 20;

describe.each(testDialects())("concurrent pushes on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  const storageDir = useScratchStorage();
  let db: Db;
  let gallery: RunningGallery;
  let secret: string;

  beforeAll(async () => {
    db = database();
    const { alice } = await createAccounts(db, ["alice"]);
    secret = await createKeySecret(db, alice);
    gallery = await (await import("@/test/interop/push-gallery")).startPushGallery();
  });

  afterAll(async () => {
    await gallery?.close();
  });

  it("publishes exactly one of 20 simultaneous pushes of one ID and version; the rest get 409", async () => {
    const bytes = new Uint8Array(buildUnsignedPackage({ id: "Contoso.Race", version: "1.0.0" }));
    const responses = await Promise.all(
      Array.from({ length: PUSHES }, () => {
        const form = new FormData();
        form.append("package", new Blob([bytes]), "package.nupkg");
        return fetch(`${gallery.origin}/api/v2/package`, {
          method: "PUT",
          headers: { "X-NuGet-ApiKey": secret },
          body: form,
        });
      }),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(PUSHES - 1).fill(409)]);
    const conflicts = await Promise.all(
      responses
        .filter((response) => response.status === 409)
        .map(async (response) => ((await response.json()) as ErrorBody).error.code),
    );
    expect(new Set(conflicts)).toEqual(new Set(["PACKAGE_VERSION_EXISTS"]));
    expect(responses.find((response) => response.status === 409)?.statusText).toBe(
      "A package with ID 'Contoso.Race' and version '1.0.0' already exists and cannot be modified.",
    );

    expect(await db.packageVersion.count()).toBe(1);
    expect(await db.uploadAttempt.count({ where: { status: "ACCEPTED" } })).toBe(1);
    expect(await db.uploadAttempt.count({ where: { status: "REJECTED" } })).toBe(PUSHES - 1);
    expect(readdirSync(path.join(storageDir, "packages", "contoso.race", "1.0.0"))).toEqual([
      "contoso.race.1.0.0.nupkg",
    ]);
    const served = await fetch(`${gallery.origin}/v3-flatcontainer/contoso.race/1.0.0/contoso.race.1.0.0.nupkg`);
    // The gallery serves the uploaded package with its repository signature added.
    expect(await withoutRepositorySignature(new Uint8Array(await served.arrayBuffer()))).toEqual(bytes);
  });
});
