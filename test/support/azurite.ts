// Azurite (the Azure Storage emulator, an npm dev dependency) started by the tests themselves:
// its blob service on a free port, in memory, under an account with a key made for this run.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

export interface AzuriteServer {
  /** A connection string for the run's account (what SIGNET_AZURE_STORAGE_CONNECTION_STRING takes). */
  connectionString: string;
  stop(): Promise<void>;
}

const ACCOUNT = "signettest";
// Azurite loads its whole dependency tree before it listens; on a busy 2-core machine that
// has taken over 10 s.
const START_TIMEOUT_MS = 90_000;

export async function startAzurite(): Promise<AzuriteServer> {
  const main = createRequire(import.meta.url).resolve("azurite/dist/src/blob/main.js");
  // Azurite writes its metadata and logs to its working folder even when extents are in memory.
  const workDir = mkdtempSync(path.join(tmpdir(), "signet-azurite-"));
  const key = randomBytes(64).toString("base64");
  const child = spawn(
    process.execPath,
    // The SDK speaks a newer service version than the emulator knows; the calls used here are old.
    [
      main,
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      "0",
      "--inMemoryPersistence",
      "--skipApiVersionCheck",
      "--disableTelemetry",
    ],
    { cwd: workDir, env: { ...process.env, AZURITE_ACCOUNTS: `${ACCOUNT}:${key}` }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const stop = async () => {
    await stopChild(child);
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const endpoint = await listeningAddress(child);
    return {
      connectionString: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${key};BlobEndpoint=${endpoint}/${ACCOUNT};`,
      stop,
    };
  } catch (failure) {
    await stop();
    throw failure;
  }
}

function listeningAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`Azurite did not start within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const address = /successfully listens on (http:\/\/[\d.]+:\d+)/.exec(output)?.[1];
      if (address) {
        clearTimeout(timer);
        resolve(address);
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited (${code}) before listening:\n${output}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
