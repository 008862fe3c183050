// Several `next start` servers of one build, as a scaled-out deployment runs them: one
// PostgreSQL database and one Azure Blob Storage account (Azurite) shared by all, each server
// with its own port, its own local staging folder and its own page cache. Needs `next build`.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createScratchDatabase, type ScratchDatabase } from "@/test/db/scratch";
import { migrateDatabase } from "@/lib/db/migrate";
import { createDb, type Db } from "@/lib/db";
import { generateSignerKey } from "@/lib/tlog/note";
import { startAzurite, type AzuriteServer } from "@/test/support/azurite";

export interface GalleryInstance {
  origin: string;
  stop(): Promise<void>;
}

export interface ScaledOutGallery {
  db: Db;
  /** The blob store's connection string, for looking at what the instances stored. */
  connectionString: string;
  instances: GalleryInstance[];
  stop(): Promise<void>;
}

const projectRoot = path.resolve(import.meta.dirname, "../..");

/** Whether a production build exists to start (`next build` makes it). */
export function hasProductionBuild(): boolean {
  return existsSync(path.join(projectRoot, process.env.SIGNET_NEXT_DIST_DIR || ".next", "BUILD_ID"));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitUntilHealthy(origin: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(`${origin}/api/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`next start did not become healthy at ${origin}:\n${output()}`);
}

async function startInstance(environment: NodeJS.ProcessEnv, stagingDir: string): Promise<GalleryInstance> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(
    path.join(projectRoot, "node_modules/.bin/next"),
    ["start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: projectRoot,
      env: { ...environment, SIGNET_STORAGE_DIR: stagingDir, NEXTAUTH_URL: origin },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilHealthy(origin, child, () => output);
  } catch (failure) {
    await stop();
    throw failure;
  }
  return { origin, stop };
}

/**
 * A fresh PostgreSQL database on the server TEST_POSTGRES_URL names, Azurite, and `count`
 * servers sharing both, configured as README's "Running several instances" describes.
 */
export async function startScaledOutGallery(count: number): Promise<ScaledOutGallery> {
  const folder = mkdtempSync(path.join(tmpdir(), "signet-instances-"));
  let scratch: ScratchDatabase | undefined;
  let azurite: AzuriteServer | undefined;
  let db: Db | undefined;
  const instances: GalleryInstance[] = [];
  const stop = async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await db?.$disconnect();
    await azurite?.stop();
    await scratch?.drop();
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    scratch = await createScratchDatabase("postgresql");
    await migrateDatabase(scratch.url);
    db = createDb(scratch.url);
    azurite = await startAzurite();
    // What every instance must share: the database, the blob store and the secrets. The data
    // folder (shared here) holds only the development repository certificate, which a real
    // deployment replaces with SIGNET_REPOSITORY_CERTIFICATE.
    const environment: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: scratch.url,
      SIGNET_AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      SIGNET_DATA_DIR: path.join(folder, "shared-data"),
      NEXTAUTH_SECRET: "scaled-out-test-secret",
      SIGNET_LOG_KEY: generateSignerKey("127.0.0.1/signet-log"),
      GITHUB_ID: "",
      GITHUB_SECRET: "",
    };
    for (let index = 0; index < count; index += 1) {
      const stagingDir = path.join(folder, `staging-${index}`);
      mkdirSync(stagingDir, { recursive: true });
      instances.push(await startInstance(environment, stagingDir));
    }
    return { db, connectionString: azurite.connectionString, instances, stop };
  } catch (failure) {
    await stop();
    throw failure;
  }
}
