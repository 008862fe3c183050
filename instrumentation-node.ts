// What the Node.js server does once when it starts (instrumentation.ts calls it). Upload
// housekeeping starts here so that staging files a crashed process left in incoming/ go at startup and then on a timer,
// rather than waiting for someone's next upload. The outbox (expiry warnings, mail) runs beside
// it, and so does this process's background job worker. next-auth reads the public address from
// NEXTAUTH_URL and warns on every request without it; the gallery already has one address it
// calls public (lib/config publicUrl, the same default), so next-auth is given that one.
export async function startGalleryProcess(): Promise<void> {
  // First, before any request is handled: every request gets the client address the limits count.
  const [http, { compileProxyTrust, installClientAddressStamp }, { trustedProxies }] = await Promise.all([
    import("node:http"),
    import("@/lib/http/client-address"),
    import("@/lib/config"),
  ]);
  installClientAddressStamp(http.Server, compileProxyTrust(trustedProxies()));
  const [
    { services },
    { startUploadHousekeeping },
    { startOutboxHousekeeping },
    { startBackgroundWork },
    { publicUrl },
  ] = await Promise.all([
    import("@/lib/services"),
    import("@/lib/uploads/housekeeping"),
    import("@/lib/jobs/outbox-housekeeping"),
    import("@/lib/jobs"),
    import("@/lib/config"),
  ]);
  process.env.NEXTAUTH_URL ||= publicUrl();
  const db = services.getDb();
  const storage = services.getStorage();
  const repeat = (name: string, tick: () => void, intervalMs: number) => services.repeat(name, tick, intervalMs);
  startUploadHousekeeping(db, storage, services.staging, repeat);
  startOutboxHousekeeping(db);
  // A queue that cannot start (the database is down) must not stop the site from serving.
  await startBackgroundWork({
    db,
    storage,
    staging: services.staging,
    queue: services.getJobQueue(),
    trustStore: () => services.getTrustStore(),
    repositorySigner: () => services.getRepositorySigner(),
    repeat,
  }).catch((failure: unknown) => console.error("[signet] background jobs did not start:", failure));
}
