// npm run check:imports (a step of scripts/test-all.sh): dependency-cruiser's rules in
// .dependency-cruiser.cjs over lib/ and app/, then one rule it cannot state: lib/'s top-level
// folders form no cycle (scripts/imports/folder-cycles.ts; the layering they follow is
// scripts/imports/layers.ts). One cruise feeds both. Exits non-zero when either finds an error.
import { cruise, format, type ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { describeFolderCycles, folderCycles } from "./imports/folder-cycles";
import { importsUpward } from "./imports/layers";

const options = await extractDepcruiseOptions("./.dependency-cruiser.cjs");
const cruised = await cruise(["lib", "app"], options, {}, { tsConfig: extractTSConfig("tsconfig.json") });
const result = cruised.output as ICruiseResult;

const moduleRules = await format(result, { outputType: "err" });
process.stdout.write(moduleRules.output as string);

const cycles = folderCycles(result.modules);
if (cycles.length > 0) {
  console.log(
    `${describeFolderCycles(cycles, importsUpward)}\n\nx ${cycles.length} cycle(s) among lib/'s top-level folders; UPWARD marks imports against scripts/imports/layers.ts.\n`,
  );
} else {
  console.log("✔ no cycles among lib/'s top-level folders\n");
}
process.exitCode = moduleRules.exitCode > 0 || cycles.length > 0 ? 1 : 0;
