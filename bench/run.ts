// How every benchmark ends: main resolves to the exit code (non-zero when a target was missed or
// a request failed); a failure prints its message, not a stack, and exits 1.
export function runBenchmark(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (failure: unknown) => {
      console.error(failure instanceof Error ? failure.message : failure);
      process.exit(1);
    },
  );
}
