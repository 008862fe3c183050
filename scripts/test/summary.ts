// Adds up the JSON reports of every test step into the one line CI reads:
// "tests: N passed, N failed, N skipped". A step whose report is missing (the runner crashed or
// never started) counts as one failure, so a broken harness can never look green.

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface StepReport {
  name: string;
  kind: "vitest" | "playwright" | "step";
  /** Parsed JSON report, or null when the step left none. */
  report: unknown;
  /** For plain steps (e.g. `next build`): did the command succeed. */
  succeeded?: boolean;
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { status: string; assertionResults: unknown[] }[];
}

interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  errors?: unknown[];
}

export function countVitest(report: VitestReport): Counts {
  // A test file that fails to load has no tests in it but must still fail the run.
  const brokenFiles = report.testResults.filter(
    (file) => file.status === "failed" && file.assertionResults.length === 0,
  ).length;
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

export function countPlaywright(report: PlaywrightReport): Counts {
  return {
    passed: report.stats.expected + report.stats.flaky,
    // Errors outside tests (a web server that never started, a broken config) fail the run too.
    failed: report.stats.unexpected + (report.errors?.length ?? 0),
    skipped: report.stats.skipped,
  };
}

export function countStep(step: StepReport): Counts {
  if (step.kind === "step") return { passed: step.succeeded ? 1 : 0, failed: step.succeeded ? 0 : 1, skipped: 0 };
  if (step.report === null || typeof step.report !== "object") return { passed: 0, failed: 1, skipped: 0 };
  return step.kind === "vitest"
    ? countVitest(step.report as VitestReport)
    : countPlaywright(step.report as PlaywrightReport);
}

export function total(steps: readonly StepReport[]): Counts {
  return steps.map(countStep).reduce(
    (sum, counts) => ({
      passed: sum.passed + counts.passed,
      failed: sum.failed + counts.failed,
      skipped: sum.skipped + counts.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
}

export function summaryLine(counts: Counts): string {
  return `tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
}
