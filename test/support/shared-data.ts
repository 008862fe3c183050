// Where the team's shared data (../shared: the corpus of real packages) is: beside the main
// checkout of the repository. Tests find it from a linked worktree too, whose own folder
// sits elsewhere, by following the worktree's .git file to the main repository.

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
  const gitDirectory = path.resolve(REPOSITORY_ROOT, readFileSync(dotGit, "utf8").replace(/^gitdir:\s*/, "").trim());
  const commonDirectoryFile = path.join(gitDirectory, "commondir");
  const commonDirectory = existsSync(commonDirectoryFile) ? path.resolve(gitDirectory, readFileSync(commonDirectoryFile, "utf8").trim()) : gitDirectory;
  return path.dirname(commonDirectory);
}

/** The shared corpus folder (it may be absent: tests that need it skip, saying so). */
export const CORPUS_DIRECTORY = path.resolve(mainCheckout(), "../shared/corpus");
