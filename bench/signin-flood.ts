// npm run bench:signin-flood — a flood of wrong-password sign-ins must not slow page readers
// (issue 14: 8 wrong sign-ins a second raised a download's median from 28 ms to 3.1 s).
//
// Builds nothing: it needs a production build (`next build`, in SIGNET_NEXT_DIST_DIR or .next).
// It starts `next start` on a scratch SQLite database with one package and one account, then
// measures the cached package page with autocannon (10 connections, 10 s) three times:
//   1. quiet: nothing else happening;
//   2. a flood from one address: FLOOD_RATE wrong-password sign-ins a second for the account;
//   3. a spread flood: the same rate, every attempt naming another email and arriving from another
//      address (the server trusts loopback as its reverse proxy, so each attempt's X-Forwarded-For
//      is believed), as a botnet would, so neither the per-account nor the per-address throttle
//      applies and only the hashing gate stands.
// Loopback only; every loop is bounded by the measurement's duration and stops by itself.
// Target: the page's p99 stays under 100 ms during both floods.

import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { ConcurrencyGate } from "@/lib/auth/hashing-gate";
import { hashPassword } from "@/lib/auth/password";
import { createDb } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { seedVersion } from "@/test/support/gallery-fixtures/seed-gallery";
import { distDir, runAutocannon, startServer, stopServer, waitForPage, type AutocannonResult } from "./gallery-server";
import { runBenchmark } from "./run";

const PORT = Number(process.env.BENCH_PORT ?? 3398);
const BASE_URL = `http://127.0.0.1:${PORT}`;
const PACKAGE_ID = "Contoso.Flood";
const ACCOUNT = { email: "flooded@example.test", username: "flooded", password: "the right password for the bench" };
const DURATION_SECONDS = 10;
const CONNECTIONS = 10;
const FLOOD_RATE = Number(process.env.FLOOD_RATE ?? 16);
const TARGET_P99_MS = 100;

async function seedDatabase(url: string): Promise<void> {
  await migrateDatabase(url);
  const db = createDb(url);
  try {
    await seedVersion(db, {
      packageId: PACKAGE_ID,
      version: "1.0.0",
      owners: ["flood-owner"],
      publishedAt: "2026-10-01T00:00:00Z",
    });
    await db.user.create({
      data: {
        email: ACCOUNT.email,
        username: ACCOUNT.username,
        passwordHash: await hashPassword(ACCOUNT.password, new ConcurrencyGate(1, 1)),
      },
    });
  } finally {
    await db.$disconnect();
  }
}

interface SignInForm {
  cookie: string;
  csrfToken: string;
}

/** next-auth's double-submit token: the cookie and the value the form must echo. */
async function signInForm(): Promise<SignInForm> {
  const response = await fetch(`${BASE_URL}/api/auth/csrf`);
  const cookie = response.headers
    .getSetCookie()
    .map((value) => value.split(";")[0])
    .join("; ");
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

type FloodMode = "one address" | "spread";

/** Sends FLOOD_RATE wrong sign-ins a second until `until`; counts the answers by status. */
async function flood(mode: FloodMode, form: SignInForm, until: number): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  const inFlight: Promise<void>[] = [];
  const interval = 1000 / FLOOD_RATE;
  for (let index = 0; Date.now() < until; index += 1) {
    const email = mode === "spread" ? `nobody-${index}@example.test` : ACCOUNT.email;
    const address = mode === "spread" ? `198.18.${(index >> 8) & 255}.${index & 255}` : "198.18.255.1";
    inFlight.push(
      fetch(`${BASE_URL}/api/auth/callback/credentials`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          cookie: form.cookie,
          "x-forwarded-for": address,
        },
        body: new URLSearchParams({ email, password: `wrong guess ${index}`, csrfToken: form.csrfToken, json: "true" }),
        redirect: "manual",
      }).then(
        async (response) => {
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        },
        () => {
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
        },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  await Promise.all(inFlight);
  return statuses;
}

function describe(label: string, result: AutocannonResult): string {
  return `${label}: p99 ${result.latency.p99} ms, p50 ${result.latency.p50} ms, ${result.requests.average.toFixed(0)} requests/s, ${result.non2xx} non-2xx, ${result.errors} errors`;
}

async function main(): Promise<number> {
  const dir = distDir("bench:signin-flood");
  const dataDir = await mkdtemp(path.join(tmpdir(), "signet-bench-flood-"));
  const databaseUrl = `file:${path.join(dataDir, "signet.db")}`;
  await seedDatabase(databaseUrl);
  const server = startServer(dir, PORT, dataDir, databaseUrl, { SIGNET_TRUSTED_PROXIES: "loopback" });
  const pageUrl = `${BASE_URL}/packages/${PACKAGE_ID}`;
  try {
    await waitForPage(pageUrl, 60_000);
    for (let index = 0; index < 20; index += 1) await fetch(pageUrl);
    const form = await signInForm();
    // One right sign-in first: the hashing path is warm and the account really exists.
    const warm = await fetch(`${BASE_URL}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: form.cookie },
      body: new URLSearchParams({
        email: ACCOUNT.email,
        password: ACCOUNT.password,
        csrfToken: form.csrfToken,
        json: "true",
      }),
      redirect: "manual",
    });
    if (warm.status !== 200)
      throw new Error(`The right password was refused (${warm.status}); the flood would measure the wrong thing.`);

    // Other work on the machine moves these figures more than anything here: say how busy it was.
    const load = loadavg()
      .map((value) => value.toFixed(1))
      .join(" / ");
    console.log(
      `GET /packages/${PACKAGE_ID} (cached), ${CONNECTIONS} connections, ${DURATION_SECONDS} s each, build ${dir}; load average ${load} on ${cpus().length} cores`,
    );
    const quiet = await runAutocannon(pageUrl, CONNECTIONS, DURATION_SECONDS);
    console.log(`  ${describe("quiet", quiet)}`);
    let failures = quiet.non2xx + quiet.errors;
    let missed = false;
    for (const mode of ["one address", "spread"] as const) {
      const until = Date.now() + DURATION_SECONDS * 1000;
      const [result, statuses] = await Promise.all([
        runAutocannon(pageUrl, CONNECTIONS, DURATION_SECONDS),
        flood(mode, form, until),
      ]);
      const answers = [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${count} x ${status === 0 ? "network error" : status}`);
      const met = result.latency.p99 < TARGET_P99_MS;
      missed ||= !met;
      failures += result.non2xx + result.errors;
      console.log(
        `  ${describe(`flood of ${FLOOD_RATE}/s wrong sign-ins, ${mode}`, result)} (target p99 < ${TARGET_P99_MS} ms) ${met ? "met" : "MISSED"}`,
      );
      console.log(`    sign-in answers: ${answers.join(", ")}`);
    }
    return failures === 0 && !missed ? 0 : 1;
  } finally {
    stopServer(server);
    await rm(dataDir, { recursive: true, force: true });
  }
}

runBenchmark(main);
