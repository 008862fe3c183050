// npm run bench:search [-- --seconds 10 --readers 10 --id <package ID> --http | --pages-only]
// Search latency on the catalogue in DATABASE_URL (made by `npm run bench:catalogue`): each
// query below is run by 10 concurrent readers for a few seconds through `searchPackages`, the
// function behind /packages, the home page and the V3 search, reading 20 hits with everything
// a result shows; p50/p99 are per call. With --http it also starts `next start` on the same
// database (a production build is needed, see bench/gallery-server.ts) and loads the pages
// with autocannon: the home page, /packages, and /packages with a query and each filter
// (--pages-only: those alone). --id names the rare ID (the ID prefix and words are made from it)
// instead of the catalogue's middle document, so that one text is measured on several catalogues.
// Prints the machine's load average, since other work on the machine shows in every figure.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { databaseDialect, databaseUrl } from "@/lib/config";
import { createDb, type Db } from "@/lib/db";
import { DEFAULT_SEARCH, searchPackages, type PackageSearchQuery } from "@/lib/search/search";
import {
  distDir,
  freePort,
  processesCpuMs,
  runAutocannon,
  serverCpuMs,
  startServer,
  stopServer,
  waitForPage,
} from "./gallery-server";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    readers: { type: "string", default: "10" },
    http: { type: "boolean", default: false },
    "pages-only": { type: "boolean", default: false },
    id: { type: "string" },
  },
});
const SECONDS = Number(values.seconds);
const READERS = Number(values.readers);
/** How long the readers search before anything is measured (see the warm-up below). */
const WARM_UP_SECONDS = 3;

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

/**
 * With PostgreSQL running on this machine (readable data directory), the postmaster's process
 * id: its children (each in its own session) are the backends that run the queries, so the
 * database's CPU per call is counted too; null otherwise.
 */
