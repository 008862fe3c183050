// Builds the verify command (scripts/verify.ts and the library it uses) into one plain
// JavaScript file, generated/cli/verify.cjs, so a run starts without compiling TypeScript or
// resolving hundreds of modules. `npm install` builds it (postinstall); scripts/cli/verify.mjs
// rebuilds it whenever it is missing or older than any file it was built from, which
// generated/cli/verify.inputs.json lists. Plain JavaScript itself, so nothing compiles it either.
// CommonJS rather than an ES module: the launcher compiles it with V8's code cache, which
// node:vm offers for scripts only.
//
//   node scripts/cli/build.mjs        (npm run build:cli)

import { readFileSync, statSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const VERIFY_BUNDLE = path.join(ROOT, "generated/cli/verify.cjs");
export const VERIFY_INPUTS = path.join(ROOT, "generated/cli/verify.inputs.json");
/** V8's compiled code for the bundle, written by the launcher after a run without a usable one. */
export const VERIFY_CODE_CACHE = path.join(ROOT, "generated/cli/verify.code-cache");

/** Builds the bundle and its list of inputs; each is written whole, then renamed into place. */
export async function buildVerifyCli() {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ["scripts/verify.ts"],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    tsconfig: "tsconfig.json",
    write: false,
    metafile: true,
    logLevel: "warning",
    outfile: VERIFY_BUNDLE,
  });
  const [output] = result.outputFiles;
  const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(ROOT, input));
  await mkdir(path.dirname(VERIFY_BUNDLE), { recursive: true });
  const suffix = `.${process.pid}.tmp`;
  await writeFile(VERIFY_INPUTS + suffix, JSON.stringify(inputs));
  await writeFile(VERIFY_BUNDLE + suffix, output.contents);
  await rename(VERIFY_INPUTS + suffix, VERIFY_INPUTS);
  await rename(VERIFY_BUNDLE + suffix, VERIFY_BUNDLE);
  await rm(VERIFY_CODE_CACHE, { force: true });
}

/**
 * Whether `bundle` exists and no file in the `inputs` list (a JSON array of paths) changed
 * after it was written, or went missing. A few dozen stat calls: cheap enough for every run.
 */
export function isBundleFresh(bundle = VERIFY_BUNDLE, inputs = VERIFY_INPUTS) {
  try {
    const builtAt = statSync(bundle).mtimeMs;
    const sources = JSON.parse(readFileSync(inputs, "utf8"));
    return (
      Array.isArray(sources) && sources.length > 0 && sources.every((source) => statSync(source).mtimeMs <= builtAt)
    );
  } catch {
    return false;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildVerifyCli();
