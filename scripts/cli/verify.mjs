// `npm run verify`: runs the verify command from its bundle (scripts/cli/build.mjs), building it
// first when it is missing or older than its sources. A person or script runs this once per
// package, so it starts with as little work as it can: plain JavaScript in one file, no
// TypeScript compiler, and V8's code cache for the bundle, so its functions are not parsed and
// compiled again on every run (V8 checks the cache against the source and flags, and refuses a
// stale one; the next run then writes a fresh one).
//
// --no-opt: the run is over in a fraction of a second, before code optimised by TurboFan could
// pay back the CPU spent optimising it on background threads. Measured, it saves about a
// quarter of the CPU time of a small package's verification, and nothing measurable on large
// packages, whose time goes to hashing in native code.

import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { buildVerifyCli, isBundleFresh, VERIFY_BUNDLE, VERIFY_CODE_CACHE } from "./build.mjs";

v8.setFlagsFromString("--no-opt");
if (!isBundleFresh()) await buildVerifyCli();

function readCodeCache() {
  try {
    return readFileSync(VERIFY_CODE_CACHE);
  } catch {
    return undefined;
  }
}

const cachedData = readCodeCache();
// The bundle as Node would wrap a CommonJS module (the newline ends a trailing line comment).
const script = new vm.Script(
  `(function (exports, require, module, __filename, __dirname) {${readFileSync(VERIFY_BUNDLE, "utf8")}\n})`,
  {
    filename: VERIFY_BUNDLE,
    cachedData,
  },
);
if (cachedData === undefined || script.cachedDataRejected) {
  // At exit the cache also holds every function this run compiled lazily.
  process.once("exit", () => {
    const temporary = `${VERIFY_CODE_CACHE}.${process.pid}.tmp`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, VERIFY_CODE_CACHE);
  });
}
const bundle = { exports: {} };
script.runInThisContext()(
  bundle.exports,
  createRequire(VERIFY_BUNDLE),
  bundle,
  VERIFY_BUNDLE,
  path.dirname(VERIFY_BUNDLE),
);
