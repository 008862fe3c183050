import { describe, expect, it } from "vitest";
import { countStep, summaryLine, total } from "@/scripts/test/summary";

const vitestReport = {
  numPassedTests: 40,
  numFailedTests: 1,
  numPendingTests: 2,
  numTodoTests: 1,
  testResults: [
    { status: "passed", assertionResults: [{}, {}] },
    { status: "failed", assertionResults: [] },
  ],
};

const playwrightReport = { stats: { expected: 9, unexpected: 1, flaky: 1, skipped: 3 }, errors: [] };

describe("test summary", () => {
  it("adds vitest and playwright counts, counting files that failed to load", () => {
    const counts = total([
      { name: "unit", kind: "vitest", report: vitestReport },
      { name: "e2e", kind: "playwright", report: playwrightReport },
      { name: "build", kind: "step", report: null, succeeded: true },
    ]);
    expect(counts).toEqual({ passed: 51, failed: 3, skipped: 6 });
    expect(summaryLine(counts)).toBe("tests: 51 passed, 3 failed, 6 skipped");
  });

  it("counts a step without a report, or a failed plain step, as a failure", () => {
    expect(countStep({ name: "postgres", kind: "vitest", report: null })).toEqual({ passed: 0, failed: 1, skipped: 0 });
    expect(countStep({ name: "build", kind: "step", report: null, succeeded: false })).toEqual({
      passed: 0,
      failed: 1,
      skipped: 0,
    });
  });

  it("counts Playwright errors outside tests as failures", () => {
    const report = {
      stats: { expected: 0, unexpected: 0, flaky: 0, skipped: 0 },
      errors: [{ message: "web server exited" }],
    };
    expect(countStep({ name: "e2e", kind: "playwright", report })).toEqual({ passed: 0, failed: 1, skipped: 0 });
  });
});
