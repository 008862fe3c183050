// npm run bench:push — how quickly a pushed package becomes available, and push throughput.
//
// Starts the production server (`next start` from SIGNET_NEXT_DIST_DIR, default
// .next-bench-push, built first when that folder holds no build) on a scratch SQLite database and storage folder, with a test PKI's
// roots as the gallery's trusted roots. One account registers the PKI's author certificate and
// gets an API key. Then, over HTTP as `dotnet nuget push` does it (multipart PUT with
// X-NuGet-ApiKey):
//   1. push-to-available: for each of N author-signed, timestamped ~5 MB packages (distinct
//      versions), the time from the start of the PUT until the flat container answers 200 for
//      the .nupkg; prints median and p95 (target: under 1 s);
//   2. throughput: 20 distinct signed packages pushed at once; prints the total time and
//      packages per second;
//   3. the repository signing step alone, in process (what publishing adds since the gallery
//      repository-signs: countersign with an in-process timestamp, stream the signed copy to
//      staging, verify it again), on the same signed packages; prints median and p95.
// Packages are signed in-process (the test suite's NuGet-shaped signatures with an RFC 3161
// token), so the benchmark needs no dotnet SDK; every push is checked to be accepted (201).
//
// Options (environment): BENCH_PUSH_RUNS (default 15), BENCH_PUSH_MB (default 5),
// BENCH_PUSH_PORT (default 3391).

import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { createApiKey } from "@/lib/api-keys/registry";
import { verifyPackageSignatures } from "@/lib/signing";
import { loadRepositorySigner } from "@/lib/trust/repository-signing";
import { discardReceivedPackage, receivePackageStream } from "@/lib/uploads/receive";
import { repositorySignPackageFile } from "@/lib/uploads/repository-sign";
import { openFileSource } from "@/lib/zip/source";
import { createDb } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { createTestPki, signedPackage, type TestPki } from "@/test/support/signing";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { certificatePem } from "@/test/support/pki";
import { services } from "@/lib/services";

const MB = 1024 * 1024;
const RUNS = Number(process.env.BENCH_PUSH_RUNS ?? 15);
const PACKAGE_MB = Number(process.env.BENCH_PUSH_MB ?? 5);
const PORT = Number(process.env.BENCH_PUSH_PORT ?? 3391);
const CONCURRENT_PUSHES = 20;
const DIST_DIR = process.env.SIGNET_NEXT_DIST_DIR || ".next-bench-push";
const ORIGIN = `http://127.0.0.1:${PORT}`;
// Random base64 deflates to about three quarters of its length; sized so the package is ~PACKAGE_MB.
const PAYLOAD_CHARACTERS = Math.round((PACKAGE_MB * MB) / 0.755);

interface Gallery {
  server: ChildProcess;
  apiKey: string;
}

function nextBin(): string {
  return path.join("node_modules", "next", "dist", "bin", "next");
}

