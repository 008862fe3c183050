// Staging files left after a crash (issue 14): a crash test left 1.4 GB in incoming/ that only a
// later upload would have cleaned. The server's housekeeping (started by instrumentation.ts)
// removes them at startup and then on its timer, with no upload involved.
import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { storageDir } from "@/lib/config";
import { services } from "@/lib/services";
import { startUploadHousekeeping } from "@/lib/uploads/housekeeping";
import { STAGING_FOLDER } from "@/lib/uploads/receive";
import { testDialects } from "@/test/db/scratch";
import { useUploadHarness } from "./harness";

/** A staging file as a process that has since died would have left it. */
async function leaveCrashDebris(label: string): Promise<string> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((resolve) => child.on("exit", resolve));
  const host = hostname()
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-");
  const key = `${STAGING_FOLDER}/${host}+${child.pid}+${label}.nupkg`;
  await mkdir(path.join(storageDir(), STAGING_FOLDER), { recursive: true });
  await writeFile(path.join(storageDir(), key), "half an upload");
  return key;
}

describe.each(testDialects())("upload housekeeping on %s", (dialect) => {
  const harness = useUploadHarness(dialect);

  it("removes a crashed process's staging files at startup and on its timer, without any upload", async () => {
    const beforeStart = await leaveCrashDebris("before-start");
    const stop = startUploadHousekeeping(
      harness.db(),
      harness.storage(),
      services.staging,
      (name, tick, intervalMs) => services.repeat(name, tick, intervalMs),
      200,
    );
    try {
      await vi.waitFor(async () => expect(await harness.storedFiles()).not.toContain(beforeStart), { timeout: 5_000 });
      const later = await leaveCrashDebris("later");
      expect(await harness.storedFiles()).toContain(later);
      await vi.waitFor(async () => expect(await harness.storedFiles()).not.toContain(later), { timeout: 5_000 });
    } finally {
      stop();
    }
  });
});
