// npm run bench:verify — how fast and how lean signature verification is on big packages.
//
// Builds signed packages of 50 MB and 200 MB (random, incompressible, stored entries plus a
// nuspec), signs each with `dotnet nuget sign` and a throw-away self-signed certificate made
// with openssl, then measures in one run, per package:
//   - our verifyPackageSignatures (in a child process: its wall time and RSS growth, i.e. peak
//     VmHWM minus VmRSS just before verifying, read from /proc/self/status),
//   - `sha256sum` and `sha512sum` of the same file (the floor: one hash pass over the bytes; the
//     package hash is SHA-256, the optional contentHash SHA-512),
//   - `dotnet nuget verify --all` of the same file.
// Our time and the hash tools' are the median of three runs; files are read once first so every
// tool sees a warm page cache. Targets: ours <= 1.2x sha256sum on the 200 MB package (issue 11;
// earlier: <= 1.5x sha512sum), >= 10x faster than dotnet, RSS growth < 64 MB on the 200 MB package.

import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { crc32 } from "node:zlib";
import { parseCertificate, verifyPackageSignatures } from "@/lib/signing";
import { certificateDer } from "@/lib/signing/certificates";
import { loadTrustStore } from "@/lib/trust";
import { openFileSource } from "@/lib/zip/source";
import { buildEntry, DEFLATED, STORED, type RawZipEntry } from "@/test/support/zip";
import { isolatedDotnetEnvironment } from "@/test/support/dotnet";

const execFileAsync = promisify(execFile);
const MB = 1024 * 1024;
const SIZES_MB = [50, 200];
/** Big entries are written in pieces this size, so building a package never holds it all. */
const ENTRY_BYTES = 25 * MB;
const RUNS = 3;
const PFX_PASSWORD = "signet-bench";

interface WorkerResult {
  milliseconds: number;
  rssGrowthBytes: number;
  status: string;
  integrity: boolean | null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface Timing {
  milliseconds: number;
  exitCode: number | null;
}

async function timed(command: string, args: string[], environment: NodeJS.ProcessEnv = process.env): Promise<Timing> {
  const started = process.hrtime.bigint();
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, args, { stdio: "ignore", env: environment });
    child.on("error", reject);
    child.on("exit", resolve);
  });
  return { milliseconds: Number(process.hrtime.bigint() - started) / 1e6, exitCode };
}

/**
 * A nuget.config trusting the benchmark signer despite its self-signed root, so `dotnet nuget
 * verify` runs every check to the end and succeeds, as it would for a trusted author.
 */
async function trustBenchmarkSigner(
  directory: string,
  signedPackage: string,
  environment: NodeJS.ProcessEnv,
): Promise<string> {
  const config = path.join(directory, "nuget.config");
  await writeFile(config, `<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n</configuration>\n`);
  await execFileAsync(
    "dotnet",
    ["nuget", "trust", "author", "SignetBenchmark", signedPackage, "--allow-untrusted-root", "--configfile", config],
    { env: environment },
  );
  return config;
}

/** Zip headers for a stored entry of `size` bytes whose data is written separately. */
function storedEntryHeaders(name: string, size: number, crc: number): RawZipEntry {
  const template = buildEntry(name, new Uint8Array(0), STORED);
  for (const header of [template.localHeader, template.centralHeader]) {
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    const base = header === template.localHeader ? 14 : 16;
    view.setUint32(base, crc, true);
    view.setUint32(base + 4, size, true);
    view.setUint32(base + 8, size, true);
  }
  return template;
}

async function buildPackage(file: string, sizeMb: number): Promise<void> {
  const id = `Signet.Bench.${sizeMb}MB`;
  const text = (value: string) => new TextEncoder().encode(value);
  const small = [
    buildEntry(
      `${id}.nuspec`,
      text(
        `<?xml version="1.0" encoding="utf-8"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata><id>${id}</id><version>1.0.0</version><authors>Signet</authors><description>Benchmark package.</description></metadata></package>`,
      ),
      DEFLATED,
    ),
    buildEntry(
      "[Content_Types].xml",
      text(
        `<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="nuspec" ContentType="application/octet" /><Default Extension="bin" ContentType="application/octet" /></Types>`,
      ),
      DEFLATED,
    ),
  ];
  const handle = await open(file, "w");
  const centralHeaders: Uint8Array[] = [];
  let offset = 0;
  const append = async (bytes: Uint8Array) => {
    await handle.write(bytes, 0, bytes.byteLength, offset);
    offset += bytes.byteLength;
  };
  const addEntry = async (entry: RawZipEntry, data: Uint8Array) => {
    const central = entry.centralHeader.slice();
    new DataView(central.buffer).setUint32(42, offset, true);
    centralHeaders.push(central);
    await append(entry.localHeader);
    await append(data);
  };
  for (const entry of small) await addEntry(entry, entry.data);
  for (let index = 0; index * ENTRY_BYTES < sizeMb * MB; index++) {
    const data = randomBytes(Math.min(ENTRY_BYTES, sizeMb * MB - index * ENTRY_BYTES));
    await addEntry(storedEntryHeaders(`content/blob${index}.bin`, data.byteLength, crc32(data)), data);
  }
  const centralStart = offset;
  for (const header of centralHeaders) await append(header);
  const end = new Uint8Array(22);
  const view = new DataView(end.buffer);
  view.setUint32(0, 0x06054b50, true);
  view.setUint16(8, centralHeaders.length, true);
  view.setUint16(10, centralHeaders.length, true);
  view.setUint32(12, offset - centralStart, true);
  view.setUint32(16, centralStart, true);
  await append(end);
  await handle.close();
}

