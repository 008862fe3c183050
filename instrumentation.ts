// Runs once when the server starts (Next.js instrumentation). Upload housekeeping starts here so
// that staging files a crashed process left in incoming/ go at startup and then on a timer,
// rather than waiting for someone's next upload. The outbox (expiry warnings, mail) runs beside
// it, and so does this process's background job worker.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ getDb }, { getStorage }, { startUploadHousekeeping }, { startOutboxHousekeeping }, { startBackgroundWork }] = await Promise.all([
    import("@/lib/db"),
    import("@/lib/storage"),
    import("@/lib/uploads/housekeeping"),
    import("@/lib/outbox/housekeeping"),
    import("@/lib/jobs"),
  ]);
  startUploadHousekeeping(getDb(), getStorage());
  startOutboxHousekeeping(getDb());
  // A queue that cannot start (the database is down) must not stop the site from serving.
  await startBackgroundWork(getDb(), getStorage()).catch((failure: unknown) => console.error("[signet] background jobs did not start:", failure));
}
