// npm run bench:readme — how long rendering a hostile readme takes (lib/packages/readme.ts).
//
// For each pattern in test/support/hostile-markdown.ts: render 256 KiB and 1 MiB (the largest
// readme a package may embed), median of 3 each, and the ratio between them: about 4 means
// linear, about 16 quadratic. Prints a Markdown table for BENCHMARKS.md.
import { renderReadme } from "@/lib/packages/readme";
import { HOSTILE_MARKDOWN } from "@/test/support/hostile-markdown";

const KIB = 1024;
const SIZES = [256 * KIB, 1024 * KIB];
const RUNS = 3;

function medianMilliseconds(source: string): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    renderReadme(source);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

console.log("| pattern | 256 KiB | 1 MiB | ratio |");
console.log("|---|---|---|---|");
let worst = { pattern: "", milliseconds: 0 };
for (const [pattern, make] of Object.entries(HOSTILE_MARKDOWN)) {
  const [small, large] = SIZES.map((bytes) => medianMilliseconds(make(bytes))) as [number, number];
  if (large > worst.milliseconds) worst = { pattern, milliseconds: large };
  console.log(`| ${pattern} | ${small.toFixed(0)} ms | ${large.toFixed(0)} ms | ${(large / small).toFixed(1)} |`);
}
console.log(`\nworst 1 MiB: ${worst.pattern}, ${worst.milliseconds.toFixed(0)} ms`);
