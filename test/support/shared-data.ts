// Inputs from outside the repository, found one way: the team's shared data (../shared: the
// corpus of real packages) beside the main checkout of the repository (found from a linked
// worktree too, whose own folder sits elsewhere, by following its .git file), and the .NET SDK
// (test/support/dotnet.ts, findTestSdk). A missing input skips the tests that need it with a
// loud notice on a developer's machine, and fails the run under CI=true, where CI provides both
// and a silent skip would hide a regression.

import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// import.meta, not __dirname: Playwright loads the e2e specs that use this file as ES modules.
const REPOSITORY_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The main checkout: the repository root itself, or, in a linked worktree, the checkout owning its git directory. */
function mainCheckout(): string {
  const dotGit = path.join(REPOSITORY_ROOT, ".git");
  if (!existsSync(dotGit) || statSync(dotGit).isDirectory()) return REPOSITORY_ROOT;
  // A worktree's .git file says "gitdir: <main>/.git/worktrees/<name>", whose commondir leads back to <main>/.git.
  const gitDirectory = path.resolve(
    REPOSITORY_ROOT,
    readFileSync(dotGit, "utf8")
      .replace(/^gitdir:\s*/, "")
      .trim(),
  );
  const commonDirectoryFile = path.join(gitDirectory, "commondir");
  const commonDirectory = existsSync(commonDirectoryFile)
    ? path.resolve(gitDirectory, readFileSync(commonDirectoryFile, "utf8").trim())
    : gitDirectory;
  return path.dirname(commonDirectory);
}

/** The shared corpus folder (it may be absent: see requireCorpus). */
export const CORPUS_DIRECTORY = path.resolve(mainCheckout(), "../shared/corpus");

/**
 * Whether an input is here. When it is not: under CI=true this throws (the test file fails);
 * elsewhere it prints a notice no one can miss and the caller skips (`describe.skipIf(!present)`).
 */
export function requireInput(present: boolean, testFile: string, missing: string, notRun: string): boolean {
  if (present) return true;
  const message = `${testFile}: ${missing}, so ${notRun} did NOT run.`;
  if (process.env.CI === "true")
    throw new Error(`${message} CI=true requires it: CI provides the shared corpus (../shared) and dotnet.`);
  console.warn(["", "#".repeat(78), `# SKIPPED: ${message}`, "#".repeat(78), ""].join("\n"));
  return false;
}

/** Whether `relativePath` (a file or folder of the shared corpus) is here; see requireInput. */
export function requireCorpus(relativePath: string, testFile: string, notRun: string): boolean {
  const target = path.join(CORPUS_DIRECTORY, relativePath);
  return requireInput(existsSync(target), testFile, `the shared corpus has no ${target}`, notRun);
}
