// Runs the verify CLI as `npm run verify` does (the launcher, scripts/cli/verify.mjs, which
// runs the built bundle, rebuilt first if stale) as a whole process, as people and scripts run
// it, and returns its exit code and output.

import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runVerify(...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ["scripts/cli/verify.mjs", ...args], {
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (failure) {
    const { code, stdout, stderr } = failure as CliRun;
    return { code, stdout, stderr };
  }
}
