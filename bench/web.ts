// npm run bench:web — how fast a package page with signer details is served.
//
// Builds nothing: it needs a production build (`next build`, in SIGNET_NEXT_DIST_DIR or .next).
// It migrates a scratch SQLite database, seeds one author-signed package (the stored report is
// the engine's own report for a real nuget.org package, so the page draws a full chain, a
// timestamp and a repository countersignature), starts `next start` on it, and then runs
// autocannon in a second process against /packages/<id> for 10 s with 10 connections: as
// anonymous readers load it (the page cache), then again while this process publishes a new
// version of another package every 100 ms (which must leave the cached page in use), then as a
// signed-in reader (a session cookie: every request rendered). Then the home page, /packages and
// a search on /packages the same way (cached by the search index's revision), and the home page
// while the writer publishes (each publish changes what it shows, so it is rendered again).
// Prints requests/s and p99 latency; targets: >= 300 requests/s and p99 < 100 ms for the package
// page, with the writer too; p99 < 100 ms for the home page and /packages (issue 15).

import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import type { SignatureReport } from "@/lib/signing/report";
import authorSigned from "@/test/support/gallery-fixtures/author-and-repository-signed.report.json";
import { seedReservation, seedVersion } from "@/test/support/gallery-fixtures/seed-gallery";
import {
  distDir,
  freePort,
  runAutocannon,
  serverCpuMs,
  startServer,
  stopServer,
  waitForPage,
  type AutocannonResult,
} from "./gallery-server";
import { runBenchmark } from "./run";

const PACKAGE_ID = "Contoso.Bench";
/** The package the writer publishes to, which the measured page does not show. */
const UNRELATED_ID = "Fabrikam.Unrelated";
const WRITE_INTERVAL_MS = 100;
const DURATION_SECONDS = 10;
const CONNECTIONS = 10;
const TARGET_RPS = 300;
const TARGET_P99_MS = 100;
/** The listings measured: the home page, every package, and a search. */
const LISTINGS = ["/", "/packages", "/packages?q=contoso"];
// The cookie name the proxy takes for a signed-in reader; next-auth on an http address reads the
// name without the __Secure- prefix, so the page renders as for a reader whose session lapsed,
// without logging a session error for every request.
const SIGNED_IN = { cookie: "__Secure-next-auth.session-token=bench-reader" };

async function seedDatabase(url: string): Promise<void> {
  await migrateDatabase(url);
  const db = createDb(url);
  try {
    await seedReservation(db, "Contoso.", ["bench-owner"]);
    await seedVersion(db, {
      packageId: PACKAGE_ID,
      version: "1.0.0",
      owners: ["bench-owner"],
      publishedAt: "2026-10-01T00:00:00Z",
    });
    await seedVersion(db, {
      packageId: PACKAGE_ID,
      version: "2.0.0",
      owners: ["bench-owner"],
      report: authorSigned as SignatureReport,
      tags: "bench signing",
      readme: "# Contoso.Bench\n\nA package for the web benchmark, with a **readme**.\n\n- fast\n- signed\n",
      dependencyGroups: [
        { targetFramework: "net8.0", dependencies: [{ id: "Contoso.Other", range: "[1.0.0, 2.0.0)" }] },
      ],
    });
    await seedVersion(db, { packageId: UNRELATED_ID, version: "1.0.0", owners: ["bench-writer"] });
  } finally {
    await db.$disconnect();
  }
}

/** The run, and the server's CPU per request during it (which, unlike latency, other work on the machine does not inflate). */
async function measured(
  server: ChildProcess,
  run: () => Promise<AutocannonResult>,
): Promise<AutocannonResult & { cpuPerRequest: string }> {
  const before = serverCpuMs(server);
  const result = await run();
  const after = serverCpuMs(server);
  return {
    ...result,
    cpuPerRequest:
      before === null || after === null ? "n/a" : ((after - before) / Math.max(1, result.requests.total)).toFixed(1),
  };
}

/** `rpsTarget`: the package page's throughput target; the listings have a latency target only. */
function report(
  name: string,
  result: AutocannonResult & { cpuPerRequest: string },
  rpsTarget: number | null = TARGET_RPS,
): void {
  const rps = result.requests.average;
  const p99 = result.latency.p99;
  console.log(`  ${name}:`);
  console.log(
    `    requests/s: ${rps.toFixed(0)}${rpsTarget === null ? "" : ` (target >= ${rpsTarget}) ${rps >= rpsTarget ? "met" : "MISSED"}`}`,
  );
  console.log(`    p99 latency: ${p99} ms (target < ${TARGET_P99_MS} ms) ${p99 < TARGET_P99_MS ? "met" : "MISSED"}`);
  console.log(
    `    p50 latency: ${result.latency.p50} ms; ${result.requests.total} requests, ${result.non2xx} non-2xx, ${result.errors} errors; server CPU ${result.cpuPerRequest} ms/request`,
  );
}

