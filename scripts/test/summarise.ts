// Usage: tsx scripts/test/summarise.ts <name>=<kind>:<json file | ok | failed> ...
// Prints one line per step and the final "tests: N passed, N failed, N skipped"; exits 1 when
// anything failed.
import { existsSync, readFileSync } from "node:fs";
import { countStep, summaryLine, total, type StepReport } from "@/scripts/test/summary";

function readReport(file: string): unknown {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

function parseArgument(argument: string): StepReport {
  const match = /^([^=]+)=(vitest|playwright|step):(.+)$/.exec(argument);
  if (!match) throw new Error(`cannot read step "${argument}"; expected name=kind:value`);
  const [, name = "", kind, value = ""] = match;
  if (kind === "step") return { name, kind, report: null, succeeded: value === "ok" };
  return { name, kind: kind as "vitest" | "playwright", report: readReport(value) };
}

const steps = process.argv.slice(2).map(parseArgument);
for (const step of steps) {
  const counts = countStep(step);
  const missing = step.kind !== "step" && step.report === null ? " (no report: the step did not run, or crashed)" : "";
  console.log(`  ${step.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${missing}`);
}
const counts = total(steps);
console.log(summaryLine(counts));
process.exitCode = counts.failed > 0 || counts.passed === 0 ? 1 : 0;
