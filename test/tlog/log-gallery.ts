// What the publication log's HTTP tests share: the gallery's route handlers over real HTTP on a
// scratch database and storage folder, signing its checkpoints with a log key of the test's own,
// the endpoint a client pins to that key, and the command-line tools run as people run them.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, vi } from "vitest";
import type { DatabaseDialect } from "@/lib/config";
import type { Db } from "@/lib/db";
import type { LogEndpoint } from "@/lib/tlog/client";
import { generateSignerKey, parseSignerKey, parseVerifierKey, verifierKeyString } from "@/lib/tlog/note";
import { useScratchStorage } from "@/test/api/push-support";
import { useAppDatabase } from "@/test/db/scratch";
import type { RunningGallery } from "@/test/interop/push-gallery";
import { forgetServices } from "@/test/support/services";

const execFileAsync = promisify(execFile);

export interface LogGallery {
  database(): Db;
  gallery(): RunningGallery;
  /** The log as a client reaches it, pinned to the test's verifier key. */
  endpoint(): LogEndpoint;
  verifierKey: string;
  storageDir: string;
  /** A scratch folder for downloads, removed afterwards. */
  work: string;
  /** Where the gallery stores a published version's file. */
  storedFile(id: string, version: string): string;
}

/** Registers the hooks that start it for the surrounding describe block. */
export function useLogGallery(dialect: DatabaseDialect): LogGallery {
  const database = useAppDatabase(dialect);
  const storageDir = useScratchStorage();
  const signerKey = generateSignerKey("gallery.test/log");
  const verifierKey = verifierKeyString(parseSignerKey(signerKey));
  const work = mkdtempSync(path.join(tmpdir(), "signet-tlog-"));
  let gallery: RunningGallery | undefined;

  beforeAll(async () => {
    vi.stubEnv("SIGNET_LOG_KEY", signerKey);
    forgetServices("logSigner");
    gallery = await (await import("@/test/interop/push-gallery")).startPushGallery();
  });

  afterAll(async () => {
    await gallery?.close();
    forgetServices("logSigner");
    rmSync(work, { recursive: true, force: true });
  });

  const running = () => {
    if (!gallery) throw new Error("useLogGallery: the gallery runs only inside tests");
    return gallery;
  };
  return {
    database,
    gallery: running,
    endpoint: () => ({ galleryUrl: new URL(`${running().origin}/`), verifier: parseVerifierKey(verifierKey) }),
    verifierKey,
    storageDir,
    work,
    storedFile: (id, version) =>
      path.join(storageDir, "packages", id.toLowerCase(), version, `${id.toLowerCase()}.${version}.nupkg`),
  };
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
}

/** Runs one of the project's scripts (tsx) with no verifier key in the environment. */
export async function runScript(script: string, args: string[]): Promise<CommandResult> {
  try {
    const { stdout } = await execFileAsync(process.execPath, ["--import", "tsx", script, ...args], {
      env: { ...process.env, SIGNET_LOG_VERIFIER_KEY: "" },
    });
    return { exitCode: 0, stdout };
  } catch (failure) {
    const { code, stdout } = failure as { code: number; stdout: string };
    return { exitCode: code, stdout };
  }
}