/** How many versions of the unrelated package the writer has published, over every run. */
let publishedVersions = 0;

/** Runs `measure` while publishing a new version of the unrelated package every WRITE_INTERVAL_MS. */
async function whileWriting<T>(databaseUrl: string, measure: () => Promise<T>): Promise<{ result: T; writes: number }> {
  const db = createDb(databaseUrl);
  let writing = true;
  let writes = 0;
  const writer = (async () => {
    while (writing) {
      const started = Date.now();
      publishedVersions += 1;
      await seedVersion(db, { packageId: UNRELATED_ID, version: `1.0.${publishedVersions}`, owners: ["bench-writer"] });
      writes += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, WRITE_INTERVAL_MS - (Date.now() - started))));
    }
  })();
  try {
    return { result: await measure(), writes };
  } finally {
    writing = false;
    await writer;
    await db.$disconnect();
  }
}

async function main(): Promise<number> {
  const dir = distDir("bench:web");
  const dataDir = await mkdtemp(path.join(tmpdir(), "signet-bench-web-"));
  const databaseUrl = `file:${path.join(dataDir, "signet.db")}`;
  await seedDatabase(databaseUrl);
  const port = await freePort();
  const server = startServer(dir, port, dataDir, databaseUrl);
  const pageUrl = `http://127.0.0.1:${port}/packages/${PACKAGE_ID}`;
  try {
    await waitForPage(pageUrl, 60_000);
    const html = await (await fetch(pageUrl)).text();
    if (!html.includes("Signature details") || !html.includes("DigiCert Trusted Root G4")) {
      throw new Error("The package page does not show the signer details; the benchmark would measure the wrong page.");
    }
    // Warm-up: let the server compile and cache what the first requests touch.
    for (let index = 0; index < 20; index += 1) await fetch(pageUrl);
    const result = await measured(server, () => runAutocannon(pageUrl, CONNECTIONS, DURATION_SECONDS));
    console.log(
      `GET /packages/${PACKAGE_ID} (signer details), ${CONNECTIONS} connections, ${DURATION_SECONDS} s, build ${dir}`,
    );
    report("anonymous readers (served from the page cache)", result);
    const { result: written, writes } = await whileWriting(databaseUrl, () =>
      measured(server, () => runAutocannon(pageUrl, CONNECTIONS, DURATION_SECONDS)),
    );
    report(
      `anonymous readers while another package gets a new version every ${WRITE_INTERVAL_MS} ms (${writes} published)`,
      written,
    );
    // A session cookie (not a valid one: the page renders as for a reader whose session lapsed)
    // keeps the request out of the anonymous cache: what every load cost before the cache, and
    // what signed-in readers still get.
    const rendered = await measured(server, () => runAutocannon(pageUrl, CONNECTIONS, DURATION_SECONDS, SIGNED_IN));
    console.log(
      `  rendered for every request (signed-in readers, not a target): ${rendered.requests.average.toFixed(0)} requests/s, p99 ${rendered.latency.p99} ms, p50 ${rendered.latency.p50} ms, server CPU ${rendered.cpuPerRequest} ms/request`,
    );

    const origin = `http://127.0.0.1:${port}`;
    const listings: AutocannonResult[] = [];
    for (const listing of LISTINGS) {
      for (let index = 0; index < 5; index += 1) await fetch(`${origin}${listing}`);
      const cached = await measured(server, () => runAutocannon(`${origin}${listing}`, CONNECTIONS, DURATION_SECONDS));
      report(`GET ${listing}, anonymous readers (served from the page cache)`, cached, null);
      listings.push(cached);
    }
    const { result: homeWritten, writes: homeWrites } = await whileWriting(databaseUrl, () =>
      measured(server, () => runAutocannon(`${origin}/`, CONNECTIONS, DURATION_SECONDS)),
    );
    report(
      `GET /, anonymous readers while a new version is published every ${WRITE_INTERVAL_MS} ms (${homeWrites} published, each one shown)`,
      homeWritten,
      null,
    );
    const homeRendered = await measured(server, () =>
      runAutocannon(`${origin}/`, CONNECTIONS, DURATION_SECONDS, SIGNED_IN),
    );
    console.log(
      `  GET / rendered for every request (signed-in readers, not a target): ${homeRendered.requests.average.toFixed(0)} requests/s, p99 ${homeRendered.latency.p99} ms, server CPU ${homeRendered.cpuPerRequest} ms/request`,
    );
    const failures = [result, written, rendered, ...listings, homeWritten, homeRendered].reduce(
      (sum, run) => sum + run.non2xx + run.errors,
      0,
    );
    return failures === 0 ? 0 : 1;
  } finally {
    stopServer(server);
    await rm(dataDir, { recursive: true, force: true });
  }
}

runBenchmark(main);
