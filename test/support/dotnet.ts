// Runs the real NuGet client (`dotnet nuget sign|verify`) against test PKIs without touching
// the machine's SDK. On Linux the client trusts only the roots in the SDK's bundles
// (sdk/<version>/trustedroots/codesignctl.pem and timestampctl.pem, found next to
// NuGet.Packaging.dll), so the harness builds an overlay SDK in a temporary directory whose
// two bundles are new files holding the shipped roots plus the test roots.
//
// The overlay is a tree of hard links (a full copy when the temporary directory is on
// another file system). Symbolic links do not work: the host resolves the SDK and the
// NuGet assemblies through their real paths and would read the system's bundles. Replacing a
// bundle unlinks it first, so the installed SDK never changes.

import { execFile } from "node:child_process";
import { mkdir, readFile, readdir, realpath, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { requireInput } from "./shared-data";

const execFileAsync = promisify(execFile);

export interface InstalledSdk {
  /** The real dotnet root, e.g. /usr/share/dotnet. */
  root: string;
  version: string;
}

export interface OverlaySdk {
  root: string;
  dotnet: string;
  codeSigningBundle: string;
  timestampingBundle: string;
  environment: NodeJS.ProcessEnv;
}

export interface DotnetResult {
  exitCode: number;
  output: string;
  /** NU codes of the client's `error:` lines, in order, without repeats; warnings are left out. */
  errorCodes: string[];
}

/**
 * The environment for a dotnet run with its own home: only what the client needs, so nothing from
 * the developer's own NuGet or dotnet set-up leaks in, and revocation checked offline.
 */
export function isolatedDotnetEnvironment(home: string): NodeJS.ProcessEnv {
  return {
    NODE_ENV: process.env.NODE_ENV,
    PATH: process.env.PATH,
    HOME: home,
    DOTNET_CLI_HOME: home,
    DOTNET_CLI_TELEMETRY_OPTOUT: "1",
    DOTNET_NOLOGO: "1",
    DOTNET_SKIP_FIRST_TIME_EXPERIENCE: "1",
    DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE: "1",
    NUGET_CERT_REVOCATION_MODE: "offline",
  };
}

async function whichDotnet(): Promise<string | null> {
  for (const directory of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(directory, "dotnet");
    try {
      return await realpath(candidate);
    } catch {
      // Not in this PATH directory; keep looking.
    }
  }
  return null;
}

/** The installed SDK with trusted-root bundles, or null when dotnet is absent. */
export async function findInstalledSdk(): Promise<InstalledSdk | null> {
  const host = await whichDotnet();
  if (!host) return null;
  const root = path.dirname(host);
  let versions: string[];
  try {
    versions = await readdir(path.join(root, "sdk"));
  } catch {
    return null;
  }
  const [version] = versions
    .filter((name) => /^\d+\.\d+\.\d+/.test(name))
    .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
  return version ? { root, version } : null;
}

async function replaceWithExtendedCopy(bundle: string, extraPem: readonly string[]): Promise<void> {
  const original = await readFile(bundle, "utf8");
  await rm(bundle);
  await writeFile(bundle, [original.trimEnd(), ...extraPem.map((pem) => pem.trimEnd())].join("\n") + "\n");
}

export async function createOverlaySdk(
  installed: InstalledSdk,
  directory: string,
  roots: { codeSigning: readonly string[]; timestamping: readonly string[] },
): Promise<OverlaySdk> {
  await mkdir(directory, { recursive: true });
  const root = path.join(directory, "dotnet");
  await execFileAsync("cp", ["-al", installed.root, root]).catch(async () => {
    await rm(root, { recursive: true, force: true });
    await execFileAsync("cp", ["-r", installed.root, root]);
  });
  const trustedRoots = path.join(root, "sdk", installed.version, "trustedroots");
  const codeSigningBundle = path.join(trustedRoots, "codesignctl.pem");
  const timestampingBundle = path.join(trustedRoots, "timestampctl.pem");
  await replaceWithExtendedCopy(codeSigningBundle, roots.codeSigning);
  await replaceWithExtendedCopy(timestampingBundle, roots.timestamping);

  const home = path.join(directory, "home");
  await mkdir(path.join(home, ".nuget", "NuGet"), { recursive: true });
  await writeFile(
    path.join(home, ".nuget", "NuGet", "NuGet.Config"),
    '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n    <clear />\n  </packageSources>\n</configuration>\n',
  );
  return {
    root,
    dotnet: path.join(root, "dotnet"),
    codeSigningBundle,
    timestampingBundle,
    environment: { ...isolatedDotnetEnvironment(home), NUGET_PACKAGES: path.join(home, "packages"), DOTNET_ROOT: root },
  };
}

/** NU codes of `error:` lines, in order, without repeats. */
export function errorCodes(output: string): string[] {
  return [...new Set([...output.matchAll(/^\s*error:\s*(NU\d{4})/gm)].map((match) => match[1] ?? ""))];
}

/**
 * Runs the client and reports how it exited; `timeoutMs` (default a minute) bounds one command,
 * such as a restore of many projects. A run still going then is stopped and reported as an
 * error: the .NET host exits 0 on SIGTERM, which would otherwise look like success.
 */
export async function runDotnet(
  overlay: OverlaySdk,
  args: readonly string[],
  options: { timeoutMs?: number; environment?: Record<string, string | undefined> } = {},
): Promise<DotnetResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const { stdout, stderr } = await execFileAsync(overlay.dotnet, [...args], {
      env: { ...overlay.environment, ...options.environment },
      signal: controller.signal,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (controller.signal.aborted) throw new Error("stopped");
    const output = stdout + stderr;
    return { exitCode: 0, output, errorCodes: errorCodes(output) };
  } catch (error) {
    if (controller.signal.aborted)
      throw new Error(`dotnet ${args.join(" ")} did not finish within ${timeoutMs / 1000} s.`, { cause: error });
    const failure = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof failure.code !== "number") throw error;
    const output = (failure.stdout ?? "") + (failure.stderr ?? "");
    return { exitCode: failure.code, output, errorCodes: errorCodes(output) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The installed SDK for a test file of behaviour only the real client can judge; null, after a
 * loud notice, when dotnet is absent, and under CI=true a missing SDK fails the run
 * (test/support/shared-data.ts, requireInput).
 */
export async function findTestSdk(testFile: string, notRun: string): Promise<InstalledSdk | null> {
  const installed = await findInstalledSdk();
  requireInput(installed !== null, testFile, "no `dotnet` SDK is on PATH", notRun);
  return installed;
}
