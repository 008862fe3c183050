// npm run bench:scaleout-push — push throughput of one app instance against two sharing the
// database and the blob store (issue 15): 50 distinct packages pushed at once, first all
// through one instance, then split evenly across two; prints packages per second for each.
// Starts a PostgreSQL server (scripts/test/postgres-server.sh) unless TEST_POSTGRES_URL names
// one, Azurite, and two `next start` servers of the current build (`npx next build` first);
// every push is checked to be accepted (201). BENCH_SCALEOUT_PUSHES changes the count.
import { execFileSync } from "node:child_process";
import { mkdtempSync, chmodSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApiKey } from "@/lib/api-keys/registry";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { hasProductionBuild, startScaledOutGallery, type GalleryInstance } from "@/test/support/gallery-instances";

const PUSHES = Number(process.env.BENCH_SCALEOUT_PUSHES || 50);

if (!hasProductionBuild()) {
  console.error("Run `npx next build` first: the benchmark starts `next start` twice.");
  process.exit(1);
}

let serverFolder: string | null = null;
if (!process.env.TEST_POSTGRES_URL) {
  serverFolder = mkdtempSync(path.join(tmpdir(), "signet-bench-pg-"));
  chmodSync(serverFolder, 0o755);
  process.env.TEST_POSTGRES_URL = execFileSync(
    "bash",
    ["scripts/test/postgres-server.sh", "start", path.join(serverFolder, "server")],
    { encoding: "utf8" },
  ).trim();
}

const gallery = await startScaledOutGallery(2);
try {
  const [one, two] = gallery.instances as [GalleryInstance, GalleryInstance];
  const user = await gallery.db.user.create({ data: { email: "bench@example.test", username: "bench" } });
  const { secret } = await createApiKey(gallery.db, user.id, {
    name: "bench",
    scopes: ["push"],
    packageGlob: "*",
    expiresInDays: 1,
  });
  const push = async (instance: GalleryInstance, id: string): Promise<void> => {
    const form = new FormData();
    form.append("package", new Blob([new Uint8Array(buildUnsignedPackage({ id, version: "1.0.0" }))]), "package.nupkg");
    const response = await fetch(`${instance.origin}/api/v2/package`, {
      method: "PUT",
      headers: { "X-NuGet-ApiKey": secret },
      body: form,
    });
    if (response.status !== 201) throw new Error(`push of ${id} answered ${response.status}: ${await response.text()}`);
  };
  // Warm both servers (first compilation of the route, the repository signer, connections).
  await push(one, "Bench.Warm.One");
  await push(two, "Bench.Warm.Two");

  const round = async (label: string, pick: (index: number) => GalleryInstance) => {
    const started = performance.now();
    await Promise.all(Array.from({ length: PUSHES }, (_, index) => push(pick(index), `Bench.${label}.P${index}`)));
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${label}: ${PUSHES} concurrent distinct pushes in ${seconds.toFixed(2)} s = ${(PUSHES / seconds).toFixed(1)} packages/s`,
    );
  };
  await round("OneInstance", () => one);
  await round("TwoInstances", (index) => (index % 2 === 0 ? one : two));
} finally {
  await gallery.stop();
  if (serverFolder) {
    execFileSync("bash", ["scripts/test/postgres-server.sh", "stop", path.join(serverFolder, "server")]);
    rmSync(serverFolder, { recursive: true, force: true });
  }
}