async function run(command: string, args: string[], environment: NodeJS.ProcessEnv): Promise<void> {
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env: environment });
    child.on("error", reject);
    child.on("exit", resolve);
  });
  if (exitCode !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${exitCode}`);
}

async function ensureBuild(): Promise<void> {
  if (existsSync(path.join(DIST_DIR, "BUILD_ID"))) return;
  console.log(`No production build in ${DIST_DIR}; building (a few minutes)...`);
  await run(process.execPath, [nextBin(), "build"], { ...process.env, SIGNET_NEXT_DIST_DIR: DIST_DIR });
}

async function waitUntilHealthy(server: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt++) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${ORIGIN}/api/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error("The gallery did not become healthy within a minute.");
}

async function startGallery(directory: string, pki: TestPki): Promise<Gallery> {
  const databaseUrl = `file:${path.join(directory, "signet.db")}`;
  await migrateDatabase(databaseUrl);
  const db = createDb(databaseUrl);
  const user = await db.user.create({ data: { email: "bench@example.test", username: "bench" } });
  const certificate = await db.certificate.create({
    data: { sha256Fingerprint: createHash("sha256").update(pki.author.der).digest("hex") },
  });
  await db.registeredCertificate.create({ data: { userId: user.id, certificateId: certificate.id } });
  const { secret } = await createApiKey(db, user.id, {
    name: "bench",
    scopes: ["push"],
    packageGlob: "*",
    expiresInDays: 1,
  });
  await db.$disconnect();

  const roots = {
    codeSigning: path.join(directory, "code-signing-root.pem"),
    timestamping: path.join(directory, "timestamping-root.pem"),
  };
  await writeFile(roots.codeSigning, certificatePem(pki.codeSigningRoot));
  await writeFile(roots.timestamping, certificatePem(pki.timestampingRoot));
  const server = spawn(process.execPath, [nextBin(), "start", "-p", String(PORT), "-H", "127.0.0.1"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      SIGNET_NEXT_DIST_DIR: DIST_DIR,
      DATABASE_URL: databaseUrl,
      SIGNET_DATA_DIR: directory,
      SIGNET_STORAGE_DIR: path.join(directory, "packages"),
      SIGNET_CODE_SIGNING_ROOTS: roots.codeSigning,
      SIGNET_TIMESTAMPING_ROOTS: roots.timestamping,
      NEXTAUTH_URL: ORIGIN,
      NEXTAUTH_SECRET: randomBytes(16).toString("hex"),
    },
  });
  await waitUntilHealthy(server);
  return { server, apiKey: secret };
}

/** A signed package as the Blob a push sends, made before any timing starts. */
async function signedBenchPackage(pki: TestPki, id: string, version: string): Promise<Blob> {
  const unsigned = buildUnsignedPackage({
    id,
    version,
    files: { "content/payload.txt": randomBytes(Math.ceil((PAYLOAD_CHARACTERS * 3) / 4)).toString("base64") },
  });
  const signed = await signedPackage(
    { primary: { signer: pki.author, kind: "author", authority: pki.authority } },
    unsigned,
  );
  return new Blob([new Uint8Array(signed)], { type: "application/octet-stream" });
}

async function push(gallery: Gallery, nupkg: Blob): Promise<void> {
  const form = new FormData();
  form.append("package", nupkg, "package.nupkg");
  // The URL exactly as the NuGet client forms it (PackagePublish plus "/"); a redirect would
  // mean every package is uploaded twice, so it counts as a failure here.
  const response = await fetch(`${ORIGIN}/api/v2/package/`, {
    method: "PUT",
    headers: { "X-NuGet-ApiKey": gallery.apiKey },
    body: form,
    redirect: "manual",
  });
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`push refused: ${response.status} ${response.statusText}`);
}

/** Milliseconds from the start of the PUT until the flat container serves the .nupkg. */
async function pushToAvailable(gallery: Gallery, nupkg: Blob, id: string, version: string): Promise<number> {
  const started = performance.now();
  await push(gallery, nupkg);
  const lower = id.toLowerCase();
  const download = await fetch(`${ORIGIN}/v3-flatcontainer/${lower}/${version}/${lower}.${version}.nupkg`);
  await download.body?.cancel();
  if (download.status !== 200) throw new Error(`download answered ${download.status}`);
  return performance.now() - started;
}

/** Milliseconds the publish step spends repository-signing each package, measured in this process with the gallery's own signer. */
async function repositorySigningCost(directory: string, pki: TestPki, packages: readonly Blob[]): Promise<number[]> {
  process.env.SIGNET_STORAGE_DIR = path.join(directory, "signing-cost");
  const signer = await loadRepositorySigner(directory, {});
  const trust = { codeSigningRoots: [pki.codeSigningRoot.der], timestampingRoots: [pki.timestampingRoot.der] };
  const costs: number[] = [];
  for (const nupkg of packages) {
    const staged = await receivePackageStream(Readable.from([Buffer.from(await nupkg.arrayBuffer())]), {
      maxBytes: Number.MAX_SAFE_INTEGER,
      staging: services.staging,
    });
    const source = await openFileSource(staged.path);
    try {
      const judged = await verifyPackageSignatures(source, { trust, includeContentHash: true });
      const started = performance.now();
      const signed = await repositorySignPackageFile({
        source,
        judgedReport: judged,
        owners: ["bench"],
        signer,
        trust,
        staging: services.staging,
      });
      costs.push(performance.now() - started);
      await discardReceivedPackage(signed);
    } finally {
      await source.close();
    }
    await discardReceivedPackage(staged);
  }
  return costs;
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

async function main(): Promise<void> {
  await ensureBuild();
  const directory = await mkdtemp(path.join(tmpdir(), "signet-bench-push-"));
  const pki = await createTestPki();
  const gallery = await startGallery(directory, pki);
  try {
    const latencyPackages = await Promise.all(
      Array.from({ length: RUNS + 1 }, (_, index) => signedBenchPackage(pki, "Signet.Bench.Push", `1.0.${index}`)),
    );
    const sizeMb = (latencyPackages[0]?.size ?? 0) / MB;
    // The first push warms the server (route compilation caches, database connection, trust store).
    const [warmUp, ...measured] = latencyPackages;
    if (warmUp) await pushToAvailable(gallery, warmUp, "Signet.Bench.Push", "1.0.0");
    const latencies: number[] = [];
    for (const [index, nupkg] of measured.entries())
      latencies.push(await pushToAvailable(gallery, nupkg, "Signet.Bench.Push", `1.0.${index + 1}`));
    console.log(
      `push-to-available, signed ${sizeMb.toFixed(1)} MB package, ${latencies.length} pushes: median ${percentile(latencies, 0.5).toFixed(0)} ms, p95 ${percentile(latencies, 0.95).toFixed(0)} ms (target < 1000 ms)`,
    );

    const concurrent = await Promise.all(
      Array.from({ length: CONCURRENT_PUSHES }, (_, index) =>
        signedBenchPackage(pki, `Signet.Bench.Concurrent${index}`, "1.0.0"),
      ),
    );
    const started = performance.now();
    await Promise.all(concurrent.map((nupkg) => push(gallery, nupkg)));
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${CONCURRENT_PUSHES} concurrent pushes of distinct signed ${sizeMb.toFixed(1)} MB packages: ${seconds.toFixed(2)} s total, ${(CONCURRENT_PUSHES / seconds).toFixed(1)} packages/s`,
    );

    const signing = await repositorySigningCost(directory, pki, measured);
    console.log(
      `repository signing step alone (countersign + timestamp + write + verify again), ${signing.length} runs: median ${percentile(signing, 0.5).toFixed(0)} ms, p95 ${percentile(signing, 0.95).toFixed(0)} ms`,
    );
  } finally {
    gallery.server.kill();
    await rm(directory, { recursive: true, force: true });
  }
}

await main();
