// npm run bench:hostile — what input built to be slow costs (issue 14), printed as Markdown
// tables for BENCHMARKS.md:
// - readmes (lib/packages/readme.ts): each pattern in test/support/hostile-markdown.ts at
//   256 KiB and 1 MiB (the largest readme a package may embed), median of 3 each, and the
//   ratio between them: about 4 means linear, about 16 quadratic;
// - API key globs (lib/validation/rules/api-key.ts): the slowest of many adversarial glob/ID
//   pairs, and all of them together.
import { renderReadme } from "@/lib/packages/readme";
import { packageGlobMatches } from "@/lib/validation/rules/api-key";
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
console.log(`\nslowest 1 MiB readme: ${worst.pattern}, ${worst.milliseconds.toFixed(0)} ms`);

// Globs of up to 64 stars against 100-character IDs that almost match: the shapes that made the
// old regular expression backtrack (one such pair took 14 s).
const pairs: [string, string][] = [];
for (let stars = 1; stars <= 64; stars++) {
  for (const glob of [`${"*a".repeat(stars)}*b`, `${"*aa".repeat(stars)}b`, `${"a*".repeat(stars)}c`]) {
    for (const id of [`${"a".repeat(95)}.aaaa`, "a".repeat(100), `${"ab".repeat(50)}`])
      pairs.push([glob.slice(-128), id]);
  }
}
let slowest = 0;
const started = performance.now();
for (const [glob, id] of pairs) {
  const pairStarted = performance.now();
  for (let repeat = 0; repeat < 100; repeat++) packageGlobMatches(glob, id);
  slowest = Math.max(slowest, (performance.now() - pairStarted) / 100);
}
console.log(
  `\n| glob pairs | all, 100 times each | slowest pair |\n|---|---|---|\n| ${pairs.length} | ${(performance.now() - started).toFixed(0)} ms | ${(slowest * 1000).toFixed(1)} µs |`,
);
