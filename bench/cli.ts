// npm run bench:cli [-- <package or folder>...] — the verify command as people and scripts run
// it: one whole process per package. For each small package (default: the shared corpus's
// packages under 300 KB, in ../shared/corpus/nupkg), it times, alternating so all three see the
// same machine load:
//   - Signet: `node scripts/cli/verify.mjs <file>` (what `npm run verify` runs),
//   - `npm run verify -- <file>` (the same, plus npm's own start-up),
//   - `dotnet nuget verify --all <file>`,
// each offline (NuGet: NUGET_CERT_REVOCATION_MODE=offline; Signet's default), one warm-up run
// then RUNS timed runs; and `node -e 0` in the same rounds, Node's own start-up, the floor of any
// command written for Node. It prints the wall time (median and fastest) and, where GNU time is
// installed, the CPU time (user + system, median), which a busy machine inflates far less than
// wall time; and the load average, so a figure can be read against how busy the machine was.
// Target: a small package verifies in under 0.3 s as a whole process.

import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { isolatedDotnetEnvironment } from "@/test/support/dotnet";

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DEFAULT_CORPUS = path.resolve(ROOT, "../shared/corpus/nupkg");
const SMALL_BYTES = 300 * 1024;
const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 5);
const GNU_TIME = "/usr/bin/time";

interface Run {
  wallMs: number;
  cpuMs: number | null;
  exitCode: number | null;
}

interface Tool {
  name: string;
  command: string;
  args: (file: string) => string[];
  environment: NodeJS.ProcessEnv;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Runs the command once, output discarded; CPU time from GNU time when it is installed. */
async function timedRun(tool: Tool, file: string, scratch: string): Promise<Run> {
  const cpuFile = path.join(scratch, "cpu.txt");
  const measured = existsSync(GNU_TIME);
  const [command, args] = measured
    ? [GNU_TIME, ["-f", "%U %S", "-o", cpuFile, tool.command, ...tool.args(file)]]
    : [tool.command, tool.args(file)];
  const started = process.hrtime.bigint();
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "ignore", env: tool.environment });
    child.on("error", reject);
    child.on("exit", resolve);
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (!measured) return { wallMs, cpuMs: null, exitCode };
  // GNU time reports a failing command's status on a line of its own before the figures.
  const figures = (await readFile(cpuFile, "utf8")).trim().split("\n").pop() ?? "";
  const [user, system] = figures.split(" ").map(Number);
  return { wallMs, cpuMs: ((user ?? Number.NaN) + (system ?? Number.NaN)) * 1000, exitCode };
}

function packagesFrom(args: readonly string[]): string[] {
  const targets = args.length > 0 ? args : [DEFAULT_CORPUS];
  return targets.flatMap((target) => {
    if (!existsSync(target))
      throw new Error(`${target} does not exist; pass packages or a folder of them: npm run bench:cli -- <path>...`);
    if (!statSync(target).isDirectory()) return [path.resolve(target)];
    return readdirSync(target)
      .filter((name) => name.endsWith(".nupkg"))
      .map((name) => path.join(target, name))
      .filter((file) => statSync(file).size <= SMALL_BYTES)
      .sort();
  });
}

function describe(runs: Run[]): string {
  const wall = `${median(runs.map((run) => run.wallMs)).toFixed(0)} ms (${Math.min(...runs.map((run) => run.wallMs)).toFixed(0)})`;
  const cpu = runs.every((run) => run.cpuMs !== null)
    ? `${median(runs.map((run) => run.cpuMs ?? 0)).toFixed(0)} ms`
    : "n/a";
  return `${wall} | ${cpu}`;
}

function exitCodes(runs: Run[]): string {
  return [...new Set(runs.map((run) => run.exitCode))].join("/");
}

async function main(): Promise<void> {
  const files = packagesFrom(process.argv.slice(2));
  const [first] = files;
  if (first === undefined) throw new Error("No package of 300 KB or less to verify.");
  const scratch = await mkdtemp(path.join(tmpdir(), "signet-bench-cli-"));
  const home = path.join(scratch, "home");
  const dotnetEnvironment = isolatedDotnetEnvironment(home);
  const signet: Tool = {
    name: "signet",
    command: process.execPath,
    args: (file) => ["scripts/cli/verify.mjs", file],
    environment: process.env,
  };
  const nodeStartup: Tool = {
    name: "node -e 0",
    command: process.execPath,
    args: () => ["-e", "0"],
    environment: process.env,
  };
  const tools: Tool[] = [
    signet,
    {
      name: "npm run verify",
      command: "npm",
      args: (file) => ["run", "--silent", "verify", "--", file],
      environment: process.env,
    },
    {
      name: "dotnet",
      command: "dotnet",
      args: (file) => ["nuget", "verify", "--all", file],
      environment: dotnetEnvironment,
    },
  ];
  const versions = {
    node: process.version,
    dotnet: (await execFileAsync("dotnet", ["--version"], { env: dotnetEnvironment })).stdout.trim(),
  };
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const rows: string[] = [];
  const totals = new Map<string, Run[]>(tools.map((tool) => [tool.name, []]));
  const startups: Run[] = [];
  try {
    // Builds the bundle if it is missing or stale, and writes its code cache, so no timed run
    // pays for either (as after `npm install` and a first verification).
    await timedRun(signet, first, scratch);
    for (const file of files) {
      const runs = new Map<string, Run[]>(tools.map((tool) => [tool.name, []]));
      for (const tool of tools) await timedRun(tool, file, scratch);
      for (let round = 0; round < RUNS; round++) {
        for (const tool of tools) runs.get(tool.name)?.push(await timedRun(tool, file, scratch));
        startups.push(await timedRun(nodeStartup, file, scratch));
      }
      for (const tool of tools) totals.get(tool.name)?.push(...(runs.get(tool.name) ?? []));
      const [signet, npm, dotnet] = tools.map((tool) => runs.get(tool.name) ?? []);
      rows.push(
        `| ${path.basename(file)} | ${(statSync(file).size / 1024).toFixed(0)} KB | ${describe(signet ?? [])} | ${describe(npm ?? [])} | ${describe(dotnet ?? [])} | ${exitCodes(signet ?? [])} / ${exitCodes(dotnet ?? [])} |`,
      );
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const loadAfter = loadavg()[0] ?? Number.NaN;
  console.log(
    `${files.length} packages, ${RUNS} timed runs each after one warm-up; Node ${versions.node}, .NET SDK ${versions.dotnet}; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after.`,
  );
  console.log("Wall: median (fastest). CPU: user + system, median.\n");
  console.log(
    "| package | size | Signet wall | Signet CPU | npm run verify wall | npm run verify CPU | dotnet nuget verify --all wall | dotnet CPU | exit codes Signet / dotnet |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
  const [signetAll, npmAll, dotnetAll] = tools.map((tool) => totals.get(tool.name) ?? []);
  console.log(
    `| all packages | | ${describe(signetAll ?? [])} | ${describe(npmAll ?? [])} | ${describe(dotnetAll ?? [])} | |`,
  );
  console.log(
    `\nNode's own start-up in the same rounds (node -e 0): wall ${describe(startups).replace(" | ", ", CPU ")}.`,
  );
}

await main();
