// What the web benchmarks share: a production build, a `next start` on a scratch database,
// waiting for it to answer, and autocannon in a process of its own (so the load generator
// does not share an event loop with anything). Everything stays on loopback.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

export function distDir(benchmark: string): string {
  const dir = process.env.SIGNET_NEXT_DIST_DIR || ".next";
  if (!existsSync(path.join(dir, "BUILD_ID"))) {
    throw new Error(
      `No production build in ${dir}. Run \`SIGNET_NEXT_DIST_DIR=${dir} npx next build\` first (${benchmark} builds nothing).`,
    );
  }
  return dir;
}

/** `next start` in its own process group on 127.0.0.1:port, stopped with stopServer. */
export function startServer(
  dir: string,
  port: number,
  dataDir: string,
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
): ChildProcess {
  return spawn("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
    env: {
      ...process.env,
      NODE_ENV: "production",
      SIGNET_NEXT_DIST_DIR: dir,
      DATABASE_URL: databaseUrl,
      SIGNET_DATA_DIR: dataDir,
      SIGNET_STORAGE_DIR: path.join(dataDir, "packages"),
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      ...extraEnv,
    },
  });
}

export function stopServer(server: ChildProcess): void {
  if (server.pid !== undefined) process.kill(-server.pid, "SIGTERM");
}

export async function waitForPage(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
      throw new Error(`${url} answered ${response.status}`);
    } catch (failure) {
      if (failure instanceof Error && failure.message.includes("answered")) throw failure;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`The server did not answer ${url} within ${timeoutMs} ms.`);
}

export async function runAutocannon(
  url: string,
  connections: number,
  durationSeconds: number,
  headers: Record<string, string> = {},
): Promise<AutocannonResult> {
  const headerArguments = Object.entries(headers).flatMap(([name, value]) => ["-H", `${name}=${value}`]);
  const child = spawn(
    "npx",
    ["autocannon", "--json", "-c", String(connections), "-d", String(durationSeconds), ...headerArguments, url],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", resolve);
  });
  if (exitCode !== 0) throw new Error(`autocannon exited with ${exitCode}`);
  return JSON.parse(output) as AutocannonResult;
}

/** A port nothing listens on now: the kernel picks one, which is then let go for the server. */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("No port was assigned.")),
      );
    });
  });
}

/**
 * CPU time (user + system, ms) used so far by the processes of the server's group, from
 * /proc (Linux); null elsewhere. Unlike latency on a shared machine, CPU per request does not
 * grow with what other processes do.
 */
export function serverCpuMs(server: ChildProcess): number | null {
  const group = server.pid;
  return group === undefined ? null : processesCpuMs((process) => process.group === group);
}

/**
 * CPU time (user + system, ms) of the processes `select` picks by id, parent and process group,
 * from /proc (Linux); null elsewhere.
 */
export function processesCpuMs(
  select: (process: { id: number; parent: number; group: number }) => boolean,
): number | null {
  if (!existsSync("/proc/self/stat")) return null;
  const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // the process ended meanwhile
    }
    // The fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (!select({ id: Number(entry), parent: Number(fields[1]), group: Number(fields[2]) })) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / ticksPerSecond;
}