async function postgresServer(db: Db): Promise<number | null> {
  if (databaseDialect(databaseUrl()) !== "postgresql") return null;
  try {
    const [row] = await db.$queryRaw<Array<{ dir: string }>>`SELECT current_setting('data_directory') AS dir`;
    const pid = Number(readFileSync(path.join(row?.dir ?? "", "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null; // not a superuser, or the server is elsewhere
  }
}

async function measure(
  db: Db,
  query: PackageSearchQuery,
  postmaster: number | null,
): Promise<{
  calls: number;
  p50: number;
  p99: number;
  total: string;
  cpuPerCall: number;
  serverCpuPerCall: number | null;
}> {
  const latencies: number[] = [];
  let total = "";
  const cpuBefore = process.cpuUsage();
  const serverCpu = () =>
    postmaster === null
      ? null
      : processesCpuMs((process) => process.id === postmaster || process.parent === postmaster);
  const serverBefore = serverCpu();
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: READERS }, async () => {
      while (performance.now() < deadline) {
        const start = performance.now();
        const result = await searchPackages(db, query);
        total = `${result.total}${result.totalIsLowerBound ? "+" : ""}`;
        latencies.push(performance.now() - start);
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  const serverAfter = serverCpu();
  latencies.sort((a, b) => a - b);
  const calls = Math.max(1, latencies.length);
  const cpuPerCall = (cpu.user + cpu.system) / 1000 / calls;
  const serverCpuPerCall = serverBefore === null || serverAfter === null ? null : (serverAfter - serverBefore) / calls;
  return {
    calls: latencies.length,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    total,
    cpuPerCall,
    serverCpuPerCall,
  };
}

const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(" / ");
const db = createDb(databaseUrl());
try {
  const packages = await db.packageRegistration.count();
  // A rare ID: one package's whole ID; an ID prefix: its first two parts and the start of the third.
  const [sample] = await db.$queryRaw<
    Array<{ packageId: string }>
  >`SELECT "packageId" FROM "SearchDocument" ORDER BY "id" LIMIT 1 OFFSET ${Math.floor(packages / 2)}`;
  const rareId = values.id ?? sample?.packageId ?? "Contoso.Missing";
  const parts = rareId.split(".");
  const idPrefix = `${parts.slice(0, 2).join(".")}.${(parts[2] ?? "").slice(0, 3)}`;
  const [owner] = await db.$queryRaw<Array<{ username: string }>>`
    SELECT u."username" FROM "PackageOwner" po JOIN "User" u ON u."id" = po."userId" GROUP BY u."username" ORDER BY COUNT(*) DESC LIMIT 1 OFFSET 20`;
  const site = (overrides: Partial<PackageSearchQuery>): PackageSearchQuery => ({ ...DEFAULT_SEARCH, ...overrides });
  const client = (overrides: Partial<PackageSearchQuery>): PackageSearchQuery =>
    site({ preferStable: false, includePrerelease: false, includeSemVer2: false, ...overrides });
  const cases: Array<[string, PackageSearchQuery]> = [
    ["common word: json", site({ text: "json" })],
    [`rare ID: ${rareId}`, site({ text: rareId })],
    [`ID prefix: ${idPrefix}`, site({ text: idPrefix })],
    ["tokenised ID words: (its parts with spaces)", site({ text: parts.join(" ") })],
    ["autocomplete: first 4 letters", site({ match: "id", text: rareId.slice(0, 4), preferStable: false })],
    ["all packages (/packages)", site({})],
    ["recently published (home page)", site({ order: "recent", take: 10 })],
    ["filter: signed only", site({ signedOnly: true })],
    ["filter: verified only", site({ verifiedOnly: true })],
    ["filter: stable only, SemVer 1 (NuGet client default)", client({})],
    ["filter: package type DotnetTool", client({ packageType: "DotnetTool" })],
    [`filter: owner:${owner?.username}`, site({ text: `owner:${owner?.username}` })],
    ["common word + signed + verified + stable", client({ text: "json", signedOnly: true, verifiedOnly: true })],
  ];
  if (!values["pages-only"]) {
    // Each reader's connection opens and warms (a new PostgreSQL backend plans its first statements
    // with empty catalog caches; SQLite's read threads start) before anything is measured: otherwise
    // the first query measured holds ten such starts in its p99 (json at 500k: 217 ms, 107-132 when
    // measured again in the same process). Then the readers go through every query for
    // WARM_UP_SECONDS, so that V8 has compiled the code every search runs (the result's rows, the
    // hits) before the first query is measured, not during it: after one search of each, json at
    // 500k on PostgreSQL, measured first, cost 3.1-3.3 ms of Node per call, and 2.7 after this warm-up.
    const warmUpEnd = performance.now() + WARM_UP_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: READERS }, async (_, reader) => {
        for (const [, query] of cases) await searchPackages(db, query);
        for (let index = reader; performance.now() < warmUpEnd; index += 1)
          await searchPackages(db, cases[index % cases.length]?.[1] ?? DEFAULT_SEARCH);
      }),
    );
    console.log(
      `${packages} package IDs; ${READERS} concurrent readers, ${SECONDS} s per query; load average ${load()} (1/5/15 min)`,
    );
    // CPU per call is this process's (with SQLite the database's work too) and, with PostgreSQL on
    // this machine, the server's. A total with "+" is a lower bound (COUNTED_MATCHES).
    const postmaster = await postgresServer(db);
    console.log(
      "| query | matches | calls | p50 ms | p99 ms | CPU ms/call | PostgreSQL server CPU ms/call |\n|---|---|---|---|---|---|---|",
    );
    for (const [name, query] of cases) {
      const result = await measure(db, query, postmaster);
      const server = result.serverCpuPerCall === null ? "n/a" : result.serverCpuPerCall.toFixed(1);
      console.log(
        `| ${name} | ${result.total} | ${result.calls} | ${result.p50.toFixed(1)} | ${result.p99.toFixed(1)} | ${result.cpuPerCall.toFixed(1)} | ${server} |`,
      );
    }
    console.log(`load average after: ${load()}`);
  }

  if (values.http || values["pages-only"]) {
    const dir = distDir("bench:search --http");
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), "signet-bench-search-"));
    const server = startServer(dir, port, dataDir, databaseUrl());
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForPage(`${base}/`, 120_000);
      const pages = [
        "/",
        "/packages",
        "/packages?q=json",
        `/packages?q=${encodeURIComponent(rareId)}`,
        `/packages?q=${encodeURIComponent(idPrefix)}`,
        "/packages?signed=1",
        "/packages?verified=1",
      ];
      console.log(
        `\nPages through next start, autocannon ${READERS} connections, ${SECONDS} s each; load average ${load()}`,
      );
      // Server CPU per request: the whole `next start` process group (with SQLite the database's work too).
      console.log(
        "| page | requests/s | p50 ms | p99 ms | non-2xx | server CPU ms/request |\n|---|---|---|---|---|---|",
      );
      for (const page of pages) {
        await fetch(`${base}${page}`);
        const cpuBefore = serverCpuMs(server);
        const result = await runAutocannon(`${base}${page}`, READERS, SECONDS);
        const cpuAfter = serverCpuMs(server);
        const cpuPerRequest =
          cpuBefore === null || cpuAfter === null
            ? "n/a"
            : ((cpuAfter - cpuBefore) / Math.max(1, result.requests.total)).toFixed(1);
        console.log(
          `| ${page} | ${result.requests.average.toFixed(0)} | ${result.latency.p50} | ${result.latency.p99} | ${result.non2xx} | ${cpuPerRequest} |`,
        );
      }
      console.log(`load average after: ${load()}`);
    } finally {
      stopServer(server);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
} finally {
  await db.$disconnect();
}
