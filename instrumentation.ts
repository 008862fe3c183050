// Runs once when the server starts (Next.js instrumentation); instrumentation-node.ts says what.
// Next also compiles this file for the Edge runtime: behind this branch, which the compiler drops
// there, the Node-only work (node:http, the database, timers) stays out of that compile, where an
// early return left it in and the build warned of node:http.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startGalleryProcess } = await import("./instrumentation-node");
    await startGalleryProcess();
  }
}