async function makeSigningCertificate(directory: string): Promise<{ pfx: string; certificate: string }> {
  const key = path.join(directory, "bench-key.pem");
  const certificate = path.join(directory, "bench-cert.pem");
  const pfx = path.join(directory, "bench.pfx");
  await execFileAsync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-sha256",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=Signet Benchmark Signer",
    "-addext",
    "extendedKeyUsage=codeSigning",
    "-keyout",
    key,
    "-out",
    certificate,
  ]);
  await execFileAsync("openssl", [
    "pkcs12",
    "-export",
    "-inkey",
    key,
    "-in",
    certificate,
    "-out",
    pfx,
    "-passout",
    `pass:${PFX_PASSWORD}`,
  ]);
  return { pfx, certificate };
}

async function runWorker(file: string, certificate: string, contentHash: boolean): Promise<WorkerResult> {
  const script = fileURLToPath(import.meta.url);
  const { stdout } = await execFileAsync(
    process.execPath,
    ["--import", "tsx", script, "--worker", file, certificate, String(contentHash)],
    { maxBuffer: MB },
  );
  return JSON.parse(stdout) as WorkerResult;
}

async function statusKilobytes(field: "VmRSS" | "VmHWM"): Promise<number> {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(await readFile("/proc/self/status", "utf8"));
  return Number(match?.[1] ?? Number.NaN);
}

/** Child-process side: verify one file and report time and RSS growth as JSON. */
async function worker(file: string, certificatePath: string, contentHash: boolean): Promise<void> {
  const trust = loadTrustStore().store;
  trust.codeSigningRoots.push(certificateDer(parseCertificate(await readFile(certificatePath, "utf8"))));
  const baseline = await statusKilobytes("VmRSS");
  const started = process.hrtime.bigint();
  const source = await openFileSource(file);
  const report = await verifyPackageSignatures(source, { trust, includeContentHash: contentHash });
  await source.close();
  const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
  const peak = await statusKilobytes("VmHWM");
  const result: WorkerResult = {
    milliseconds,
    rssGrowthBytes: (peak - baseline) * 1024,
    status: report.status,
    integrity: report.integrity,
  };
  process.stdout.write(JSON.stringify(result));
}

async function main(): Promise<void> {
  const directory = await mkdtemp(path.join(tmpdir(), "signet-bench-"));
  const home = path.join(directory, "home");
  const environment = isolatedDotnetEnvironment(home);
  const rows: string[] = [];
  try {
    const { pfx, certificate } = await makeSigningCertificate(directory);
    let config: string | null = null;
    for (const sizeMb of SIZES_MB) {
      const file = path.join(directory, `bench-${sizeMb}mb.nupkg`);
      await buildPackage(file, sizeMb);
      await execFileAsync(
        "dotnet",
        ["nuget", "sign", file, "--certificate-path", pfx, "--certificate-password", PFX_PASSWORD],
        { env: environment, maxBuffer: 4 * MB },
      );
      config ??= await trustBenchmarkSigner(directory, file, environment);
      await timed("cat", [file]); // warm the page cache for every tool alike

      const ours: WorkerResult[] = [];
      const oursWithContentHash: WorkerResult[] = [];
      const sha256: number[] = [];
      const sha512: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        ours.push(await runWorker(file, certificate, false));
        oursWithContentHash.push(await runWorker(file, certificate, true));
        sha256.push((await timed("sha256sum", [file])).milliseconds);
        sha512.push((await timed("sha512sum", [file])).milliseconds);
      }
      const dotnet = await timed("dotnet", ["nuget", "verify", "--all", file, "--configfile", config], environment);
      if (dotnet.exitCode !== 0)
        throw new Error(`dotnet nuget verify failed on the ${sizeMb} MB package (exit ${dotnet.exitCode}).`);
      const [first] = ours;
      if (!first || first.integrity !== true)
        throw new Error(`Our verify did not find the ${sizeMb} MB package intact: ${JSON.stringify(first)}`);

      const oursMs = median(ours.map((result) => result.milliseconds));
      const withHashMs = median(oursWithContentHash.map((result) => result.milliseconds));
      const sha256Ms = median(sha256);
      const sha512Ms = median(sha512);
      const rss = Math.max(
        ...ours.map((result) => result.rssGrowthBytes),
        ...oursWithContentHash.map((result) => result.rssGrowthBytes),
      );
      rows.push(
        `| ${sizeMb} MB | ${oursMs.toFixed(0)} ms | ${withHashMs.toFixed(0)} ms | ${sha256Ms.toFixed(0)} ms | ${(oursMs / sha256Ms).toFixed(2)}x | ${sha512Ms.toFixed(0)} ms | ${(withHashMs / sha512Ms).toFixed(2)}x | ${dotnet.milliseconds.toFixed(0)} ms | ${(dotnet.milliseconds / oursMs).toFixed(1)}x | ${(rss / MB).toFixed(1)} MB | ${first.status} |`,
      );
      await rm(file);
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
  console.log(
    "| package | our verify | our verify + contentHash | sha256sum | ours / sha256sum | sha512sum | ours + contentHash / sha512sum | dotnet nuget verify --all | dotnet / ours | our RSS growth (peak) | our status |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
}

const [mode, file, certificate, contentHash] = process.argv.slice(2);
if (mode === "--worker" && file && certificate) await worker(file, certificate, contentHash === "true");
else await main();
